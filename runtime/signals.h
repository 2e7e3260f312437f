// Fault handling for generated code: SIGSEGV/SIGBUS/SIGFPE/SIGILL in Brisk
// code become traps; anything else goes to the handler installed before us.
#ifndef BRISK_RUNTIME_SIGNALS_H_
#define BRISK_RUNTIME_SIGNALS_H_

#include <cstddef>
#include <cstdint>

namespace brisk::runtime {

struct StoreState;

/// Where the running code's trap-protocol registers live in a signal
/// context: supplied by the code generator's backend (the runtime knows no
/// registers), e.g. compiler::Backend::signal_context().
struct SignalContextOps {
  uintptr_t (*pc)(const void* ucontext);
  /// The store of the running Wasm code (its VMContext's first word).
  StoreState* (*store)(const void* ucontext);
  /// Makes the context resume at the unwind `stub` with trap `code` and the
  /// trapping `pc` where the stub expects them.
  void (*resume_at_unwind)(void* ucontext, uint32_t code, uintptr_t pc, uintptr_t stub);
};

/// Installs the process-wide handlers (once, with `ops`; std::call_once makes
/// concurrent first calls safe). Engines call it when they are created, so
/// the handlers are in place before any Wasm code exists.
void install_signal_handlers(const SignalContextOps& ops);

/// install_signal_handlers, plus an alternate signal stack for the calling
/// thread (once per thread; unmapped again when the thread exits). Cheap
/// after the first call; every entry into Wasm makes it.
void ensure_signal_handlers(const SignalContextOps& ops);

/// Bytes of alternate signal stack Brisk has mapped and not yet released
/// (for tests: threads that exit give theirs back).
size_t alt_stack_bytes_in_use();

}  // namespace brisk::runtime

#endif  // BRISK_RUNTIME_SIGNALS_H_
