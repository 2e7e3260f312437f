// Opcode enum, names and static properties, all generated from opcodes.def.
#ifndef BRISK_COMPILER_DECODE_OPCODES_H_
#define BRISK_COMPILER_DECODE_OPCODES_H_

#include <array>
#include <cstdint>

namespace brisk::compiler {

/// prefix << 8 | sub-opcode; plain one-byte operators have prefix 0.
enum class Opcode : uint16_t {
#define BRISK_OP(name, code, text, sig, align) k##name = code,
#include "compiler/decode/opcodes.def"
};

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

struct OpcodeInfo {
  const char* name;  ///< text-format name, nullptr if the code is unassigned
  Sig sig;
  uint8_t align;     ///< natural alignment (log2) of memory operators
};

/// Info for the 3 x 256 opcode space (prefix 0, 0xFC, 0xFD) plus one
/// "unassigned" entry; sub-opcodes of the prefixed spaces beyond 255 are unassigned.
extern const std::array<OpcodeInfo, 3 * 256 + 1> kOpcodeTable;
inline const OpcodeInfo& opcode_info(uint16_t code) {
  uint32_t prefix = code >> 8;
  uint32_t base = prefix == 0 ? 0 : prefix == kPrefixMisc ? 256 : prefix == kPrefixSimd ? 512 : 768;
  return kOpcodeTable[base == 768 ? 768 : base + (code & 0xff)];
}
inline const OpcodeInfo& opcode_info(Opcode op) { return opcode_info(static_cast<uint16_t>(op)); }
inline const char* opcode_name(Opcode op) {
  const char* n = opcode_info(op).name;
  return n ? n : "<unknown>";
}

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_DECODE_OPCODES_H_
