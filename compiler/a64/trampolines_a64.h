// Entry trampolines (C++ -> Wasm, one per parameter/result count shape) and
// the exit trampoline (Wasm -> host function).
#ifndef BRISK_COMPILER_A64_TRAMPOLINES_A64_H_
#define BRISK_COMPILER_A64_TRAMPOLINES_A64_H_

#include <cstdint>
#include <memory>

#include "brisk/status.h"
#include "compiler/decode/types.h"
#include "compiler/a64/abi_a64.h"
#include "runtime/code_memory.h"

namespace brisk::compiler::a64 {

struct Trampolines {
  std::unique_ptr<runtime::CodeChunk> chunk;
  const void* code = nullptr;  ///< the entry point inside `chunk`
};

/// The entry trampoline for functions of `type`: (vmctx, code, slots) -> trap
/// code; slots hold the arguments on entry and the results on return, and
/// the trampoline moves them to and from the registers of the convention.
Result<Trampolines> make_entry_trampoline(const FuncType& type);

/// The code a host function of `type` has in its FuncRef: puts register
/// arguments in their slots, calls HostContext::callback with the slots,
/// loads register results back, and unwinds if the callback returns a trap code.
Result<Trampolines> make_exit_trampoline(const FuncType& type);

}  // namespace brisk::compiler::a64

#endif  // BRISK_COMPILER_A64_TRAMPOLINES_A64_H_
