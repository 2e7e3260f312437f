// Lookup tables over the opcode space, generated from opcodes.def.
#include "compiler/decode/opcodes.h"

#include <array>

namespace brisk::compiler {
namespace {

struct Tables {
  std::array<OpcodeInfo, 3 * 256> info{};
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

constexpr Tables kTables;
constexpr OpcodeInfo kUnknown{nullptr, Sig::kNone, 0};

}  // namespace

const OpcodeInfo& opcode_info(uint16_t code) {
  int prefix = code >> 8;
  if (prefix != 0 && prefix != kPrefixMisc && prefix != kPrefixSimd) return kUnknown;
  return kTables.info[Tables::slot(code)];
}

}  // namespace brisk::compiler
