// Fault handling for generated code: SIGSEGV/SIGBUS/SIGFPE/SIGILL in Brisk
// code become traps; anything else goes to the handler installed before us.
#ifndef BRISK_RUNTIME_SIGNALS_H_
#define BRISK_RUNTIME_SIGNALS_H_

namespace brisk::runtime {

/// Installs the process-wide handlers (once) and an alternate signal stack
/// for the calling thread (once per thread). Cheap after the first call.
void ensure_signal_handlers();

}  // namespace brisk::runtime

#endif  // BRISK_RUNTIME_SIGNALS_H_
