// Lookup tables over the opcode space, generated from opcodes.def.
#include "compiler/decode/opcodes.h"

#include <array>

namespace brisk::compiler {
namespace {

struct Tables {
  std::array<OpcodeInfo, 3 * 256 + 1> info{};
  constexpr Tables() {
#define BRISK_OP(name_, code, text, sig_, align_)                             \
  info[slot(code)] = OpcodeInfo{text, Sig::sig_, static_cast<uint8_t>(align_)};
#include "compiler/decode/opcodes.def"
  }
  static constexpr int slot(uint16_t code) {
    int prefix = code >> 8;
    int base = prefix == 0 ? 0 : prefix == kPrefixMisc ? 256 : 512;
    return base + (code & 0xff);
  }
};

}  // namespace

constinit const std::array<OpcodeInfo, 3 * 256 + 1> kOpcodeTable = Tables().info;

}  // namespace brisk::compiler
