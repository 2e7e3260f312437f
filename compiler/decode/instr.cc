// Operator decoding: opcode plus immediates, with the binary format's
// malformedness checks (reserved zero bytes, LEB128 bounds, unknown opcodes).
#include "compiler/decode/instr.h"

#include <cstring>

namespace brisk::compiler {

const char* proposal_of_type(uint8_t b) {
  switch (b) {
    case 0x69: case 0x74: return "exception handling";           // exnref, nullexnref
    case 0x63: case 0x64: return "typed function references";     // (ref null ht), (ref ht)
    case 0x6e: case 0x6d: case 0x6c: case 0x6b: case 0x6a:        // any eq i31 struct array
    case 0x71: case 0x72: case 0x73: return "garbage collection";  // none noextern nofunc
    default: return nullptr;
  }
}

const char* proposal_of_opcode(uint8_t b) {
  switch (b) {
    case 0x06: case 0x07: case 0x08: case 0x09: case 0x0a: case 0x18: case 0x19: case 0x1f:
      return "exception handling";  // try catch throw rethrow throw_ref delegate catch_all try_table
    case 0x12: case 0x13: return "tail calls";
    case 0x14: case 0x15: case 0xd3: case 0xd4: case 0xd6: return "typed function references";
    case 0xd5: case 0xfb: return "garbage collection";
    case 0xfe: return "threads";
    default: return nullptr;
  }
}

namespace {

// The spec's text first (the testsuite matches on it), then what Brisk lacks.
Status unsupported(Reader& r, size_t at, const char* spec_text, const char* proposal) {
  return r.error_at(at, std::string(spec_text) + ": " + proposal + " is not supported");
}

}  // namespace

Result<ValType> read_val_type(Reader& r) {
  size_t at = r.offset();
  BRISK_ASSIGN_OR_RETURN(uint8_t b, r.u8());
  switch (b) {
    case 0x7f: case 0x7e: case 0x7d: case 0x7c: case 0x7b: case 0x70: case 0x6f:
      return static_cast<ValType>(b);
    default:
      if (const char* p = proposal_of_type(b)) return unsupported(r, at, "malformed value type", p);
      return r.error_at(at, "malformed value type");
  }
}

Result<ValType> read_ref_type(Reader& r) {
  size_t at = r.offset();
  BRISK_ASSIGN_OR_RETURN(uint8_t b, r.u8());
  if (b == 0x70 || b == 0x6f) return static_cast<ValType>(b);
  if (const char* p = proposal_of_type(b)) return unsupported(r, at, "malformed reference type", p);
  return r.error_at(at, "malformed reference type");
}

namespace {

Status read_zero_byte(Reader& r) {
  size_t at = r.offset();
  BRISK_ASSIGN_OR_RETURN(uint8_t b, r.u8());
  if (b != 0) return r.error_at(at, "zero byte expected");
  return Status::ok();
}

Status read_memarg(Reader& r, MemArg& m) {
  BRISK_ASSIGN_OR_RETURN(m.align_log2, r.u32());
  BRISK_ASSIGN_OR_RETURN(m.offset, r.u32());
  return Status::ok();
}

Status read_block_type(Reader& r, BlockType& bt) {
  uint8_t b = r.peek_u8();
  if (b == 0x40) {
    (void)r.u8();
    bt.kind = BlockType::Kind::kEmpty;
    return Status::ok();
  }
  if (b & 0x40 && !(b & 0x80)) {  // a negative one-byte s33: a value type
    BRISK_ASSIGN_OR_RETURN(bt.type, read_val_type(r));
    bt.kind = BlockType::Kind::kValue;
    return Status::ok();
  }
  size_t at = r.offset();
  BRISK_ASSIGN_OR_RETURN(int64_t idx, r.s33());
  if (idx < 0) return r.error_at(at, "malformed value type");
  if (idx > UINT32_MAX) return r.error_at(at, "integer too large");
  bt.kind = BlockType::Kind::kIndex;
  bt.index = static_cast<uint32_t>(idx);
  return Status::ok();
}

}  // namespace

Status InstrDecoder::next_slow(Reader& r, Instr& out) {
  out.offset = static_cast<uint32_t>(r.offset());
  BRISK_ASSIGN_OR_RETURN(uint8_t b, r.u8());
  if (b == kPrefixMisc) return decode_misc(r, out);
  if (b == kPrefixSimd) return decode_simd(r, out);
  out.op = opcode_from(0, b);
  if (out.op == Opcode::kCount) {
    if (const char* p = proposal_of_opcode(b)) return unsupported(r, out.offset, "illegal opcode", p);
    return r.error_at(out.offset, "illegal opcode");
  }
  switch (out.op) {
    case Opcode::kBlock:
    case Opcode::kLoop:
    case Opcode::kIf:
      return read_block_type(r, out.block);
    case Opcode::kBr:
    case Opcode::kBrIf:
    case Opcode::kCall:
    case Opcode::kLocalGet:
    case Opcode::kLocalSet:
    case Opcode::kLocalTee:
    case Opcode::kGlobalGet:
    case Opcode::kGlobalSet:
    case Opcode::kTableGet:
    case Opcode::kTableSet:
    case Opcode::kRefFunc: {
      BRISK_ASSIGN_OR_RETURN(out.index, r.u32());
      return Status::ok();
    }
    case Opcode::kBrTable: {
      BRISK_ASSIGN_OR_RETURN(uint32_t n, r.u32());
      // Each target takes at least one byte: reject absurd counts before allocating.
      if (n > r.remaining()) return r.error_eof();
      targets_.resize(n);
      for (uint32_t i = 0; i < n; ++i) {
        BRISK_ASSIGN_OR_RETURN(targets_[i], r.u32());
      }
      BRISK_ASSIGN_OR_RETURN(out.index, r.u32());
      return Status::ok();
    }
    case Opcode::kCallIndirect: {
      BRISK_ASSIGN_OR_RETURN(out.index, r.u32());
      BRISK_ASSIGN_OR_RETURN(out.index2, r.u32());
      return Status::ok();
    }
    case Opcode::kSelectT: {
      BRISK_ASSIGN_OR_RETURN(uint32_t n, r.u32());
      out.index = n;  // arity; validation wants exactly one
      out.type = ValType::kBottom;
      for (uint32_t i = 0; i < n; ++i) {
        BRISK_ASSIGN_OR_RETURN(ValType t, read_val_type(r));
        if (i == 0) out.type = t;
      }
      return Status::ok();
    }
    case Opcode::kMemorySize:
    case Opcode::kMemoryGrow:
      return read_zero_byte(r);
    case Opcode::kI32Const: {
      BRISK_ASSIGN_OR_RETURN(out.imm.i32, r.s32());
      return Status::ok();
    }
    case Opcode::kI64Const: {
      BRISK_ASSIGN_OR_RETURN(out.imm.i64, r.s64());
      return Status::ok();
    }
    case Opcode::kF32Const: {
      BRISK_ASSIGN_OR_RETURN(out.imm.f32_bits, r.u32_fixed());
      return Status::ok();
    }
    case Opcode::kF64Const: {
      BRISK_ASSIGN_OR_RETURN(out.imm.f64_bits, r.u64_fixed());
      return Status::ok();
    }
    case Opcode::kRefNull: {
      BRISK_ASSIGN_OR_RETURN(out.type, read_ref_type(r));
      return Status::ok();
    }
    default:
      break;
  }
  Sig sig = opcode_info(out.op).sig;
  if (sig >= Sig::kLoad_i && sig <= Sig::kStore_v) return read_memarg(r, out.mem);
  return Status::ok();
}

Status InstrDecoder::decode_misc(Reader& r, Instr& out) {
  BRISK_ASSIGN_OR_RETURN(uint32_t sub, r.u32());
  out.op = opcode_from(kPrefixMisc, sub);
  if (out.op == Opcode::kCount) {
    if (sub >= 0x13 && sub <= 0x16) return unsupported(r, out.offset, "illegal opcode", "wide arithmetic");
    return r.error_at(out.offset, "illegal opcode");
  }
  switch (out.op) {
    case Opcode::kMemoryInit:
      if (!has_data_count_) return r.error_at(out.offset, "data count section required");
      {
        BRISK_ASSIGN_OR_RETURN(out.index, r.u32());
      }
      return read_zero_byte(r);
    case Opcode::kDataDrop:
      if (!has_data_count_) return r.error_at(out.offset, "data count section required");
      {
        BRISK_ASSIGN_OR_RETURN(out.index, r.u32());
      }
      return Status::ok();
    case Opcode::kMemoryCopy:
      BRISK_TRY(read_zero_byte(r));
      return read_zero_byte(r);
    case Opcode::kMemoryFill:
      return read_zero_byte(r);
    case Opcode::kTableInit:  // elem index, then table index
    case Opcode::kTableCopy: {  // destination table, then source table
      BRISK_ASSIGN_OR_RETURN(out.index, r.u32());
      BRISK_ASSIGN_OR_RETURN(out.index2, r.u32());
      return Status::ok();
    }
    case Opcode::kElemDrop:
    case Opcode::kTableGrow:
    case Opcode::kTableSize:
    case Opcode::kTableFill: {
      BRISK_ASSIGN_OR_RETURN(out.index, r.u32());
      return Status::ok();
    }
    default:
      return Status::ok();  // saturating truncations: no immediates
  }
}

Status InstrDecoder::decode_simd(Reader& r, Instr& out) {
  BRISK_ASSIGN_OR_RETURN(uint32_t sub, r.u32());
  out.op = opcode_from(kPrefixSimd, sub);
  if (out.op == Opcode::kCount) {
    if (sub >= 0x100 && sub <= 0x113) return unsupported(r, out.offset, "illegal opcode", "relaxed SIMD");
    return r.error_at(out.offset, "illegal opcode");
  }
  switch (out.op) {
    case Opcode::kV128Const:
    case Opcode::kI8x16Shuffle: {
      BRISK_ASSIGN_OR_RETURN(const uint8_t* p, r.bytes(16));
      memcpy(out.v128, p, 16);
      return Status::ok();
    }
    case Opcode::kV128Load8Lane: case Opcode::kV128Load16Lane:
    case Opcode::kV128Load32Lane: case Opcode::kV128Load64Lane:
    case Opcode::kV128Store8Lane: case Opcode::kV128Store16Lane:
    case Opcode::kV128Store32Lane: case Opcode::kV128Store64Lane: {
      BRISK_TRY(read_memarg(r, out.mem));
      BRISK_ASSIGN_OR_RETURN(out.lane, r.u8());
      return Status::ok();
    }
    default:
      break;
  }
  if (sub >= 21 && sub <= 34) {  // extract_lane / replace_lane
    BRISK_ASSIGN_OR_RETURN(out.lane, r.u8());
    return Status::ok();
  }
  Sig sig = opcode_info(out.op).sig;
  if (sig >= Sig::kLoad_i && sig <= Sig::kStore_v) return read_memarg(r, out.mem);
  return Status::ok();
}

}  // namespace brisk::compiler
