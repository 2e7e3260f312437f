// Lookup tables over the opcode space, generated from opcodes.def.
#include "compiler/decode/opcodes.h"

#include <array>

namespace brisk::compiler {

namespace {

constexpr std::array<OpcodeInfo, kNumOpcodes> kTable = {{
#define BRISK_OP(name, prefix, code, text, sig, align, family, arg) \
  OpcodeInfo{text, prefix, code, Sig::sig, static_cast<uint8_t>(align)},
#include "compiler/decode/opcodes.def"
}};

// Per prefix, code -> Opcode, sized by the largest code in the table.
template <uint8_t kPrefix>
struct Space {
  static constexpr uint32_t size() {
    uint32_t n = 0;
    for (const OpcodeInfo& i : kTable) {
      if (i.prefix == kPrefix && i.code + 1 > n) n = i.code + 1;
    }
    return n;
  }
  std::array<Opcode, size()> ops{};
  constexpr Space() {
    for (Opcode& o : ops) o = Opcode::kCount;
    for (uint32_t k = 0; k < kNumOpcodes; ++k) {
      if (kTable[k].prefix == kPrefix) ops[kTable[k].code] = static_cast<Opcode>(k);
    }
  }
  Opcode find(uint32_t code) const { return code < ops.size() ? ops[code] : Opcode::kCount; }
};

constinit const Space<0> kPlain;
constinit const Space<kPrefixMisc> kMisc;
constinit const Space<kPrefixSimd> kSimd;

}  // namespace

constinit const std::array<OpcodeInfo, kNumOpcodes> kOpcodeTable = kTable;

Opcode opcode_from(uint8_t prefix, uint32_t code) {
  switch (prefix) {
    case 0: return kPlain.find(code);
    case kPrefixMisc: return kMisc.find(code);
    case kPrefixSimd: return kSimd.find(code);
    default: return Opcode::kCount;
  }
}

}  // namespace brisk::compiler
