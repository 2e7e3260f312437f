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

extern const std::array<OpcodeInfo, kNumOpcodes> kOpcodeTable;
inline const OpcodeInfo& opcode_info(Opcode op) { return kOpcodeTable[static_cast<uint32_t>(op)]; }
inline const char* opcode_name(Opcode op) {
  return op < Opcode::kCount ? opcode_info(op).name : "<unknown>";
}
inline bool is_simd(Opcode op) { return opcode_info(op).prefix == kPrefixSimd; }

/// The operator with this encoding, or Opcode::kCount if none is assigned
/// (prefix 0 with a byte, or a prefix with a 32-bit sub-opcode).
Opcode opcode_from(uint8_t prefix, uint32_t code);

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_DECODE_OPCODES_H_
