// Drives FuncCompiler<Backend::Masm> over a module and publishes the code. Large
// modules are compiled in contiguous batches on worker threads, each into
// its own buffer; the buffers are laid out one after another in a single
// chunk and direct calls are patched once every function's address is known.
#include "compiler/module_compiler.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <pthread.h>
#include <sys/mman.h>

#include <optional>
#include <thread>

#include "compiler/backend.h"
#include "compiler/codegen/func_compiler.h"
#include "compiler/validate/func_validator.h"
#include "runtime/vmcontext.h"

namespace brisk::compiler {

namespace {

using Masm = Backend::Masm;

/// The memory a batch's pieces are emitted into, one after another, where
/// their code stays until it is copied into the chunk: reserved as address
/// space (the kernel faults pages in, and zeroes them, only where code
/// reaches), so that each byte of code is written once here and copied once,
/// and a retried piece reuses the pages the failed attempt touched.
class BatchArena {
 public:
  BatchArena() = default;
  BatchArena(const BatchArena&) = delete;
  BatchArena& operator=(const BatchArena&) = delete;
  ~BatchArena() {
    // Only what is still the arena's: a moved piece's pages belong to the
    // chunk now, and the hole they left may hold someone else's mapping.
    std::sort(moved_.begin(), moved_.end());
    auto m = moved_.begin();
    for (Segment& s : segments_) {
      uint8_t* at = s.data;
      uint8_t* const end = s.data + s.size;
      for (; m != moved_.end() && m->first < end; ++m) {
        if (m->first > at) munmap(at, static_cast<size_t>(m->first - at));
        at = m->first + m->second;
      }
      if (end > at) munmap(at, static_cast<size_t>(end - at));
    }
  }
  /// At least n free bytes after the last piece, on a page boundary (see
  /// commit); empty if they cannot be mapped.
  std::span<uint8_t> free_space(size_t n) {
    if (segments_.empty() || segments_.back().size - segments_.back().used < n) {
      size_t want = std::max(n, kSegmentBytes);
      void* p = mmap(nullptr, want, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (p == MAP_FAILED) return {};
      // Huge pages only for a piece of 2 MiB or more: the first touch of one
      // zeroes 2 MiB, which would be most of the time a small module takes.
      if (n >= kHugeFrom) runtime::advise_huge_pages(p, want);
      segments_.push_back({static_cast<uint8_t*>(p), want, 0});
    }
    Segment& s = segments_.back();
    return {s.data + s.used, s.size - s.used};
  }
  /// The last free_space() holds a piece of `bytes`. Pieces start on a page
  /// of their own, so that a large one can be moved into the chunk whole.
  void commit(size_t bytes) { segments_.back().used += page_round(bytes); }
  static size_t page_round(size_t n) { return (n + kPage - 1) & ~(kPage - 1); }
  /// Gives back the whole pages of [p, p + n) once that code has been copied.
  static void release(const uint8_t* p, size_t n) {
    uintptr_t lo = (reinterpret_cast<uintptr_t>(p) + kPage - 1) & ~(kPage - 1);
    uintptr_t hi = (reinterpret_cast<uintptr_t>(p) + n) & ~(kPage - 1);
    if (hi > lo) (void)madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED);
  }
  /// Whether a piece of n bytes at p is worth moving (move_pages) rather
  /// than copying: a large one that starts a page (commit's alignment).
  static bool movable(const uint8_t* p, size_t n) {
    return n >= kMoveBytes && (reinterpret_cast<uintptr_t>(p) & (kPage - 1)) == 0;
  }
  /// Moves the pages of [p, p + n) (n rounded up to whole pages) to dst, a
  /// page boundary in writable memory, without copying: the kernel remaps
  /// them, so the chunk's pages need no zeroing and the code is written
  /// once. The arena loses them. The bytes after the piece in its last page
  /// are zeroed, as a copied piece's padding is. False if the kernel
  /// refuses (then nothing moved; copy instead).
  bool move_pages(const uint8_t* p, size_t n, uint8_t* dst) {
    size_t len = page_round(n);
    void* r = mremap(const_cast<uint8_t*>(p), len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
    if (r == MAP_FAILED) return false;
    moved_.emplace_back(const_cast<uint8_t*>(p), len);
    memset(dst + n, 0, len - n);
    return true;
  }
  static constexpr size_t kPage = 4096;

 private:
  /// Smaller pieces are copied: each moved one becomes a mapping of its own,
  /// and the number of mappings a process may have is limited.
  static constexpr size_t kMoveBytes = size_t{256} << 10;
  static constexpr size_t kSegmentBytes = size_t{256} << 20;  // address space, not memory
  static constexpr size_t kHugeFrom = size_t{2} << 20;
  struct Segment {
    uint8_t* data;
    size_t size, used;
  };
  std::vector<Segment> segments_;
  std::vector<std::pair<uint8_t*, size_t>> moved_;  // ranges move_pages gave away
};

/// A finished stretch of a batch: its code (in the batch's arena, or in
/// `owned` when asmjit had to use its own buffer) and what the layout needs.
/// The assembler that made it (its labels, its zone) is gone by then, so
/// compiling a big module holds one assembler per thread, not one per
/// batch's whole share.
struct Piece {
  uint32_t first = 0, last = 0;        // defined functions [first, last)
  std::span<const uint8_t> code;
  std::vector<uint8_t> owned;
  std::vector<uint32_t> func_offsets;  // from the start of the piece
  size_t sites_begin = 0, sites_end = 0;  // its trap sites: Batch::sites[begin, end), offsets from the piece
  std::vector<Relocation> relocs;
  uint32_t unwind_offset = 0;
  size_t base = 0;                     // offset of this piece in the chunk
  bool moves = false;                  // its pages are moved there (base is then a page boundary)
  // Far layout only: the veneer island after the piece, one veneer per
  // function it calls directly (sorted defined indices).
  size_t island = 0;
  std::vector<uint32_t> callees;
};

/// One thread's share: functions [first, last), compiled piece by piece.
struct Batch {
  uint32_t first = 0, last = 0;
  BatchArena arena;
  std::vector<Piece> pieces;
  // The trap sites of all its pieces, in order: one list, sized once (a
  // big module has millions; one list per piece would be written twice).
  std::vector<runtime::TrapSite> sites;
  Status status;            // first failure in this batch
  uint32_t retries = 0;     // pieces compiled again with a bigger buffer
  uint32_t failed_at = 0;   // defined index of that failure
};

// Wasm bytes per piece: big enough that a piece's fixed costs vanish.
constexpr uint64_t kPieceBytes = 2 * 1024 * 1024;

void compile_batch(const Module& module, const CompileEnv<Masm>& env, const CompileOptions& options, Batch& b) {
  typename FuncCompiler<Masm>::Scratch scratch;  // one batch's stacks, reused by each function
  size_t need = 0;  // bytes asked of the arena for the piece at hand
  std::vector<uint32_t> long_funcs;  // sorted: functions compiled with long branches
  uint32_t start = b.first;
  {
    // Real modules have a memory access (a trap site) per 20 bytes of code:
    // room for twice that, reserved, not touched (a page costs only once
    // written), so that the list seldom regrows and is copied.
    uint64_t bytes = 0;
    for (uint32_t i = b.first; i < b.last; ++i) bytes += module.bodies[i].size;
    b.sites.reserve(static_cast<size_t>(bytes / 10));
  }
  size_t sites_begin = 0;  // where the piece at hand's trap sites start in b.sites
  do {  // at least one piece: a module without functions still has its unwind stub
    uint32_t end = start;
    size_t wasm_bytes = 0;
    while (end < b.last && (end == start || wasm_bytes + module.bodies[end].size <= kPieceBytes)) {
      wasm_bytes += module.bodies[end++].size;
    }
    need = std::max(need, Backend::BatchAssembler::buffer_estimate(wasm_bytes));
    // The estimate, not the rest of the segment: a piece that outgrows it is
    // compiled again (the same pages), so the growth path stays exercised.
    std::span<uint8_t> mem = b.arena.free_space(need);  // empty: asmjit's own, growable buffer
    if (!mem.empty()) mem = mem.first(need);
    b.sites.resize(sites_begin);  // a retried piece drops what its last attempt recorded
    Backend::BatchAssembler code(end - start, Backend::BatchAssembler::Options{options.explicit_bounds, options.cpu},
                                 wasm_bytes, mem, &b.sites);
    bool too_far = false;
    for (uint32_t i = start; i < end; ++i) {
      const FuncBody& body = module.bodies[i];
      Reader r(module.bytes.data() + body.offset, module.bytes.data() + body.offset + body.size, body.offset, true);
      Masm& masm = code.begin_function(i - start);
      bool long_branches = std::binary_search(long_funcs.begin(), long_funcs.end(), i);
      masm.set_long_branches(long_branches);
      FuncCompiler<Masm> fc(env, masm, module.num_imported_funcs + i, &scratch);
      Status s = fc.compile(r);
      if (code.out_of_space()) break;  // the piece again, with a bigger buffer (below)
      if (code.branch_out_of_range() && !long_branches) {  // the piece again, this function with long branches
        long_funcs.insert(std::upper_bound(long_funcs.begin(), long_funcs.end(), i), i);
        too_far = true;
        break;
      }
      if (s.is_ok() && !code.assembler_error().empty()) {
        s = Status(ErrorKind::kUnsupported, "code generation failed in " +
                                                module.func_display_name(module.num_imported_funcs + i) + ": " +
                                                code.assembler_error());
      }
      if (!s.is_ok()) {
        b.status = std::move(s);
        b.failed_at = i;
        return;
      }
    }
    if (code.out_of_space()) {  // more code per Wasm byte than estimated
      need = 2 * std::max(need, mem.size());
      ++b.retries;
      continue;
    }
    if (too_far) {
      ++b.retries;
      continue;
    }
    need = 0;
    Status s = code.finish();
    Piece piece;
    piece.first = start;
    piece.last = end;
    if (s.is_ok()) {
      piece.code = code.code_in_place();
      if (!piece.code.empty()) {
        b.arena.commit(piece.code.size());
      } else {
        piece.owned.resize(code.code_size());
        if (!code.write(piece.owned.data(), 0)) {  // position-independent: any base gives these bytes
          s = Status(ErrorKind::kUnsupported, "code generation failed: cannot copy the code");
        }
        piece.code = piece.owned;
      }
    }
    if (!s.is_ok()) {
      b.status = std::move(s);
      b.failed_at = end;
      return;
    }
    for (uint32_t i = start; i < end; ++i) piece.func_offsets.push_back(code.function_offset(i - start));
    piece.unwind_offset = code.unwind_offset();
    piece.sites_begin = sites_begin;
    piece.sites_end = sites_begin = b.sites.size();
    piece.relocs = code.take_relocations();
    b.pieces.push_back(std::move(piece));
    start = end;
  } while (start < b.last);
}

// Contiguous batches of roughly equal body size.
std::vector<std::unique_ptr<Batch>> plan_batches(const Module& module, unsigned threads) {
  uint32_t n = module.num_defined_funcs();
  uint64_t total = 0;
  for (const FuncBody& b : module.bodies) total += b.size;
  std::vector<std::unique_ptr<Batch>> batches;
  uint64_t per = total / threads + 1, acc = 0;
  uint32_t start = 0;
  for (uint32_t i = 0; i < n; ++i) {
    acc += module.bodies[i].size;
    if (acc >= per && batches.size() + 1 < threads) {
      auto b = std::make_unique<Batch>();
      b->first = start;
      b->last = i + 1;
      batches.push_back(std::move(b));
      start = i + 1;
      acc = 0;
    }
  }
  auto b = std::make_unique<Batch>();
  b->first = start;
  b->last = n;
  batches.push_back(std::move(b));
  return batches;
}

// The chunk: the entry table (one slot per defined function, a jump to its
// body; direct calls go through it, so a function can be compiled or
// replaced later by rewriting one slot), then the batches' buffers.
//
// A chunk larger than the backend's direct reach (AArch64's bl and b: 128
// MiB) has the far layout: each piece is followed by an island of veneers,
// one per function the piece calls, and the entry table by one veneer per
// function. A call or slot whose target is out of reach lands on its
// veneer, which reaches anywhere in the chunk (Wasmtime's and LLVM's
// veneers, placed at piece granularity since a piece is one buffer).
struct Layout {
  std::vector<std::unique_ptr<Batch>>* batches;
  CompiledModule* out;
  std::span<const uint32_t> type_ids;
  bool far = false;
  size_t slot_island = 0;              // far layout: the slots' veneers
  std::vector<uint32_t> call_targets;  // per out->relocations entry: where a direct call lands
  uint32_t moved = 0;                  // pieces moved rather than copied
  static constexpr uint32_t kVeneer = Backend::BatchAssembler::kVeneerSize;
  static bool write(void* ctx, uint8_t* dst, uint64_t) {
    auto* self = static_cast<Layout*>(ctx);
    const std::vector<uint32_t>& funcs = self->out->func_offsets;
    for (uint32_t i = 0; i < funcs.size(); ++i) {
      uint32_t slot = self->out->entry_table_offset + i * Backend::BatchAssembler::kSlotSize;
      if (self->far) {
        uint32_t v = static_cast<uint32_t>(self->slot_island + size_t{i} * kVeneer);
        Backend::BatchAssembler::write_slot(dst + slot, slot, v);
        Backend::BatchAssembler::write_veneer(dst + v, v, funcs[i]);
      } else {
        Backend::BatchAssembler::write_slot(dst + slot, slot, funcs[i]);
      }
    }
    for (auto& b : *self->batches) {
      for (Piece& p : b->pieces) {
        if (p.moves && b->arena.move_pages(p.code.data(), p.code.size(), dst + p.base)) {
          ++self->moved;
        } else {
          memcpy(dst + p.base, p.code.data(), p.code.size());
          // Freed as soon as copied: the peak is one copy, not two.
          if (p.owned.empty()) BatchArena::release(p.code.data(), p.code.size());
        }
        p.code = {};
        std::vector<uint8_t>().swap(p.owned);
        for (size_t k = 0; k < p.callees.size(); ++k) {
          uint32_t v = static_cast<uint32_t>(p.island + k * kVeneer);
          Backend::BatchAssembler::write_veneer(dst + v, v, funcs[p.callees[k]]);
        }
      }
    }
    const std::vector<Relocation>& relocs = self->out->relocations;
    for (size_t k = 0; k < relocs.size(); ++k) {
      const Relocation& r = relocs[k];
      uint32_t value = r.kind == RelocKind::kTypeId ? self->type_ids[r.index] : 0;
      Backend::BatchAssembler::apply(dst, r, self->call_targets[k], value);
    }
    return true;
  }
};

// Below this much code, threads cost more than they save.
constexpr uint64_t kParallelThreshold = 64 * 1024;

}  // namespace


Result<CompiledModule> compile_module(const Module& module, std::span<const uint32_t> type_ids,
                                      const CompileOptions& options) {
  runtime::VMLayout layout(module);
  CompileEnv<Masm> env{module, layout, options.interruptible};
  uint64_t total = 0;
  for (const FuncBody& b : module.bodies) total += b.size;
  unsigned threads = 1;
  if (total >= kParallelThreshold && module.num_defined_funcs() > 1) {
    threads = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
    if (options.max_threads) threads = std::min(threads, options.max_threads);
  }
  auto ms_since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
  };
  auto t0 = std::chrono::steady_clock::now();
  auto batches = plan_batches(module, threads);
  // Workers via pthreads, so that a failure to start one (a resource limit)
  // means compiling its batch here rather than std::thread's exception.
  struct Job {
    const Module* module;
    const CompileEnv<Masm>* env;
    const CompileOptions* options;
    Batch* batch;
    static void* run(void* p) {
      auto* j = static_cast<Job*>(p);
      compile_batch(*j->module, *j->env, *j->options, *j->batch);
      return nullptr;
    }
  };
  std::vector<Job> jobs;
  for (auto& b : batches) jobs.push_back({&module, &env, &options, b.get()});
  std::vector<pthread_t> started;
  std::vector<Job*> inline_jobs{&jobs[0]};
  for (size_t k = 1; k < jobs.size(); ++k) {
    pthread_t t;
    if (pthread_create(&t, nullptr, &Job::run, &jobs[k]) == 0) started.push_back(t);
    else inline_jobs.push_back(&jobs[k]);
  }
  for (Job* j : inline_jobs) Job::run(j);
  for (pthread_t t : started) pthread_join(t, nullptr);
  if (options.stats) {
    options.stats->batches_ms = ms_since(t0);
    for (auto& b : batches) options.stats->piece_retries += b->retries;
  }
  auto t1 = std::chrono::steady_clock::now();

