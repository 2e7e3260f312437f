// Signal-context accessors for AArch64 Linux: where the trap protocol's
// registers live in a ucontext_t (abi_a64.h).
#include <signal.h>
#include <ucontext.h>

#include "compiler/a64/backend_a64.h"

namespace brisk::compiler::a64 {

#if defined(__aarch64__)
namespace {

uintptr_t pc_of(const void* uctx) {
  return static_cast<uintptr_t>(static_cast<const ucontext_t*>(uctx)->uc_mcontext.pc);
}

runtime::StoreState* store_of(const void* uctx) {
  // x28 holds the VMContext (or a host context): both start with the store.
  auto vm = static_cast<uintptr_t>(static_cast<const ucontext_t*>(uctx)->uc_mcontext.regs[28]);
  return *reinterpret_cast<runtime::StoreState**>(vm);
}

void resume_at_unwind(void* uctx, uint32_t code, uintptr_t pc, uintptr_t stub) {
  auto* uc = static_cast<ucontext_t*>(uctx);
  uc->uc_mcontext.regs[0] = code;
  uc->uc_mcontext.regs[17] = pc;  // for the backtrace
  uc->uc_mcontext.pc = stub;
}

}  // namespace

const runtime::SignalContextOps& signal_context_ops() {
  static const runtime::SignalContextOps ops{&pc_of, &store_of, &resume_at_unwind};
  return ops;
}
#endif

}  // namespace brisk::compiler::a64
