// Direct encoding of the instruction forms the compiler emits most: moves
// and ALU operations between general registers, 32-bit immediates and
// [base + disp] slots, written straight into asmjit's buffer. asmjit's
// generic encoder spends about 200 host instructions per instruction (27%
// of a compile); these take about 15. The bytes are exactly asmjit's
// (//tests/masm:raw_x64_test compares every form with it). Each returns
// false, writing nothing, when the buffer lacks room: the caller then goes
// through asmjit, which grows it.
#ifndef BRISK_COMPILER_X64_RAW_X64_H_
#define BRISK_COMPILER_X64_RAW_X64_H_

#include <asmjit/x86.h>

#include <cstdint>
#include <cstring>

namespace brisk::compiler::x64 {

/// An opcode on memory for RawX64::mem_index. `byte_reg`: the register is
/// an 8-bit one (sil/dil/spl/bpl need a REX prefix to be named).
struct RawMemOp {
  uint8_t op0 = 0, op1 = 0;  // op1 = 0: a one-byte opcode
  bool w64 = false;
  bool o16 = false;
  bool byte_reg = false;
};

namespace raw {
inline constexpr RawMemOp kLoad32{0x8B, 0}, kLoad64{0x8B, 0, true}, kStore32{0x89, 0}, kStore64{0x89, 0, true},
    kStore16{0x89, 0, false, true}, kStore8{0x88, 0, false, false, true}, kMovzx8{0x0F, 0xB6}, kMovzx16{0x0F, 0xB7},
    kMovsx8{0x0F, 0xBE}, kMovsx16{0x0F, 0xBF}, kMovsx8To64{0x0F, 0xBE, true}, kMovsx16To64{0x0F, 0xBF, true},
    kMovsxd{0x63, 0, true};
}  // namespace raw

class RawX64 {
 public:
  /// Opcodes of "op r/m, r" (the register operand in ModRM.reg).
  static constexpr uint8_t kMovStore = 0x89, kMovLoad = 0x8B, kAdd = 0x01, kSub = 0x29, kAnd = 0x21, kOr = 0x09,
                           kXor = 0x31, kCmp = 0x39, kTest = 0x85;
  /// The same operations as "op reg, r/m" (with rm(): op reg, [base + disp]).
  static constexpr uint8_t kAddLoad = 0x03, kSubLoad = 0x2B, kAndLoad = 0x23, kOrLoad = 0x0B, kXorLoad = 0x33,
                           kCmpLoad = 0x3B;
  /// movsxd r64, r/m32: the destination in ModRM.reg (rr(kMovsxd, true, src, dst)).
  static constexpr uint8_t kMovsxd = 0x63;
  /// lea reg, [base + disp] (rm(kLea, ...)).
  static constexpr uint8_t kLea = 0x8D;
  /// ModRM.reg digits of the shifts by an immediate (0xC1 /digit ib).
  static constexpr uint8_t kRolDigit = 0, kRorDigit = 1, kShlDigit = 4, kShrDigit = 5, kSarDigit = 7;
  /// ModRM.reg digits of "op r/m, imm" (0x81 /digit id, 0x83 /digit ib).
  static constexpr uint8_t kAddDigit = 0, kOrDigit = 1, kAndDigit = 4, kSubDigit = 5, kXorDigit = 6, kCmpDigit = 7;

  explicit RawX64(asmjit::x86::Assembler& a) : a_(a) {}

  /// op rm, reg (register direct).
  bool rr(uint8_t opcode, bool w64, uint8_t rm, uint8_t reg) {
    uint8_t* p = room();
    if (!p) return false;
    p = rex(p, w64, reg, rm);
    *p++ = opcode;
    *p++ = static_cast<uint8_t>(0xC0 | (reg & 7) << 3 | (rm & 7));
    return commit(p);
  }

  /// op reg, [base + disp] or op [base + disp], reg: `opcode` says which.
  bool rm(uint8_t opcode, bool w64, uint8_t reg, uint8_t base, int32_t disp) {
    uint8_t* p = room();
    if (!p) return false;
    p = rex(p, w64, reg, base);
    *p++ = opcode;
    p = modrm_mem(p, reg, base, disp);
    return commit(p);
  }

  /// An operation on [base + index + disp] (index: a register, scale 1):
  /// [66] [REX] op0 [op1] ModRM SIB [disp].
  using MemOp = RawMemOp;
  bool mem_index(MemOp op, uint8_t reg, uint8_t base, uint8_t index, int32_t disp) {
    uint8_t* p = room();
    if (!p) return false;
    if (op.o16) *p++ = 0x66;
    uint8_t r = static_cast<uint8_t>((op.w64 ? 8 : 0) | (reg >> 3) << 2 | (index >> 3) << 1 | (base >> 3));
    if (r || (op.byte_reg && reg >= 4 && reg < 8)) *p++ = static_cast<uint8_t>(0x40 | r);
    *p++ = op.op0;
    if (op.op1) *p++ = op.op1;
    p = sib_disp(p, reg, base, index, disp);
    return commit(p);
  }

  /// op reg, imm (0x83 with an 8-bit immediate, else 0x81, or the short
  /// form for eax/rax, with 32 bits).
  bool ri(uint8_t digit, bool w64, uint8_t reg, int32_t imm) {
    uint8_t* p = room();
    if (!p) return false;
    p = rex(p, w64, 0, reg);
    bool small = imm >= -128 && imm <= 127;
    if (!small && reg == 0) {
      *p++ = static_cast<uint8_t>(digit << 3 | 5);  // the short eax/rax form, as asmjit picks
    } else {
      *p++ = small ? 0x83 : 0x81;
      *p++ = static_cast<uint8_t>(0xC0 | digit << 3 | (reg & 7));
    }
    if (small) {
      *p++ = static_cast<uint8_t>(imm);
    } else {
      memcpy(p, &imm, 4);
      p += 4;
    }
    return commit(p);
  }

