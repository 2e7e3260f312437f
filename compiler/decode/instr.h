// One decoded operator with its immediates, and the decoder that reads it.
// The validator and the code generator both consume Instr, so a function body
// is decoded exactly once.
#ifndef BRISK_COMPILER_DECODE_INSTR_H_
#define BRISK_COMPILER_DECODE_INSTR_H_

#include <array>
#include <cstdint>
#include <vector>

#include "brisk/status.h"
#include "compiler/decode/opcodes.h"
#include "compiler/decode/reader.h"
#include "compiler/decode/types.h"

namespace brisk::compiler {

struct MemArg {
  uint32_t align_log2 = 0;  ///< as encoded; validation bounds it by the natural alignment
  uint32_t offset = 0;
};

/// `blocktype`: empty, one value type, or a type index.
struct BlockType {
  enum class Kind : uint8_t { kEmpty, kValue, kIndex };
  Kind kind = Kind::kEmpty;
  ValType type = ValType::kBottom;  ///< kValue
  uint32_t index = 0;               ///< kIndex
};

/// A decoded operator. Which immediates are meaningful depends on `op`.
struct Instr {
  Opcode op = Opcode::kNop;
  uint32_t offset = 0;   ///< byte offset of the opcode in the module
  uint32_t index = 0;    ///< local/global/func/type/label/data/elem index; br_table default
  uint32_t index2 = 0;   ///< call_indirect / table.init / table.copy second index
  BlockType block;       ///< block, loop, if
  MemArg mem;            ///< loads, stores, lane memory ops
  uint8_t lane = 0;      ///< extract/replace lane, load/store lane
  ValType type = ValType::kBottom;  ///< ref.null, select t
  union {
    int32_t i32;
    int64_t i64;
    uint32_t f32_bits;
    uint64_t f64_bits;
  } imm = {0};
  uint8_t v128[16] = {};  ///< v128.const bytes, i8x16.shuffle lanes
};

namespace detail {

/// How next() reads an opcode byte without a prefix: kNone, no immediates;
/// kIndex, one u32; kI32Const, kI64Const; kMem, a memarg; kSlow, anything
/// else (and every immediate longer than two bytes).
enum class FastForm : uint8_t { kSlow, kNone, kIndex, kI32Const, kI64Const, kMem, kBlock };
constexpr std::array<FastForm, 256> fast_forms() {
  std::array<FastForm, 256> t{};
  for (uint32_t b = 0; b < 256; ++b) {
    Opcode op = detail::kPlainOps.find(b);
    FastForm f = FastForm::kNone;
    switch (op) {
      case Opcode::kCount:
      case Opcode::kBrTable: case Opcode::kCallIndirect: case Opcode::kSelectT:
      case Opcode::kMemorySize: case Opcode::kMemoryGrow:
      case Opcode::kF32Const: case Opcode::kF64Const: case Opcode::kRefNull:
        f = FastForm::kSlow;
        break;
      case Opcode::kBlock: case Opcode::kLoop: case Opcode::kIf:
        f = FastForm::kBlock;
        break;
      case Opcode::kI64Const:
        f = FastForm::kI64Const;
        break;
      case Opcode::kBr: case Opcode::kBrIf: case Opcode::kCall:
      case Opcode::kLocalGet: case Opcode::kLocalSet: case Opcode::kLocalTee:
      case Opcode::kGlobalGet: case Opcode::kGlobalSet:
      case Opcode::kTableGet: case Opcode::kTableSet: case Opcode::kRefFunc:
        f = FastForm::kIndex;
        break;
      case Opcode::kI32Const:
        f = FastForm::kI32Const;
        break;
      default: {
        Sig sig = kOpcodeTable[static_cast<uint32_t>(op)].sig;
        if (sig >= Sig::kLoad_i && sig <= Sig::kStore_v) f = FastForm::kMem;
      }
    }
    t[b] = f;
  }
  return t;
}
inline constexpr std::array<FastForm, 256> kFastForm = fast_forms();

/// Opcode bytes of operators without immediates and of a fixed signature
/// that is not a memory access (arithmetic, comparisons, conversions): the
/// fast lane of walk_body takes them.
constexpr std::array<bool, 256> plain_fixed() {
  std::array<bool, 256> t{};
  for (uint32_t b = 0; b < 256; ++b) {
    Opcode op = detail::kPlainOps.find(b);
    if (op == Opcode::kCount || fast_forms()[b] != FastForm::kNone) continue;
    Sig sig = kOpcodeTable[static_cast<uint32_t>(op)].sig;
    t[b] = sig > Sig::kStore_v;
  }
  return t;
}
inline constexpr std::array<bool, 256> kPlainFixed = plain_fixed();

}  // namespace detail

/// Decodes operators from a function body (or constant expression).
/// `has_data_count` enables memory.init / data.drop (they require the
/// datacount section in the binary format).
class InstrDecoder {
 public:
  explicit InstrDecoder(bool has_data_count) : has_data_count_(has_data_count) {}

