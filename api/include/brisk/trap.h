/// \file Traps: codes, and the Wasm backtrace a trap Status carries.
#ifndef BRISK_API_TRAP_H_
#define BRISK_API_TRAP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "brisk/status.h"

namespace brisk {

/// Why Wasm code trapped (the code of a kTrap Status).
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
  kHostError,             ///< a host function failed; the message is its error's
  kOutOfMemory,           ///< the host could not allocate what Wasm asked for
  kInterrupted,
  kInternalInvariant,     ///< a debug check in generated code failed (a compiler bug)
};

/// The trap code of a kTrap Status (kNone for anything else).
TrapCode trap_code_of(const Status& s);
/// The same as a number (runtime/trap.h's values).
uint32_t trap_code(const Status& s);

/// One frame of a trap's Wasm backtrace, innermost first.
struct Frame {
  uint32_t func_index = 0;
  std::string func_name;       ///< from the name section, or empty
  uint32_t func_offset = 0;    ///< offset of the function body in the module
  uint32_t module_offset = 0;  ///< the same (Brisk keeps no per-instruction map yet)
  const void* instance = nullptr;  ///< identity of the instance (for the C API)
};

/// The frames of a trap Status (empty for other errors).
std::vector<Frame> trap_frames(const Status& s);

}  // namespace brisk

#endif  // BRISK_API_TRAP_H_
