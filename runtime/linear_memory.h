// Linear memory: a fixed reservation whose base never moves, committed as
// it grows. With guard pages (the default on 64-bit hosts) 4 GiB + 4 GiB of
// address space are reserved so no i32 address plus u32 offset can leave it
// and generated code needs no bounds checks; the explicit-bounds mode
// reserves only what the memory may ever use and code checks every access.
// Both modes keep an inaccessible region below the base (2 GiB with guard
// pages: any sign-extended i32 lands in it), as Wasmtime does.
#ifndef BRISK_RUNTIME_LINEAR_MEMORY_H_
#define BRISK_RUNTIME_LINEAR_MEMORY_H_

#include <cstdint>
#include <memory>

#include "brisk/status.h"
#include "runtime/vmcontext.h"

namespace brisk::runtime {

enum class BoundsMode : uint8_t {
  kGuardPages,  ///< 8 GiB reservation, faults trap
  kExplicit,    ///< compare against the size on every access
};

class LinearMemory {
 public:
  /// Reserves and commits `min_pages`; `max_pages` caps growth (<= 65536).
  static Result<std::unique_ptr<LinearMemory>> create(uint64_t min_pages, uint64_t max_pages,
                                                      BoundsMode mode);
  ~LinearMemory();
  LinearMemory(const LinearMemory&) = delete;
  LinearMemory& operator=(const LinearMemory&) = delete;

  uint8_t* base() const { return header_.base; }
  uint64_t size_bytes() const { return header_.size; }
  uint64_t pages() const { return header_.size / wasm::kPageSize; }
  uint64_t max_pages() const { return max_pages_; }
  BoundsMode mode() const { return mode_; }
  /// Bytes of PROT_NONE address space directly below base().
  uint64_t guard_before() const { return guard_before_; }
  static uint64_t guard_before_for(BoundsMode mode);
  /// What generated code reads (VMContext::memory points here).
  MemoryHeader* header() { return &header_; }

  /// memory.grow: returns the old size in pages, or -1 if it cannot grow
  /// (beyond the maximum, refused by the limiter, or out of memory).
  int64_t grow(uint64_t delta_pages);
  /// The store's limiter, asked before every growth (null: none).
  void set_limiter(ResourceLimiter* l) { limiter_ = l; }

 private:
  LinearMemory() = default;
  MemoryHeader header_;  // first member: generated code reads base/size through it
  uint64_t max_pages_ = 0;
  uint64_t reserved_ = 0;      // bytes from base() up
  uint64_t guard_before_ = 0;  // bytes below base(), part of the same mapping
  BoundsMode mode_ = BoundsMode::kGuardPages;
  ResourceLimiter* limiter_ = nullptr;
};

}  // namespace brisk::runtime

#endif  // BRISK_RUNTIME_LINEAR_MEMORY_H_