  /// Reads one operator. br_table targets (without the default) go to
  /// targets(); they stay valid until the next call. Inline: the operators
  /// without immediates or with one-byte ones (most of any body) are read
  /// here, the rest by next_slow().
  __attribute__((always_inline)) Status next(Reader& r, Instr& out) {
    const uint8_t* p = r.pos();
    if (r.remaining() >= 11) [[likely]] {  // opcode + two u32 immediates, or one i64 (of 10 bytes at most)
      uint8_t b = p[0];
      uint32_t a, c;
      int n, m;
      switch (detail::kFastForm[b]) {
        case detail::FastForm::kNone:
          out.offset = static_cast<uint32_t>(r.offset());
          out.op = detail::kPlainOps.ops[b];
          r.set_pos(p + 1);
          return Status::ok();
        case detail::FastForm::kIndex:
          if (!(n = uleb32(p + 1, &a))) break;
          out.offset = static_cast<uint32_t>(r.offset());
          out.op = detail::kPlainOps.ops[b];
          out.index = a;
          r.set_pos(p + 1 + n);
          return Status::ok();
        case detail::FastForm::kI32Const: {
          int32_t v;
          if (!(n = sleb32(p + 1, &v))) break;
          out.offset = static_cast<uint32_t>(r.offset());
          out.op = Opcode::kI32Const;
          out.imm.i32 = v;
          r.set_pos(p + 1 + n);
          return Status::ok();
        }
        case detail::FastForm::kI64Const: {
          int64_t v;
          if (!(n = sleb64(p + 1, &v))) break;
          out.offset = static_cast<uint32_t>(r.offset());
          out.op = Opcode::kI64Const;
          out.imm.i64 = v;
          r.set_pos(p + 1 + n);
          return Status::ok();
        }
        case detail::FastForm::kMem:
          if (!(n = uleb32(p + 1, &a)) || !(m = uleb32(p + 1 + n, &c))) break;
          out.offset = static_cast<uint32_t>(r.offset());
          out.op = detail::kPlainOps.ops[b];
          out.mem.align_log2 = a;
          out.mem.offset = c;
          r.set_pos(p + 1 + n + m);
          return Status::ok();
        case detail::FastForm::kBlock: {
          // The empty block type or a one-byte value type; an index or
          // anything malformed goes the slow way.
          uint8_t t = p[1];
          if (t == 0x40) {
            out.block.kind = BlockType::Kind::kEmpty;
          } else if (t == 0x7f || t == 0x7e || t == 0x7d || t == 0x7c || t == 0x7b || t == 0x70 || t == 0x6f) {
            out.block.kind = BlockType::Kind::kValue;
            out.block.type = static_cast<ValType>(t);
          } else {
            break;
          }
          out.offset = static_cast<uint32_t>(r.offset());
          out.op = detail::kPlainOps.ops[b];
          r.set_pos(p + 2);
          return Status::ok();
        }
        case detail::FastForm::kSlow:
          break;
      }
    }
    return next_slow(r, out);
  }
  const std::vector<uint32_t>& targets() const { return targets_; }

  // LEB128 of any valid length, 5 bytes at most for 32 bits and 10 for 64
  // (the caller made sure of that many bytes); 0 for anything longer or
  // out of range, for next_slow to report with every check.
  static int uleb32(const uint8_t* q, uint32_t* v) {
    uint32_t x = 0;
    for (int k = 0; k < 4; ++k) {
      x |= uint32_t{q[k] & 0x7fu} << (7 * k);
      if (q[k] < 0x80) {
        *v = x;
        return k + 1;
      }
    }
    if (q[4] > 0x0f) return 0;  // a continuation, or bits beyond 32
    *v = x | uint32_t{q[4]} << 28;
    return 5;
  }
  static int sleb32(const uint8_t* q, int32_t* v) {
    uint32_t x = 0;
    for (int k = 0; k < 4; ++k) {
      x |= uint32_t{q[k] & 0x7fu} << (7 * k);
      if (q[k] < 0x80) {
        int shift = 32 - 7 * (k + 1);  // sign-extend the 7(k+1) bits read
        *v = static_cast<int32_t>(x << shift) >> shift;
        return k + 1;
      }
    }
    // The last byte: 4 bits of value; the 3 above them repeat the sign.
    uint8_t last = q[4];
    if (last >= 0x80 || ((last & 0x78) != 0 && (last & 0x78) != 0x78)) return 0;
    *v = static_cast<int32_t>(x | uint32_t{last} << 28);
    return 5;
  }
  static int sleb64(const uint8_t* q, int64_t* v) {
    uint64_t x = 0;
    for (int k = 0; k < 9; ++k) {
      x |= uint64_t{q[k] & 0x7fu} << (7 * k);
      if (q[k] < 0x80) {
        int shift = 64 - 7 * (k + 1);
        *v = static_cast<int64_t>(x << shift) >> shift;
        return k + 1;
      }
    }
    // The tenth byte: 1 bit of value; the 6 above it repeat the sign.
    uint8_t last = q[9];
    if (last != 0x00 && last != 0x7f) return 0;
    *v = static_cast<int64_t>(x | uint64_t{last} << 63);
    return 10;
  }

 private:
  Status next_slow(Reader& r, Instr& out);
  Status decode_misc(Reader& r, Instr& out);
  Status decode_simd(Reader& r, Instr& out);
  bool has_data_count_;
  std::vector<uint32_t> targets_;
};

/// The post-2.0 proposal a value-type byte or an opcode byte belongs to
/// ("exception handling", ...), or nullptr: named in the errors.
const char* proposal_of_type(uint8_t b);
const char* proposal_of_opcode(uint8_t b);

/// A value type byte; "malformed value type" if it is none.
Result<ValType> read_val_type(Reader& r);
/// A reference type byte; "malformed reference type" if it is none.
Result<ValType> read_ref_type(Reader& r);

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_DECODE_INSTR_H_
