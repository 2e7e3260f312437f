// The opcode tables are constexpr in opcodes.h (the decoder looks an
// operator up per instruction); this file checks them at compile time.
#include "compiler/decode/opcodes.h"

namespace brisk::compiler {

static_assert(detail::kPlainOps.find(0x6a) == Opcode::kI32Add);
static_assert(detail::kMiscOps.find(0x0b) == Opcode::kMemoryFill);

}  // namespace brisk::compiler
