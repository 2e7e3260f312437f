// Opcode enum, names and static properties, all generated from opcodes.def.
#ifndef BRISK_COMPILER_DECODE_OPCODES_H_
#define BRISK_COMPILER_DECODE_OPCODES_H_

#include <array>
#include <cstdint>

namespace brisk::compiler {

/// Dense operator numbering in table order (wabt's Opcode::Enum); the binary
/// encoding is opcode_info(op).prefix / .code.
enum class Opcode : uint16_t {
#define BRISK_OP(name, prefix, code, text, sig, align, family, arg) k##name,
#include "compiler/decode/opcodes.def"
  kCount,
};
inline constexpr uint32_t kNumOpcodes = static_cast<uint32_t>(Opcode::kCount);

inline constexpr uint8_t kPrefixMisc = 0xFC;
inline constexpr uint8_t kPrefixSimd = 0xFD;

/// Operand and result types of the simple operators (see opcodes.def).
enum class Sig : uint8_t {
  kNone,  ///< not an operator
  kSpecial,
  kLoad_i, kLoad_l, kLoad_f, kLoad_d, kLoad_v,
  kStore_i, kStore_l, kStore_f, kStore_d, kStore_v,
  k_i_i, k_i_ii, k_i_l, k_i_ll, k_i_f, k_i_ff, k_i_d, k_i_dd, k_i_v,
  k_l_l, k_l_ll, k_l_i, k_l_f, k_l_d,
  k_f_f, k_f_ff, k_f_i, k_f_l, k_f_d,
  k_d_d, k_d_dd, k_d_i, k_d_l, k_d_f,
  k_v_v, k_v_vv, k_v_vvv, k_v_vi, k_v_i, k_v_l, k_v_f, k_v_d,
};

/// The operand and result types a simple signature names (k_i_ll: result
/// i32, operands i64); kBottom for kSpecial and the memory signatures.
constexpr char sig_letter(Sig s, int which) {
  // Spelled out so it stays constexpr: index 0 = result, 1 = first operand.
  switch (s) {
#define BRISK_SIG(name, r, p) case Sig::name: return which == 0 ? r : p;
    BRISK_SIG(k_i_i, 'i', 'i') BRISK_SIG(k_i_ii, 'i', 'i') BRISK_SIG(k_i_l, 'i', 'l') BRISK_SIG(k_i_ll, 'i', 'l')
    BRISK_SIG(k_i_f, 'i', 'f') BRISK_SIG(k_i_ff, 'i', 'f') BRISK_SIG(k_i_d, 'i', 'd') BRISK_SIG(k_i_dd, 'i', 'd')
    BRISK_SIG(k_i_v, 'i', 'v') BRISK_SIG(k_l_l, 'l', 'l') BRISK_SIG(k_l_ll, 'l', 'l') BRISK_SIG(k_l_i, 'l', 'i')
    BRISK_SIG(k_l_f, 'l', 'f') BRISK_SIG(k_l_d, 'l', 'd') BRISK_SIG(k_f_f, 'f', 'f') BRISK_SIG(k_f_ff, 'f', 'f')
    BRISK_SIG(k_f_i, 'f', 'i') BRISK_SIG(k_f_l, 'f', 'l') BRISK_SIG(k_f_d, 'f', 'd') BRISK_SIG(k_d_d, 'd', 'd')
    BRISK_SIG(k_d_dd, 'd', 'd') BRISK_SIG(k_d_i, 'd', 'i') BRISK_SIG(k_d_l, 'd', 'l') BRISK_SIG(k_d_f, 'd', 'f')
#undef BRISK_SIG
    default: return 0;
  }
}

struct OpcodeInfo {
  const char* name;  ///< text-format name
  uint8_t prefix;    ///< 0, kPrefixMisc or kPrefixSimd
  uint32_t code;     ///< the byte, or the sub-opcode after a prefix
  Sig sig;
  uint8_t align;     ///< natural alignment (log2) of memory operators
};

inline constexpr std::array<OpcodeInfo, kNumOpcodes> kOpcodeTable = {{
#define BRISK_OP(name, prefix, code, text, sig, align, family, arg) \
  OpcodeInfo{text, prefix, code, Sig::sig, static_cast<uint8_t>(align)},
#include "compiler/decode/opcodes.def"
}};

inline const OpcodeInfo& opcode_info(Opcode op) { return kOpcodeTable[static_cast<uint32_t>(op)]; }
inline const char* opcode_name(Opcode op) {
  return op < Opcode::kCount ? opcode_info(op).name : "<unknown>";
}
inline bool is_simd(Opcode op) { return opcode_info(op).prefix == kPrefixSimd; }

namespace detail {

// Per prefix, code -> Opcode, sized by the largest code in the table.
template <uint8_t kPrefix>
struct OpcodeSpace {
  static constexpr uint32_t size() {
    uint32_t n = 0;
    for (const OpcodeInfo& i : kOpcodeTable) {
      if (i.prefix == kPrefix && i.code + 1 > n) n = i.code + 1;
    }
    return n;
  }
  std::array<Opcode, size()> ops{};
  constexpr OpcodeSpace() {
    for (Opcode& o : ops) o = Opcode::kCount;
    for (uint32_t k = 0; k < kNumOpcodes; ++k) {
      if (kOpcodeTable[k].prefix == kPrefix) ops[kOpcodeTable[k].code] = static_cast<Opcode>(k);
    }
  }
  constexpr Opcode find(uint32_t code) const { return code < ops.size() ? ops[code] : Opcode::kCount; }
};

inline constexpr OpcodeSpace<0> kPlainOps;
inline constexpr OpcodeSpace<kPrefixMisc> kMiscOps;
inline constexpr OpcodeSpace<kPrefixSimd> kSimdOps;

}  // namespace detail

/// The operator with this encoding, or Opcode::kCount if none is assigned
/// (prefix 0 with a byte, or a prefix with a 32-bit sub-opcode). Inline: the
/// decoder asks once per operator.
constexpr Opcode opcode_from(uint8_t prefix, uint32_t code) {
  switch (prefix) {
    case 0: return detail::kPlainOps.find(code);
    case kPrefixMisc: return detail::kMiscOps.find(code);
    case kPrefixSimd: return detail::kSimdOps.find(code);
    default: return Opcode::kCount;
  }
}

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_DECODE_OPCODES_H_
