// The one place that selects the code generator's instruction set. Code
// outside compiler/x64/ and compiler/a64/ reaches the backend only
// through compiler::Backend: its MacroAssembler, module-code buffers,
// trampolines and signal-context accessors.
#ifndef BRISK_COMPILER_BACKEND_H_
#define BRISK_COMPILER_BACKEND_H_

#if defined(__x86_64__)
#include "compiler/x64/backend_x64.h"
namespace brisk::compiler {
using Backend = x64::Backend;
}  // namespace brisk::compiler
#elif defined(__aarch64__)
#include "compiler/a64/backend_a64.h"
namespace brisk::compiler {
using Backend = a64::Backend;
}  // namespace brisk::compiler
#else
#error "Brisk has no code generator for this architecture"
#endif

#endif  // BRISK_COMPILER_BACKEND_H_