  /// A shift or rotate of reg by an immediate count (0xC1 /digit ib; 0xD1
  /// /digit by one).
  bool shift_ri(uint8_t digit, bool w64, uint8_t reg, uint8_t count) {
    uint8_t* p = room();
    if (!p) return false;
    p = rex(p, w64, 0, reg);
    *p++ = count == 1 ? 0xD1 : 0xC1;  // by one: the short form, as asmjit picks
    *p++ = static_cast<uint8_t>(0xC0 | digit << 3 | (reg & 7));
    if (count != 1) *p++ = count;
    return commit(p);
  }

  /// mov [base + index + disp], imm of `size` bytes (1, 2, 4, or 8: an imm32
  /// sign-extended).
  bool store_imm_index(uint32_t size, uint8_t base, uint8_t index, int32_t disp, int64_t imm) {
    uint8_t* p = room();
    if (!p) return false;
    if (size == 2) *p++ = 0x66;
    uint8_t r = static_cast<uint8_t>((size == 8 ? 8 : 0) | (index >> 3) << 1 | (base >> 3));
    if (r) *p++ = static_cast<uint8_t>(0x40 | r);
    *p++ = size == 1 ? 0xC6 : 0xC7;
    p = sib_disp(p, 0, base, index, disp);
    if (size == 1) {
      *p++ = static_cast<uint8_t>(imm);
    } else if (size == 2) {
      uint16_t v = static_cast<uint16_t>(imm);
      memcpy(p, &v, 2);
      p += 2;
    } else {
      int32_t v = static_cast<int32_t>(imm);
      memcpy(p, &v, 4);
      p += 4;
    }
    return commit(p);
  }

  /// lea r10, [rip - 7]: the address of this very instruction (7 bytes).
  bool lea_r10_self() {
    static constexpr uint8_t kBytes[] = {0x4C, 0x8D, 0x15, 0xF9, 0xFF, 0xFF, 0xFF};
    uint8_t* p = room();
    if (!p) return false;
    memcpy(p, kBytes, sizeof kBytes);
    return commit(p + sizeof kBytes);
  }

  /// The first n (at most 8) of 8 bytes already encoded: one fixed-size
  /// store (room() leaves 16 bytes), not a call to memcpy.
  bool bytes8(const uint8_t (&src)[8], size_t n) {
    uint8_t* p = room();
    if (!p || n > 8) return false;
    memcpy(p, src, 8);
    return commit(p + n);
  }

  /// mov r32, imm32 (zero-extends to 64 bits).
  bool mov_ri32(uint8_t reg, uint32_t imm) {
    uint8_t* p = room();
    if (!p) return false;
    if (reg >= 8) *p++ = 0x41;
    *p++ = static_cast<uint8_t>(0xB8 | (reg & 7));
    memcpy(p, &imm, 4);
    return commit(p + 4);
  }

 private:
  uint8_t* room() const { return a_._bufferEnd - a_._bufferPtr >= 16 ? a_._bufferPtr : nullptr; }
  bool commit(uint8_t* end) {
    a_._bufferPtr = end;
    size_t size = static_cast<size_t>(end - a_._bufferData);
    asmjit::CodeBuffer& buf = a_._section->_buffer;
    if (size > buf._size) buf._size = size;
    return true;
  }
  static uint8_t* rex(uint8_t* p, bool w64, uint8_t reg, uint8_t rm) {
    uint8_t r = static_cast<uint8_t>((w64 ? 8 : 0) | (reg >> 3) << 2 | (rm >> 3));
    if (r) *p++ = static_cast<uint8_t>(0x40 | r);
    return p;
  }
  // ModRM (rm = SIB) + SIB (scale 1) + displacement.
  static uint8_t* sib_disp(uint8_t* p, uint8_t reg, uint8_t base, uint8_t index, int32_t disp) {
    uint8_t mod = disp_mod(base, disp);
    *p++ = static_cast<uint8_t>(mod << 6 | (reg & 7) << 3 | 4);
    *p++ = static_cast<uint8_t>((index & 7) << 3 | (base & 7));
    return put_disp(p, mod, disp);
  }
  static uint8_t* modrm_mem(uint8_t* p, uint8_t reg, uint8_t base, int32_t disp) {
    uint8_t mod = disp_mod(base, disp);
    *p++ = static_cast<uint8_t>(mod << 6 | (reg & 7) << 3 | (base & 7));
    if ((base & 7) == 4) *p++ = 0x24;  // rsp, r12: a SIB byte with no index
    return put_disp(p, mod, disp);
  }
  // ModRM.mod for [base + disp]: none, 8 or 32 bits (rbp/r13 always need one).
  static uint8_t disp_mod(uint8_t base, int32_t disp) {
    return disp == 0 && (base & 7) != 5 ? 0 : disp >= -128 && disp <= 127 ? 1 : 2;
  }
  static uint8_t* put_disp(uint8_t* p, uint8_t mod, int32_t disp) {
    if (mod == 1) {
      *p++ = static_cast<uint8_t>(disp);
    } else if (mod == 2) {
      memcpy(p, &disp, 4);
      p += 4;
    }
    return p;
  }
  asmjit::x86::Assembler& a_;
};

}  // namespace brisk::compiler::x64

#endif  // BRISK_COMPILER_X64_RAW_X64_H_
