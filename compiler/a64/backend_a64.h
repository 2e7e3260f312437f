// The AArch64 backend as one traits type (the twin of backend_x64.h).
#ifndef BRISK_COMPILER_A64_BACKEND_A64_H_
#define BRISK_COMPILER_A64_BACKEND_A64_H_

#include "compiler/a64/abi_a64.h"
#include "compiler/a64/batch_a64.h"
#include "compiler/a64/masm_a64.h"
#include "compiler/a64/trampolines_a64.h"
#include "runtime/signals.h"

namespace brisk::compiler::a64 {

/// The trap protocol's registers in a signal context (pc, x0 = trap code,
/// x17 = trapping pc, x28 = VMContext whose first word is the store).
const runtime::SignalContextOps& signal_context_ops();

struct Backend {
  static constexpr uint32_t kIsaId = 2;
  using Masm = A64Masm;
  using BatchAssembler = a64::BatchAssembler;
  using Trampolines = a64::Trampolines;
  using EntryTrampoline = a64::EntryTrampoline;
  static Result<Trampolines> make_entry_trampoline(const FuncType& type) { return a64::make_entry_trampoline(type); }
  static Result<Trampolines> make_exit_trampoline(const FuncType& type) { return a64::make_exit_trampoline(type); }
  static const runtime::SignalContextOps& signal_context() { return signal_context_ops(); }
};

}  // namespace brisk::compiler::a64

#endif  // BRISK_COMPILER_A64_BACKEND_A64_H_
