// Reservation and commit of linear memory with mmap/mprotect.
#include "runtime/linear_memory.h"

#include <sys/mman.h>

namespace brisk::runtime {

namespace {
constexpr uint64_t k4GiB = uint64_t{1} << 32;
}

uint64_t LinearMemory::guard_before_for(BoundsMode mode) {
  // Guard pages: an index whose upper half is wrongly set by sign extension
  // reaches at most 2 GiB below the base. Explicit checks use only the low
  // half of an index, so one Wasm page is a margin against backend bugs.
  return mode == BoundsMode::kGuardPages ? k4GiB / 2 : wasm::kPageSize;
}

Result<std::unique_ptr<LinearMemory>> LinearMemory::create(uint64_t min_pages, uint64_t max_pages,
                                                           BoundsMode mode) {
  if (max_pages > wasm::kMaxMemoryPages) max_pages = wasm::kMaxMemoryPages;
  if (min_pages > max_pages) return Status(ErrorKind::kResource, "memory minimum exceeds maximum");
  std::unique_ptr<LinearMemory> m(new LinearMemory());
  m->mode_ = mode;
  m->max_pages_ = max_pages;
  // Guard pages: any i32 index + u32 offset + access size stays below 8 GiB.
  m->reserved_ = mode == BoundsMode::kGuardPages ? 2 * k4GiB : max_pages * wasm::kPageSize;
  if (m->reserved_ == 0) m->reserved_ = wasm::kPageSize;  // keep a distinct, valid base
  m->guard_before_ = guard_before_for(mode);
  void* p = mmap(nullptr, m->guard_before_ + m->reserved_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED) return Status(ErrorKind::kResource, "cannot reserve linear memory");
  m->header_.base = static_cast<uint8_t*>(p) + m->guard_before_;
  if (min_pages && m->grow(min_pages) < 0) {
    return Status(ErrorKind::kResource, "cannot commit linear memory");
  }
  return m;
}

LinearMemory::~LinearMemory() {
  if (header_.base) munmap(header_.base - guard_before_, guard_before_ + reserved_);
}

int64_t LinearMemory::grow(uint64_t delta_pages) {
  uint64_t old_pages = pages();
  if (delta_pages > max_pages_ || old_pages + delta_pages > max_pages_) return -1;
  if (delta_pages == 0) return static_cast<int64_t>(old_pages);
  if (limiter_ && !limiter_->memory_growing(header_.size, (old_pages + delta_pages) * wasm::kPageSize)) return -1;
  uint64_t new_size = (old_pages + delta_pages) * wasm::kPageSize;
  if (mprotect(header_.base + header_.size, new_size - header_.size, PROT_READ | PROT_WRITE) != 0) {
    return -1;
  }
  header_.size = new_size;
  return static_cast<int64_t>(old_pages);
}

}  // namespace brisk::runtime
