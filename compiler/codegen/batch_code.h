// What both backends' BatchAssemblers do with their asmjit CodeHolder: the
// buffer (the caller's fixed memory, or asmjit's own, sized once), asmjit's
// first error, the functions' and the unwind stub's labels, and handing the
// finished code, trap sites and relocations over. ISA-neutral (asmjit's core
// only); each backend adds its assembler, MacroAssembler and patchers.
#ifndef BRISK_COMPILER_CODEGEN_BATCH_CODE_H_
#define BRISK_COMPILER_CODEGEN_BATCH_CODE_H_

#include <asmjit/core.h>

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "brisk/status.h"
#include "compiler/codegen/asmjit_code.h"
#include "compiler/codegen/masm.h"
#include "runtime/code_memory.h"

namespace brisk::compiler {

class BatchCode {
 public:
  /// `buffer`: memory to emit into (kept by the caller, so that its pages
  /// are touched once); it does not grow: see out_of_space(). Without it,
  /// asmjit's own buffer, reserved once for `reserve` bytes.
  /// `sites`: the list the trap sites go to (appended, offsets from the
  /// start of this batch's code), kept by the caller across batches so that
  /// it is sized once; without it, the batch's own (take_trap_sites).
  BatchCode(asmjit::Arch arch, uint32_t num_functions, std::span<uint8_t> buffer, size_t reserve,
            std::vector<runtime::TrapSite>* sites)
      : trap_sites_(sites != nullptr ? *sites : own_sites_) {
    code_.init(asmjit::Environment(arch));
    code_.setErrorHandler(&errors_);
    asmjit::CodeBuffer& buf = code_.textSection()->buffer();
    if (!buffer.empty()) {
      // The caller's memory, fixed: asmjit neither frees nor grows it (a
      // growth would lose the external contents), it fails with
      // kErrorTooLarge instead.
      buf._data = buffer.data();
      buf._capacity = buffer.size();
      buf._size = 0;
      buf._flags = asmjit::CodeBufferFlags::kIsExternal | asmjit::CodeBufferFlags::kIsFixed;
    } else if (reserve > 0 && code_.reserveBuffer(&buf, reserve) == asmjit::kErrorOk) {
      // Reserved once rather than grown by doubling; a big buffer may take
      // huge pages (a fault per 2 MiB).
      runtime::advise_huge_pages(buf.data(), buf.capacity());
    }
    starts_.resize(num_functions);
  }
  BatchCode(const BatchCode&) = delete;
  BatchCode& operator=(const BatchCode&) = delete;

  /// The code did not fit the caller's buffer: compile again with a bigger one.
  bool out_of_space() const { return errors_.error == asmjit::kErrorTooLarge; }
  /// asmjit's first error so far, if any ("" when none).
  const std::string& assembler_error() const { return errors_.text; }

  // After finish():
  size_t code_size() const { return code_.codeSize(); }
  uint32_t function_offset(uint32_t i) const {
    return static_cast<uint32_t>(code_.textSection()->offset()) + starts_[i];
  }
  uint32_t unwind_offset() const { return static_cast<uint32_t>(code_.labelOffsetFromBase(unwind_)); }
  const std::vector<runtime::TrapSite>& trap_sites() const { return trap_sites_; }
  /// The relocations of this batch, offsets relative to its start.
  const std::vector<Relocation>& relocations() const { return relocs_; }
  /// Copies the code, relocated for `address`, to `dst`.
  bool write(uint8_t* dst, uint64_t address) {
    if (code_.relocateToBase(address) != asmjit::kErrorOk) return false;
    return code_.copyFlattenedData(dst, code_.codeSize()) == asmjit::kErrorOk;
  }
  /// The code where it was emitted, when that was the caller's buffer
  /// (position-independent: the bytes write() would copy); empty otherwise.
  std::span<const uint8_t> code_in_place() {
    const asmjit::CodeBuffer& buf = code_.textSection()->buffer();
    if (!buf.isExternal() || code_.sectionCount() != 1 || code_.relocateToBase(0) != asmjit::kErrorOk) return {};
    return {buf.data(), buf.size()};
  }
  /// Hands over the trap sites (without a caller's list) and relocations
  /// (after finish()).
  std::vector<runtime::TrapSite> take_trap_sites() { return std::move(own_sites_); }
  std::vector<Relocation> take_relocations() { return std::move(relocs_); }

 protected:
  /// Flattens the buffer and resolves its labels: the end of finish().
  Status resolve() {
    if (errors_.error != asmjit::kErrorOk || code_.flatten() != asmjit::kErrorOk ||
        code_.resolveUnresolvedLinks() != asmjit::kErrorOk) {
      return Status(ErrorKind::kUnsupported, "code generation failed: " + errors_.text);
    }
    if (code_.hasUnresolvedLinks()) return Status(ErrorKind::kUnsupported, "code generation failed: a label never bound");
    return Status::ok();
  }

  asmjit::CodeHolder code_;
  FirstError errors_;
  asmjit::Label unwind_;                // the batch's unwind stub (bound before any function)
  std::vector<uint32_t> starts_;        // per function of the batch: its offset in the text section
  std::vector<runtime::TrapSite> own_sites_;
  std::vector<runtime::TrapSite>& trap_sites_;  // own_sites_ or the caller's
  std::vector<Relocation> relocs_;
};

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CODEGEN_BATCH_CODE_H_
