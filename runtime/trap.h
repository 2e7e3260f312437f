// Trap codes shared by generated code, the signal handler and the API, with
// the spec testsuite's texts.
#ifndef BRISK_RUNTIME_TRAP_H_
#define BRISK_RUNTIME_TRAP_H_

#include <cstdint>

namespace brisk::runtime {

enum class TrapCode : uint32_t {
  kNone = 0,
  kUnreachable,
  kMemoryOutOfBounds,
  kIntegerDivideByZero,
  kIntegerOverflow,
  kInvalidConversion,
  kIndirectCallTypeMismatch,
  kUndefinedElement,      ///< call_indirect index past the table's end
  kUninitializedElement,  ///< call_indirect through a null entry
  kTableOutOfBounds,
  kStackOverflow,
  kHostError,             ///< a host function failed; the message is in the store
  kOutOfMemory,           ///< the host could not allocate what Wasm asked for
  kInterrupted,
  kInternalInvariant,     ///< a debug check in generated code failed (a compiler bug)
};

inline const char* trap_message(TrapCode code) {
  switch (code) {
    case TrapCode::kNone: return "no trap";
    case TrapCode::kUnreachable: return "unreachable";
    case TrapCode::kMemoryOutOfBounds: return "out of bounds memory access";
    case TrapCode::kIntegerDivideByZero: return "integer divide by zero";
    case TrapCode::kIntegerOverflow: return "integer overflow";
    case TrapCode::kInvalidConversion: return "invalid conversion to integer";
    case TrapCode::kIndirectCallTypeMismatch: return "indirect call type mismatch";
    case TrapCode::kUndefinedElement: return "undefined element";
    case TrapCode::kUninitializedElement: return "uninitialized element";
    case TrapCode::kTableOutOfBounds: return "out of bounds table access";
    case TrapCode::kStackOverflow: return "call stack exhausted";
    case TrapCode::kHostError: return "host function error";
    case TrapCode::kOutOfMemory: return "out of memory";
    case TrapCode::kInterrupted: return "interrupted";
    case TrapCode::kInternalInvariant: return "internal error: code-generation invariant violated";
  }
  return "unknown trap";
}

}  // namespace brisk::runtime

#endif  // BRISK_RUNTIME_TRAP_H_
