// The x86-64 backend as one traits type: its MacroAssembler, module-code
// buffers (with their relocation patcher), trampolines and signal-context
// accessors. compiler/backend.h selects it; nothing else names compiler/x64/.
#ifndef BRISK_COMPILER_X64_BACKEND_X64_H_
#define BRISK_COMPILER_X64_BACKEND_X64_H_

#include "compiler/x64/abi_x64.h"
#include "compiler/x64/batch_x64.h"
#include "compiler/x64/masm_x64.h"
#include "compiler/x64/trampolines_x64.h"
#include "runtime/signals.h"

namespace brisk::compiler::x64 {

/// The trap protocol's registers in a signal context (rip, rax = trap
/// code, r10 = trapping pc, r14 = VMContext whose first word is the store).
const runtime::SignalContextOps& signal_context_ops();

struct Backend {
  /// The instruction set's number in serialized modules (x86-64 1, AArch64 2).
  static constexpr uint32_t kIsaId = 1;
  using Masm = X64Masm;
  using BatchAssembler = x64::BatchAssembler;
  using Trampolines = x64::Trampolines;
  using EntryTrampoline = x64::EntryTrampoline;
  static Result<Trampolines> make_entry_trampoline(const FuncType& type) { return x64::make_entry_trampoline(type); }
  static Result<Trampolines> make_exit_trampoline(const FuncType& type) { return x64::make_exit_trampoline(type); }
  static const runtime::SignalContextOps& signal_context() { return signal_context_ops(); }
};

}  // namespace brisk::compiler::x64

#endif  // BRISK_COMPILER_X64_BACKEND_X64_H_
