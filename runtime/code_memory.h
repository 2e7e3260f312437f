// Executable memory for generated code: one reserved region, W^X chunks,
// and a page map so the signal handler can tell Brisk code by PC without locks.
#ifndef BRISK_RUNTIME_CODE_MEMORY_H_
#define BRISK_RUNTIME_CODE_MEMORY_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "brisk/status.h"
#include "runtime/trap.h"
#include "runtime/vmcontext.h"

namespace brisk::runtime {

/// A PC offset inside a chunk that may fault, and what the fault means.
struct TrapSite {
  uint32_t offset;
  TrapCode code;
};

/// A block of machine code, executable and read-only once published.
class CodeChunk {
 public:
  ~CodeChunk();
  CodeChunk(const CodeChunk&) = delete;
  CodeChunk& operator=(const CodeChunk&) = delete;

  uint8_t* base() const { return base_; }
  size_t size() const { return size_; }
  /// Where a signal trap resumes: the chunk's unwind stub.
  uintptr_t unwind_stub() const { return reinterpret_cast<uintptr_t>(base_) + unwind_offset_; }
  uint32_t unwind_offset() const { return unwind_offset_; }
  const std::vector<TrapSite>& trap_sites() const { return trap_sites_; }
  /// The trap code for a faulting PC, or kNone if the PC is not a trap site.
  TrapCode trap_at(uintptr_t pc) const;

  /// For module code: where each defined function starts (sorted), and an
  /// opaque owner (the API's module) for symbolizing backtraces.
  void set_functions(std::vector<uint32_t> starts, const void* owner) {
    func_starts_ = std::move(starts);
    owner_ = owner;
  }
  const void* owner() const { return owner_; }
  /// The defined function containing `pc`, or -1 (trampolines, stubs).
  int64_t function_at(uintptr_t pc) const;

 private:
  friend class CodeMemory;
  CodeChunk() = default;
  uint8_t* base_ = nullptr;
  size_t size_ = 0;        // bytes of code
  size_t mapped_ = 0;      // bytes reserved (page multiple)
  uint32_t unwind_offset_ = 0;
  std::vector<TrapSite> trap_sites_;  // sorted by offset
  std::vector<uint32_t> func_starts_;
  const void* owner_ = nullptr;
};

struct StoreState;
/// Called by the unwind stub: records the Wasm return addresses of the
/// frames above the innermost entry trampoline, starting at frame pointer
/// `fp`, with `pc` (if non-zero) as the trapping instruction.
extern "C" void brisk_capture_backtrace(StoreState* store, uintptr_t fp, uintptr_t pc);

/// A hint that [p, p + n) (anonymous memory) may use transparent huge
/// pages: one fault per 2 MiB instead of per page for big code buffers.
/// Only the 2 MiB-aligned interior is advised; smaller ranges are left alone.
void advise_huge_pages(void* p, size_t n);

/// Process-wide allocator of code chunks.
class CodeMemory {
 public:
  /// Copies `size` bytes produced by `emit` (which writes into the given
  /// writable buffer, already relocated for the final address) into a new
  /// chunk, then makes it executable. `emit` returns false on failure.
  using Writer = bool (*)(void* ctx, uint8_t* dst, uint64_t final_address);
  static Result<std::unique_ptr<CodeChunk>> publish(size_t size, Writer writer, void* ctx,
                                                    std::vector<TrapSite> trap_sites,
                                                    uint32_t unwind_offset);
  /// The chunk containing `pc`, or nullptr. Async-signal-safe.
  static const CodeChunk* lookup(uintptr_t pc);
};

}  // namespace brisk::runtime

#endif  // BRISK_RUNTIME_CODE_MEMORY_H_
