// Entry trampolines (C++ -> Wasm, one per parameter/result count shape) and
// the exit trampoline (Wasm -> host function).
#ifndef BRISK_COMPILER_X64_TRAMPOLINES_X64_H_
#define BRISK_COMPILER_X64_TRAMPOLINES_X64_H_

#include <cstdint>
#include <memory>

#include "brisk/status.h"
#include "compiler/x64/abi_x64.h"
#include "runtime/code_memory.h"

namespace brisk::compiler::x64 {

struct Trampolines {
  std::unique_ptr<runtime::CodeChunk> chunk;
  const void* code = nullptr;  ///< the entry point inside `chunk`
};

/// An entry trampoline for functions with `params` parameters and `results`
/// results: (vmctx, code, slots) -> trap code.
Result<Trampolines> make_entry_trampoline(uint32_t params, uint32_t results);

/// The code a host function's FuncRef points at: calls HostContext::callback
/// with the argument/result slots, unwinds if it returns a trap code.
Result<Trampolines> make_exit_trampoline();

}  // namespace brisk::compiler::x64

#endif  // BRISK_COMPILER_X64_TRAMPOLINES_X64_H_
