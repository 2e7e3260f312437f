// Signal-context accessors for x86-64 Linux: where the trap protocol's
// registers live in a ucontext_t (docs/BACKENDS.md, "Traps").
#include <signal.h>
#include <ucontext.h>

#include "compiler/x64/backend_x64.h"

namespace brisk::compiler::x64 {

namespace {

uintptr_t pc_of(const void* uctx) {
  return static_cast<uintptr_t>(static_cast<const ucontext_t*>(uctx)->uc_mcontext.gregs[REG_RIP]);
}

runtime::StoreState* store_of(const void* uctx) {
  // r14 holds the VMContext (or a host context): both start with the store.
  auto vm = static_cast<uintptr_t>(static_cast<const ucontext_t*>(uctx)->uc_mcontext.gregs[REG_R14]);
  return *reinterpret_cast<runtime::StoreState**>(vm);
}

void resume_at_unwind(void* uctx, uint32_t code, uintptr_t pc, uintptr_t stub) {
  auto* uc = static_cast<ucontext_t*>(uctx);
  uc->uc_mcontext.gregs[REG_RAX] = static_cast<greg_t>(code);
  uc->uc_mcontext.gregs[REG_R10] = static_cast<greg_t>(pc);  // for the backtrace
  uc->uc_mcontext.gregs[REG_RIP] = static_cast<greg_t>(stub);
}

}  // namespace

const runtime::SignalContextOps& signal_context_ops() {
  static const runtime::SignalContextOps ops{&pc_of, &store_of, &resume_at_unwind};
  return ops;
}

}  // namespace brisk::compiler::x64
