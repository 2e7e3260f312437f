// One buffer of x86-64 code for a contiguous batch of a module's functions:
// the module compiler (compiler/module_compiler.cc) drives FuncCompiler over
// the Masm this hands out, then lays batches out and patches direct calls.
#ifndef BRISK_COMPILER_X64_BATCH_X64_H_
#define BRISK_COMPILER_X64_BATCH_X64_H_

#include <asmjit/x86.h>

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "brisk/status.h"
#include "compiler/codegen/batch_code.h"
#include "compiler/cpu_features.h"
#include "compiler/x64/masm_x64.h"
#include "runtime/code_memory.h"

namespace brisk::compiler::x64 {

class BatchAssembler : public BatchCode {
 public:
  struct Options {
    bool explicit_bounds = false;
    CpuFeatures cpu;
  };
  /// `wasm_bytes`: the batch's body bytes, to size the buffer once.
  /// `buffer`: memory to emit into instead (kept by the caller from one
  /// batch to the next, so that its pages are touched once); it does not
  /// grow: see out_of_space().
  BatchAssembler(uint32_t num_functions, Options options, size_t wasm_bytes = 0,
                 std::span<uint8_t> buffer = {}, std::vector<runtime::TrapSite>* sites = nullptr);
  /// Initial buffer bytes for `wasm_bytes` of function bodies.
  static size_t buffer_estimate(size_t wasm_bytes) { return wasm_bytes * 7 / 2 + 4096; }
  /// rel32 branches never fall short.
  bool branch_out_of_range() const { return false; }

  /// Starts function `i` of the batch (aligned, labelled) and returns the
  /// MacroAssembler to emit it with (valid until the next call).
  X64Masm& begin_function(uint32_t i);
  /// Resolves the buffer; after this the queries below are valid.
  Status finish();

  /// Applies one relocation (offset in chunk terms) to the chunk at `chunk`,
  /// given the chunk offset it refers to (kDirectCall) or its value (kTypeId).
  static void apply(uint8_t* chunk, const Relocation& r, uint32_t target_offset, uint32_t value);
  /// Where functions start: a 64-byte cache line. Measured on Intel (Xeon,
  /// model 167): with 16-byte starts, the call-heavy kernel ran 245-330 ms
  /// depending only on where its small functions fell relative to the
  /// lines; at 64 it runs at the fast end whatever the offset, for about 2%
  /// more code on the large modules (bench/results/latest.md).
  static constexpr uint32_t kFunctionAlign = 64;
  /// An entry-table slot at `dst` (chunk offset `slot`): jmp to `target`.
  static constexpr uint32_t kSlotSize = 8;
  static void write_slot(uint8_t* dst, uint32_t slot, uint32_t target);
  /// The farthest a patched call or slot reaches (rel32: 2 GiB, beyond any
  /// chunk, so veneers are used only when forced).
  static constexpr size_t kDirectReach = (size_t{1} << 31) - 16;
  /// A veneer at `dst` (chunk offset `at`): jmp rel32 to `target`.
  static constexpr uint32_t kVeneerSize = 8;
  static void write_veneer(uint8_t* dst, uint32_t at, uint32_t target) { write_slot(dst, at, target); }
  /// The most code one chunk may hold (offsets are 32-bit; the code region
  /// is 1 GiB, so this never binds on x86-64).
  static constexpr size_t kMaxCodeBytes = size_t{1} << 31;

 private:
  Options options_;
  std::optional<asmjit::x86::Assembler> asm_;
  LabelTable code_labels_;  // the current function's labels (X64Masm's)
  uint32_t label_errors_ = 0;
  std::optional<X64Masm> masm_;
};

}  // namespace brisk::compiler::x64

#endif  // BRISK_COMPILER_X64_BATCH_X64_H_
