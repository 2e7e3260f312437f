// Code region management. The region is reserved once (PROT_NONE); chunks
// are page runs mapped RW while being written, then RX (never both). A page
// map of atomic chunk pointers answers "is this PC ours?" from a signal handler.
#include "runtime/code_memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>

namespace brisk::runtime {
namespace {

constexpr size_t kPage = 4096;
constexpr size_t kRegionSize = size_t{1} << 30;  // 1 GiB of code address space
constexpr size_t kPages = kRegionSize / kPage;

}  // namespace

void advise_huge_pages(void* p, size_t n) {
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  uintptr_t lo = (reinterpret_cast<uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
  uintptr_t hi = (reinterpret_cast<uintptr_t>(p) + n) & ~(kHuge - 1);
  if (hi > lo) (void)madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);
}

namespace {

struct Region {
  uint8_t* base = nullptr;
  std::mutex mu;
  std::map<size_t, size_t> free_runs;  // first page -> page count
  std::atomic<const CodeChunk*>* page_map = nullptr;

  bool init() {
    void* p = mmap(nullptr, kRegionSize, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return false;
    void* m = mmap(nullptr, kPages * sizeof(std::atomic<const CodeChunk*>), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) return false;
    base = static_cast<uint8_t*>(p);
    advise_huge_pages(base, kRegionSize);
    page_map = static_cast<std::atomic<const CodeChunk*>*>(m);
    free_runs[0] = kPages;
    return true;
  }

  // First fit over free page runs; returns the first page or SIZE_MAX.
  size_t allocate(size_t pages) {
    for (auto it = free_runs.begin(); it != free_runs.end(); ++it) {
      if (it->second < pages) continue;
      size_t first = it->first, count = it->second;
      free_runs.erase(it);
      if (count > pages) free_runs[first + pages] = count - pages;
      return first;
    }
    return SIZE_MAX;
  }

  void release(size_t first, size_t pages) {
    auto next = free_runs.lower_bound(first);
    if (next != free_runs.end() && first + pages == next->first) {
      pages += next->second;
      free_runs.erase(next);
    }
    auto prev = free_runs.lower_bound(first);
    if (prev != free_runs.begin()) {
      --prev;
      if (prev->first + prev->second == first) {
        first = prev->first;
        pages += prev->second;
        free_runs.erase(prev);
      }
    }
    free_runs[first] = pages;
  }
};

Region& region() {
  static Region* r = [] {
    auto* reg = new Region();  // lives for the process: signal handlers may read it
    if (!reg->init()) reg->base = nullptr;
    return reg;
  }();
  return *r;
}

}  // namespace

TrapCode CodeChunk::trap_at(uintptr_t pc) const {
  uintptr_t start = reinterpret_cast<uintptr_t>(base_);
  if (pc < start || pc >= start + size_) return TrapCode::kNone;
  uint32_t off = static_cast<uint32_t>(pc - start);
  auto it = std::lower_bound(trap_sites_.begin(), trap_sites_.end(), off,
                             [](const TrapSite& s, uint32_t o) { return s.offset < o; });
  if (it != trap_sites_.end() && it->offset == off) return it->code;
  return TrapCode::kNone;
}

int64_t CodeChunk::function_at(uintptr_t pc) const {
  uintptr_t start = reinterpret_cast<uintptr_t>(base_);
  if (func_starts_.empty() || pc < start || pc >= start + size_) return -1;
  uint32_t off = static_cast<uint32_t>(pc - start);
  auto it = std::upper_bound(func_starts_.begin(), func_starts_.end(), off);
  if (it == func_starts_.begin()) return -1;
  return (it - func_starts_.begin()) - 1;
}

extern "C" void brisk_capture_backtrace(StoreState* store, uintptr_t fp, uintptr_t pc) {
  uint32_t n = 0;
  auto in_module_code = [](uintptr_t a) {
    const CodeChunk* c = CodeMemory::lookup(a);
    return c && c->owner() != nullptr;
  };
  // A Wasm frame keeps its VMContext just below its saved frame pointer.
  auto vmctx_of = [](uintptr_t frame) { return reinterpret_cast<const uintptr_t*>(frame)[-1]; };
  if (pc && in_module_code(pc)) {
    store->backtrace_vmctx[n] = vmctx_of(fp);
    store->backtrace[n++] = pc;
  }
  // Wasm frames link through rbp; stop at the first return address that is
  // not module code (the entry trampoline).
  for (int guard = 0; guard < 4096 && n < 32 && fp && (fp & 7) == 0; ++guard) {
    uintptr_t ret = reinterpret_cast<const uintptr_t*>(fp)[1];
    if (!in_module_code(ret)) break;
    uintptr_t next = reinterpret_cast<const uintptr_t*>(fp)[0];
    store->backtrace_vmctx[n] = next > fp ? vmctx_of(next) : 0;
    store->backtrace[n++] = ret - 1;  // inside the call instruction
    if (next <= fp) break;  // the stack grows down: callers are above
    fp = next;
  }
  store->backtrace_len = n;
}

CodeChunk::~CodeChunk() {
  Region& r = region();
  if (!base_ || !r.base) return;
  size_t first = static_cast<size_t>(base_ - r.base) / kPage;
  size_t pages = mapped_ / kPage;
  for (size_t i = 0; i < pages; ++i) r.page_map[first + i].store(nullptr, std::memory_order_release);
  // Give the pages back to the kernel and make them inaccessible again.
  mmap(base_, mapped_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
  advise_huge_pages(base_, mapped_);  // the new mapping starts without the hint
  std::lock_guard<std::mutex> lock(r.mu);
  r.release(first, pages);
}

Result<std::unique_ptr<CodeChunk>> CodeMemory::publish(size_t size, Writer writer, void* ctx,
                                                      std::vector<TrapSite> trap_sites,
                                                      uint32_t unwind_offset) {
  Region& r = region();
  if (!r.base) return Status(ErrorKind::kResource, "cannot reserve code memory");
  size_t pages = (std::max<size_t>(size, 1) + kPage - 1) / kPage;
  size_t first;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    first = r.allocate(pages);
  }
  if (first == SIZE_MAX) return Status(ErrorKind::kResource, "out of code memory");
  uint8_t* base = r.base + first * kPage;
  std::unique_ptr<CodeChunk> chunk(new CodeChunk());
  chunk->base_ = base;
  chunk->size_ = size;
  chunk->mapped_ = pages * kPage;
  chunk->unwind_offset_ = unwind_offset;
  // The compiler emits them in address order; sort only what is not.
  auto by_offset = [](const TrapSite& a, const TrapSite& b) { return a.offset < b.offset; };
  if (!std::is_sorted(trap_sites.begin(), trap_sites.end(), by_offset)) {
    std::sort(trap_sites.begin(), trap_sites.end(), by_offset);
  }
  chunk->trap_sites_ = std::move(trap_sites);
  if (mprotect(base, chunk->mapped_, PROT_READ | PROT_WRITE) != 0) {
    return Status(ErrorKind::kResource, "cannot map code memory");
  }
  if (!writer(ctx, base, reinterpret_cast<uint64_t>(base))) {
    return Status(ErrorKind::kResource, "code relocation failed");
  }
  // Make the new code visible to instruction fetch before anything runs it
  // (AArch64's instruction cache is not coherent with data writes; on
  // x86-64 the builtin emits nothing).
  __builtin___clear_cache(reinterpret_cast<char*>(base), reinterpret_cast<char*>(base + size));
  if (mprotect(base, chunk->mapped_, PROT_READ | PROT_EXEC) != 0) {
    return Status(ErrorKind::kResource, "cannot make code executable");
  }
  for (size_t i = 0; i < pages; ++i) r.page_map[first + i].store(chunk.get(), std::memory_order_release);
  return chunk;
}

const CodeChunk* CodeMemory::lookup(uintptr_t pc) {
  Region& r = region();
  uintptr_t start = reinterpret_cast<uintptr_t>(r.base);
  if (!r.base || pc < start || pc >= start + kRegionSize) return nullptr;
  const CodeChunk* c = r.page_map[(pc - start) / kPage].load(std::memory_order_acquire);
  if (!c) return nullptr;
  uintptr_t cb = reinterpret_cast<uintptr_t>(c->base());
  return pc >= cb && pc < cb + c->size() ? c : nullptr;
}

}  // namespace brisk::runtime
