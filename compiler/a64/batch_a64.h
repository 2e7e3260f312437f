// One buffer of AArch64 code for a contiguous batch of a module's functions
// (the x86-64 twin is batch_x64.h; the module compiler drives either).
#ifndef BRISK_COMPILER_A64_BATCH_A64_H_
#define BRISK_COMPILER_A64_BATCH_A64_H_

#include <asmjit/core.h>
#include <asmjit/arm/a64assembler.h>

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "brisk/status.h"
#include "compiler/a64/masm_a64.h"
#include "compiler/codegen/batch_code.h"
#include "compiler/cpu_features.h"
#include "runtime/code_memory.h"

namespace brisk::compiler::a64 {

class BatchAssembler : public BatchCode {
 public:
  struct Options {
    bool explicit_bounds = false;
    CpuFeatures cpu;
  };
  BatchAssembler(uint32_t num_functions, Options options, size_t wasm_bytes = 0,
                 std::span<uint8_t> buffer = {}, std::vector<runtime::TrapSite>* sites = nullptr);
  /// About 4 bytes of code per Wasm byte (fixed-width instructions).
  static size_t buffer_estimate(size_t wasm_bytes) { return wasm_bytes * 5 + 4096; }
  /// A conditional branch or literal load beyond +-1 MiB: the function is
  /// compiled again with A64Masm::set_long_branches.
  bool branch_out_of_range() const { return errors_.error == asmjit::kErrorInvalidDisplacement; }

  A64Masm& begin_function(uint32_t i);
  Status finish();

  /// kDirectCall: the bl's imm26 (+-128 MiB: kDirectReach; farther calls
  /// land on a veneer); kTypeId: the movz/movk pair's two halves.
  static void apply(uint8_t* chunk, const Relocation& r, uint32_t target_offset, uint32_t value);
  /// Where functions start (not measured on hardware here: qemu only).
  static constexpr uint32_t kFunctionAlign = 16;
  /// An entry-table slot: b target, then udf.
  static constexpr uint32_t kSlotSize = 8;
  static void write_slot(uint8_t* dst, uint32_t slot, uint32_t target);
  /// The farthest a bl or b reaches.
  static constexpr size_t kDirectReach = (size_t{128} << 20) - 4;
  /// A veneer at `dst` (chunk offset `at`) to `target`, anywhere in the
  /// chunk: adrp x16 / add x16 / br x16 (x16 is AAPCS64's IP0, scratch at
  /// every call). adrp counts 4 KiB pages: chunks start on a page boundary.
  static constexpr uint32_t kVeneerSize = 16;
  static void write_veneer(uint8_t* dst, uint32_t at, uint32_t target);
  /// The most code one chunk may hold (offsets are 32-bit, adrp reaches 4 GiB).
  static constexpr size_t kMaxCodeBytes = size_t{1} << 31;

 private:
  Options options_;
  std::optional<asmjit::a64::Assembler> asm_;
  std::optional<A64Masm> masm_;
};

}  // namespace brisk::compiler::a64

#endif  // BRISK_COMPILER_A64_BATCH_A64_H_