  // The first failure in function order decides; a malformed body later on
  // still wins over an invalid one (decoding precedes validation).
  for (auto& b : batches) {
    if (b->status.is_ok()) continue;
    Status s = std::move(b->status);
    if (s.kind() == ErrorKind::kMalformed) return s;
    if (s.kind() == ErrorKind::kInvalid) {
      for (uint32_t j = b->failed_at; j < module.num_defined_funcs(); ++j) {
        BRISK_TRY(scan_function_body(module, j));
      }
      return s;
    }
    BRISK_TRY(validate_functions(module));
    return s;
  }

  // The entry table, then the buffers one after another (at the backend's
  // function alignment, or on a page boundary for a piece whose pages
  // move); relocations move to chunk offsets and are kept for relinking.
  CompiledModule out;
  Layout lay{&batches, &out, type_ids, false, 0, {}, 0};
  const uint32_t nfuncs = module.num_defined_funcs();
  constexpr size_t kReach = Backend::BatchAssembler::kDirectReach;
  constexpr size_t kAlign = Backend::BatchAssembler::kFunctionAlign;  // a piece's offsets keep theirs
  static_assert(kAlign >= 16 && (kAlign & (kAlign - 1)) == 0 && kAlign <= BatchArena::kPage);
  auto align_up = [](size_t n) { return (n + kAlign - 1) & ~(kAlign - 1); };
  const size_t table = align_up(size_t{nfuncs} * Backend::BatchAssembler::kSlotSize);
  size_t size = table;
  for (auto& b : batches) {
    for (Piece& p : b->pieces) {  // an upper bound of the near layout's size
      size += align_up(p.code.size()) + (BatchArena::movable(p.code.data(), p.code.size()) ? BatchArena::kPage : 0);
    }
  }
  lay.far = options.force_veneers || size > kReach;
  if (lay.far) {  // again, with the islands
    size = table;
    lay.slot_island = size;
    size += align_up(size_t{nfuncs} * Layout::kVeneer);
    if (size > kReach) return Status(ErrorKind::kResource, "too many functions for one code chunk's entry table");
    for (auto& b : batches) {
      for (Piece& p : b->pieces) {
        for (const Relocation& r : p.relocs) {
          if (r.kind == RelocKind::kDirectCall) p.callees.push_back(r.index);
        }
        std::sort(p.callees.begin(), p.callees.end());
        p.callees.erase(std::unique(p.callees.begin(), p.callees.end()), p.callees.end());
        p.base = size;
        p.island = size + align_up(p.code.size());
        size = p.island + align_up(p.callees.size() * Layout::kVeneer);
        // Every call site of the piece reaches the island after it.
        if (size - p.base > kReach) {
          return Status(ErrorKind::kResource, "a stretch of functions too large for this code generator's calls (" +
                                                  std::to_string(size - p.base) + " bytes)");
        }
      }
    }
  } else {
    size = table;
    for (auto& b : batches) {
      for (Piece& p : b->pieces) {
        p.moves = p.owned.empty() && BatchArena::movable(p.code.data(), p.code.size());
        if (p.moves) size = BatchArena::page_round(size);
        p.base = size;
        size += p.moves ? BatchArena::page_round(p.code.size()) : align_up(p.code.size());
      }
    }
  }
  if (size > Backend::BatchAssembler::kMaxCodeBytes) {
    return Status(ErrorKind::kResource, "module code too large for one code chunk (" + std::to_string(size) +
                                            " bytes, at most " +
                                            std::to_string(Backend::BatchAssembler::kMaxCodeBytes) + ")");
  }
  out.func_offsets.resize(nfuncs);
  out.entry_table_offset = 0;
  std::vector<runtime::TrapSite> trap_sites;
  size_t num_sites = 0, num_relocs = 0;
  for (auto& b : batches) {
    num_sites += b->sites.size();
    for (const Piece& p : b->pieces) num_relocs += p.relocs.size();
  }
  out.relocations.reserve(num_relocs);
  lay.call_targets.reserve(num_relocs);
  for (auto& b : batches) {
    for (Piece& p : b->pieces) {
      for (uint32_t i = p.first; i < p.last; ++i) {
        out.func_offsets[i] = static_cast<uint32_t>(p.base + p.func_offsets[i - p.first]);
      }
    }
  }
  for (auto& b : batches) {
    for (Piece& p : b->pieces) {
      for (size_t k = p.sites_begin; k < p.sites_end; ++k) b->sites[k].offset += static_cast<uint32_t>(p.base);
      for (Relocation r : p.relocs) {
        r.offset += static_cast<uint32_t>(p.base);
        uint32_t target = 0;
        if (r.kind == RelocKind::kDirectCall) {
          target = out.func_offsets[r.index];
          int64_t distance = static_cast<int64_t>(target) - static_cast<int64_t>(r.offset);
          if (lay.far && (options.force_veneers || static_cast<uint64_t>(distance < 0 ? -distance : distance) > kReach)) {
            size_t k = std::lower_bound(p.callees.begin(), p.callees.end(), r.index) - p.callees.begin();
            target = static_cast<uint32_t>(p.island + k * Layout::kVeneer);
          }
        }
        out.relocations.push_back(r);
        lay.call_targets.push_back(target);
      }
      std::vector<Relocation>().swap(p.relocs);
    }
    // Chunk offsets now, in chunk order: the first batch's list becomes
    // the chunk's (no copy on one thread), the others follow it.
    if (trap_sites.empty()) {
      trap_sites = std::move(b->sites);
      trap_sites.reserve(num_sites);
    } else {
      trap_sites.insert(trap_sites.end(), b->sites.begin(), b->sites.end());
      std::vector<runtime::TrapSite>().swap(b->sites);
    }
  }
  if (options.stats && lay.far) {
    options.stats->veneers = nfuncs;
    for (auto& b : batches) {
      for (const Piece& p : b->pieces) options.stats->veneers += static_cast<uint32_t>(p.callees.size());
    }
  }
  // compile_batch makes at least one piece per batch, each with its unwind stub.
  const Piece& first = batches[0]->pieces[0];
  uint32_t unwind = static_cast<uint32_t>(first.base + first.unwind_offset);
  BRISK_ASSIGN_OR_RETURN(out.code, runtime::CodeMemory::publish(size, &Layout::write, &lay, std::move(trap_sites),
                                                                unwind));
  if (options.stats) {
    options.stats->finalize_ms = ms_since(t1);
    options.stats->pieces_moved = lay.moved;
  }
  return out;
}

namespace {

struct ImageWriter {
  const CompiledImage* image;
  const CompiledModule* out;
  std::span<const uint32_t> type_ids;
  static bool write(void* ctx, uint8_t* dst, uint64_t) {
    auto* self = static_cast<ImageWriter*>(ctx);
    memcpy(dst, self->image->code.data(), self->image->code.size());
    for (const Relocation& r : self->image->relocations) {
      if (r.kind != RelocKind::kTypeId) continue;  // slots are relative: already right
      uint32_t slot = self->image->entry_table_offset + r.index * Backend::BatchAssembler::kSlotSize;
      Backend::BatchAssembler::apply(dst, r, slot, self->type_ids[r.index]);
    }
    return true;
  }
};

}  // namespace

Result<CompiledModule> load_compiled(const CompiledImage& image, std::span<const uint32_t> type_ids) {
  size_t size = image.code.size();
  auto bad = [](const char* what) { return Status(ErrorKind::kMalformed, std::string("corrupt compiled code: ") + what); };
  if (size == 0 || size > (size_t{1} << 31)) return bad("code size");
  uint64_t table_end = image.entry_table_offset + uint64_t{Backend::BatchAssembler::kSlotSize} * image.func_offsets.size();
  if (table_end > size) return bad("entry table");
  for (uint32_t off : image.func_offsets) {
    if (off >= size) return bad("function offset");
  }
  for (const Relocation& r : image.relocations) {
    if (uint64_t{r.offset} + 4 > size) return bad("relocation offset");
    if (r.kind == RelocKind::kTypeId && r.index >= type_ids.size()) return bad("type index");
    if (r.kind == RelocKind::kDirectCall && r.index >= image.func_offsets.size()) return bad("function index");
    if (r.kind != RelocKind::kTypeId && r.kind != RelocKind::kDirectCall) return bad("relocation kind");
  }
  for (size_t i = 0; i < image.trap_sites.size(); ++i) {
    if (image.trap_sites[i].offset >= size) return bad("trap site");
    if (i && image.trap_sites[i].offset < image.trap_sites[i - 1].offset) return bad("trap sites out of order");
  }
  if (image.unwind_offset >= size) return bad("unwind stub");
  CompiledModule out;
  out.func_offsets = image.func_offsets;
  out.entry_table_offset = image.entry_table_offset;
  out.relocations = image.relocations;
  ImageWriter w{&image, &out, type_ids};
  BRISK_ASSIGN_OR_RETURN(out.code, runtime::CodeMemory::publish(size, &ImageWriter::write, &w, image.trap_sites,
                                                                image.unwind_offset));
  return out;
}

}  // namespace brisk::compiler
