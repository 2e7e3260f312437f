// x86-64 instruction selection for the MacroAssembler operations. See
// abi_x64.h for registers and the frame layout.
#include "compiler/x64/masm_x64.h"

#include <cstring>

#include "compiler/codegen/trunc_info.h"
#include "runtime/vmcontext.h"

namespace brisk::compiler::x64 {

namespace x86 = asmjit::x86;
using asmjit::Imm;
using runtime::TrapCode;

namespace {

const x86::Gp kVm = x86::r14;
const x86::Gp kMemBase = x86::r15;
const x86::Gp kScratch = x86::r11;
const x86::Gp kScratch2 = x86::r10;
const x86::Xmm kFScratch = x86::xmm15;

x86::Gp gp(Reg r, Width w) { return w == Width::k64 ? x86::Gp(x86::gpq(r.code)) : x86::Gp(x86::gpd(r.code)); }
x86::Gp gpq(Reg r) { return x86::gpq(r.code); }
x86::Gp gpd(Reg r) { return x86::gpd(r.code); }
x86::Gp gpb(Reg r) { return x86::gpb_lo(r.code); }
x86::Xmm xmm(Reg r) { return x86::xmm(r.code); }

x86::CondCode int_cc(Cond c) {
  switch (c) {
    case Cond::kEq: return x86::CondCode::kE;
    case Cond::kNe: return x86::CondCode::kNE;
    case Cond::kLtS: return x86::CondCode::kL;
    case Cond::kLeS: return x86::CondCode::kLE;
    case Cond::kGtS: return x86::CondCode::kG;
    case Cond::kGeS: return x86::CondCode::kGE;
    case Cond::kLtU: return x86::CondCode::kB;
    case Cond::kLeU: return x86::CondCode::kBE;
    case Cond::kGtU: return x86::CondCode::kA;
    case Cond::kGeU: return x86::CondCode::kAE;
    // Float conditions after float_compare (which orders the operands so
    // "above" means the relation holds and unordered sets CF).
    case Cond::kFLt: case Cond::kFGt: return x86::CondCode::kA;
    case Cond::kFLe: case Cond::kFGe: return x86::CondCode::kAE;
    case Cond::kFNotLt: case Cond::kFNotGt: return x86::CondCode::kBE;
    case Cond::kFNotLe: case Cond::kFNotGe: return x86::CondCode::kB;
    case Cond::kFEq: return x86::CondCode::kE;    // plus NP: handled by callers
    case Cond::kFNe: return x86::CondCode::kNE;   // plus P: handled by callers
  }
  return x86::CondCode::kE;
}

bool is_f64(ValType t) { return t == ValType::kF64; }

}  // namespace

// ---------------------------------------------------------------------------
// Control

void X64Masm::branch(Cond c, Label l) {
  if (c == Cond::kFEq) {
    Label skip = new_label();
    jcc(x86::CondCode::kP, skip);
    jcc(x86::CondCode::kE, l);
    bind(skip);
  } else if (c == Cond::kFNe) {
    jcc(x86::CondCode::kP, l);
    jcc(x86::CondCode::kNE, l);
  } else {
    jcc(int_cc(c), l);
  }
}

void X64Masm::branch_if_zero(Width w, Reg r, Label l) {
  a_.test(gp(r, w), gp(r, w));
  jcc(x86::CondCode::kZ, l);
}

void X64Masm::branch_if_nonzero(Width w, Reg r, Label l) {
  a_.test(gp(r, w), gp(r, w));
  jcc(x86::CondCode::kNZ, l);
}

void X64Masm::jump_table(Reg idx, std::span<const Label> targets) {
  Label done = new_label();
  a_.cmp(gpd(idx), Imm(static_cast<int64_t>(targets.size())));
  jcc(x86::CondCode::kAE, done);
  // lea r11, [rip + table] (disp32 patched below), then the entry's delta.
  uint32_t lea_at = offset();
  static const uint8_t kLeaR11Rip[8] = {0x4C, 0x8D, 0x1D, 0, 0, 0, 0};
  emit_bytes(kLeaR11Rip, 7);
  a_.movsxd(kScratch2, x86::dword_ptr(kScratch, gpq(idx), 2));
  a_.add(kScratch2, kScratch);
  a_.jmp(kScratch2);
  a_.align(asmjit::AlignMode::kData, 4);
  uint32_t table = offset();
  patch32(lea_at + 3, static_cast<int32_t>(table - (lea_at + 7)));
  // Each entry: target - table.
  for (const Label& t : targets) {
    uint32_t at = offset();
    int32_t v = rel32_to(t, at, table);
    uint8_t b[8] = {};
    memcpy(b, &v, 4);
    emit_bytes(b, 4);
  }
  bind(done);
}

void X64Masm::bind(Label l) {
  asmjit::CodeBuffer& buf = a_.code()->textSection()->buffer();
  labels_.bind(l, offset(), buf.data(), buf.size());
}

void X64Masm::patch32(size_t at, int32_t v) {
  asmjit::CodeBuffer& buf = a_.code()->textSection()->buffer();
  if (at + 4 <= buf.size()) memcpy(buf.data() + at, &v, 4);  // else it was not emitted: the buffer is full
}

int32_t X64Masm::rel32_to(Label l, uint32_t at, uint32_t end) {
  if (labels_.is_bound(l)) return static_cast<int32_t>(static_cast<uint32_t>(labels_.offset(l)) - end);
  labels_.refer(l, at, end);
  return 0;
}

void X64Masm::emit_bytes(const uint8_t (&b)[8], size_t n) {
  if (!raw_.bytes8(b, n)) a_.embed(b, n);
}

void X64Masm::emit_branch(Label l, uint8_t short_op, const uint8_t* long_op, size_t long_len) {
  uint32_t at = offset();
  uint8_t b[8] = {};
  if (labels_.is_bound(l)) {
    int64_t rel8 = static_cast<int64_t>(labels_.offset(l)) - (static_cast<int64_t>(at) + 2);
    if (rel8 >= -128 && rel8 <= 127) {
      b[0] = short_op;
      b[1] = static_cast<uint8_t>(rel8);
      emit_bytes(b, 2);
      return;
    }
  }
  memcpy(b, long_op, long_len);
  uint32_t end = at + static_cast<uint32_t>(long_len) + 4;
  int32_t rel = rel32_to(l, end - 4, end);
  memcpy(b + long_len, &rel, 4);
  emit_bytes(b, long_len + 4);
}

void X64Masm::jcc(x86::CondCode cc, Label l) {
  uint8_t code = static_cast<uint8_t>(cc);
  const uint8_t long_op[2] = {0x0F, static_cast<uint8_t>(0x80 | code)};
  emit_branch(l, static_cast<uint8_t>(0x70 | code), long_op, 2);
}

void X64Masm::jump(Label l) {
  static const uint8_t kJmpRel32 = 0xE9;
  emit_branch(l, 0xEB, &kJmpRel32, 1);
}

void X64Masm::call_label(Label l) {
  uint32_t at = offset();
  uint8_t b[8] = {0xE8};
  int32_t rel = rel32_to(l, at + 1, at + 5);
  memcpy(b + 1, &rel, 4);
  emit_bytes(b, 5);
}

// ---------------------------------------------------------------------------
// Frame

void X64Masm::prologue(Label stack_overflow) {
  // Once per function, so in raw bytes (asmjit's encoder when the buffer
  // must grow): push rbp; mov rbp, rsp; then sub rsp, imm32 with a 4-byte
  // immediate patched once the frame size is known.
  static constexpr uint8_t kEntry[8] = {0x55, 0x48, 0x89, 0xE5};
  static constexpr uint8_t kSubRspImm32[8] = {0x48, 0x81, 0xEC, 0, 0, 0, 0};
  emit_bytes(kEntry, 4);
  frame_patch_ = a_.offset() + 3;
  emit_bytes(kSubRspImm32, 7);
  if (!raw_.rm(RawX64::kMovLoad, true, kScratch.id(), kVm.id(), runtime::kVmStore)) {
    a_.mov(kScratch, x86::qword_ptr(kVm, runtime::kVmStore));
  }
  if (!raw_.rm(RawX64::kCmpLoad, true, x86::rsp.id(), kScratch.id(), runtime::kStoreStackLimit)) {
    a_.cmp(x86::rsp, x86::qword_ptr(kScratch, runtime::kStoreStackLimit));
  }
  jcc(x86::CondCode::kB, stack_overflow);
  if (!raw_.rm(RawX64::kMovStore, true, kVm.id(), x86::rbp.id(), kFrameVmctx)) {
    a_.mov(x86::qword_ptr(x86::rbp, kFrameVmctx), kVm);
  }
}

void X64Masm::patch_frame_size(uint32_t bytes) { patch32(frame_patch_, static_cast<int32_t>(bytes)); }

void X64Masm::epilogue_return() {
  static constexpr uint8_t kLeaveRet[8] = {0xC9, 0xC3};
  emit_bytes(kLeaveRet, 2);
}

void X64Masm::zero_frame(int32_t lowest_offset, uint32_t count) {
  if (count == 0) return;
  if (count <= 8) {
    for (uint32_t i = 0; i < count; ++i) {
      a_.mov(x86::qword_ptr(x86::rbp, lowest_offset + 8 * static_cast<int32_t>(i)), Imm(0));
    }
    return;
  }
  // rax, rcx, rdi hold nothing at this point of the prologue (no parameter
  // travels in them: abi_x64.h).
  a_.xor_(x86::eax, x86::eax);
  a_.lea(x86::rdi, x86::ptr(x86::rbp, lowest_offset));
  a_.mov(x86::ecx, Imm(count));
  a_.rep().stosq();
}

void X64Masm::restore_vmctx() {
  a_.mov(kVm, x86::qword_ptr(x86::rbp, kFrameVmctx));
  a_.mov(kMemBase, x86::qword_ptr(kVm, runtime::kVmMemoryBase));
}

// ---------------------------------------------------------------------------
// Moves

void X64Masm::move(Reg dst, Reg src, ValType t) {
  if (dst == src) return;
  if (dst.is_fp()) {
    a_.movaps(xmm(dst), xmm(src));
  } else {
    bool w64 = width_of(t) == Width::k64 || is_ref(t);
    if (raw_.rr(RawX64::kMovStore, w64, dst.code, src.code)) return;
    if (w64) a_.mov(gpq(dst), gpq(src));
    else a_.mov(gpd(dst), gpd(src));
  }
}

void X64Masm::load_const(Reg dst, ValType t, uint64_t bits) {
  if (dst.is_fp()) {
    if (bits == 0) {
      a_.xorps(xmm(dst), xmm(dst));  // callers never have live flags here
      return;
    }
    // From the function's constant pool (rip-relative): one load, no
    // general register and no transfer between the register files.
    uint8_t bytes[16] = {};
    memcpy(bytes, &bits, 8);
    asmjit::Label l = pool_.get(a_, bytes);
    if (t == ValType::kF32) a_.movss(xmm(dst), x86::dword_ptr(l));
    else a_.movsd(xmm(dst), x86::qword_ptr(l));
    return;
  }
  // mov, never xor: a pending compare's flags may be live.
  if (t == ValType::kI32) {
    if (raw_.mov_ri32(dst.code, static_cast<uint32_t>(bits))) return;
    a_.mov(gpd(dst), Imm(static_cast<uint32_t>(bits)));
  } else if (bits <= 0xffffffffu) {
    a_.mov(gpd(dst), Imm(static_cast<uint32_t>(bits)));
  } else {
    a_.mov(gpq(dst), Imm(bits));
  }
}

static x86::Mem slot(const x86::Gp& base, int32_t off) { return x86::qword_ptr(base, off); }

// Frame slots ([rbp + off]) are sized by type (slot_size: 4 bytes for i32
// and f32, 8 for i64, f64 and references, 16 for v128); outgoing argument
// slots ([rsp + off]) are 8 bytes, 16 for a v128. Each access moves exactly its type's bytes, so a
// 4-byte slot never touches its neighbour; readers of an 8-byte slot holding
// an i32 use 32-bit loads (the API masks 32-bit kinds too).
void X64Masm::load_slot(Reg dst, ValType t, const x86::Gp& base, int32_t off) {
  if (dst.is_fp()) {
    if (t == ValType::kV128) a_.movdqu(xmm(dst), x86::xmmword_ptr(base, off));
    else if (is_f64(t)) a_.movsd(xmm(dst), slot(base, off));
    else a_.movss(xmm(dst), x86::dword_ptr(base, off));
  } else {
    bool w64 = t != ValType::kI32;
    if (raw_.rm(RawX64::kMovLoad, w64, dst.code, static_cast<uint8_t>(base.id()), off)) return;
    if (w64) a_.mov(gpq(dst), slot(base, off));
    else a_.mov(gpd(dst), x86::dword_ptr(base, off));
  }
}

void X64Masm::store_slot(const x86::Gp& base, int32_t off, Reg src, ValType t) {
  if (src.is_fp()) {
    if (t == ValType::kV128) a_.movdqu(x86::xmmword_ptr(base, off), xmm(src));
    else if (is_f64(t)) a_.movsd(slot(base, off), xmm(src));
    else a_.movss(x86::dword_ptr(base, off), xmm(src));
  } else {
    bool w64 = t != ValType::kI32;
    if (raw_.rm(RawX64::kMovStore, w64, src.code, static_cast<uint8_t>(base.id()), off)) return;
    if (w64) a_.mov(slot(base, off), gpq(src));
    else a_.mov(x86::dword_ptr(base, off), gpd(src));
  }
}

void X64Masm::store_slot_const(const x86::Gp& base, int32_t off, ValType t, uint64_t bits) {
  if (t == ValType::kV128) {  // only zero reaches here (v128 constants are materialised at push)
    a_.xorps(kFScratch, kFScratch);
    a_.movdqu(x86::xmmword_ptr(base, off), kFScratch);
    return;
  }
  if (t == ValType::kI32 || t == ValType::kF32) {
    a_.mov(x86::dword_ptr(base, off), Imm(static_cast<int32_t>(static_cast<uint32_t>(bits))));
  } else if (bits <= 0x7fffffffu) {
    a_.mov(slot(base, off), Imm(bits));
  } else {
    a_.mov(kScratch, Imm(bits));
    a_.mov(slot(base, off), kScratch);
  }
}

void X64Masm::copy_slot(const x86::Gp& dst_base, int32_t dst_off, int32_t frame_off, ValType t) {
  if (t == ValType::kV128) {
    a_.movdqu(kFScratch, x86::xmmword_ptr(x86::rbp, frame_off));
    a_.movdqu(x86::xmmword_ptr(dst_base, dst_off), kFScratch);
  } else if (slot_size(t) == 4) {
    a_.mov(kScratch.r32(), x86::dword_ptr(x86::rbp, frame_off));
    a_.mov(x86::dword_ptr(dst_base, dst_off), kScratch.r32());
  } else {
    a_.mov(kScratch, slot(x86::rbp, frame_off));
    a_.mov(slot(dst_base, dst_off), kScratch);
  }
}

void X64Masm::load_frame(Reg dst, ValType t, int32_t off) { load_slot(dst, t, x86::rbp, off); }
void X64Masm::store_frame(int32_t off, Reg src, ValType t) { store_slot(x86::rbp, off, src, t); }
void X64Masm::store_frame_const(int32_t off, ValType t, uint64_t bits) { store_slot_const(x86::rbp, off, t, bits); }
void X64Masm::copy_frame(int32_t dst_off, int32_t src_off, ValType t) { copy_slot(x86::rbp, dst_off, src_off, t); }
void X64Masm::load_out(Reg dst, ValType t, int32_t off) { load_slot(dst, t, x86::rsp, off); }
void X64Masm::store_out(int32_t off, Reg src, ValType t) { store_slot(x86::rsp, off, src, t); }
void X64Masm::store_out_const(int32_t off, ValType t, uint64_t bits) { store_slot_const(x86::rsp, off, t, bits); }
void X64Masm::copy_frame_to_out(int32_t out_off, int32_t frame_off, ValType t) {
  copy_slot(x86::rsp, out_off, frame_off, t);
}

// ---------------------------------------------------------------------------
// Integer

void X64Masm::int_binop(IntBinop op, Width w, Reg dst, Reg lhs, Operand rhs) {
  bool is_shift = op == IntBinop::kShl || op == IntBinop::kShrS || op == IntBinop::kShrU ||
                  op == IntBinop::kRotl || op == IntBinop::kRotr;
  if (is_shift && !rhs.is_imm) {
    // Variable shifts count in cl. The compiler evacuated rcx of other
    // values, but lhs or rhs may live there.
    x86::Gp work = gp(dst, w);
    if (lhs.code == 1) {  // lhs in rcx: compute in scratch
      a_.mov(gp(Reg{11, RegClass::kGp}, w), gp(lhs, w));
      work = w == Width::k64 ? x86::Gp(kScratch) : x86::Gp(kScratch.r32());
    } else if (dst != lhs) {
      if (dst.code == 1) {
        a_.mov(gp(Reg{11, RegClass::kGp}, w), gp(lhs, w));
        work = w == Width::k64 ? x86::Gp(kScratch) : x86::Gp(kScratch.r32());
      } else {
        a_.mov(gp(dst, w), gp(lhs, w));
      }
    }
    if (rhs.reg.code != 1) a_.mov(x86::ecx, gpd(rhs.reg));
    switch (op) {
      case IntBinop::kShl: a_.shl(work, x86::cl); break;
      case IntBinop::kShrS: a_.sar(work, x86::cl); break;
      case IntBinop::kShrU: a_.shr(work, x86::cl); break;
      case IntBinop::kRotl: a_.rol(work, x86::cl); break;
      default: a_.ror(work, x86::cl); break;
    }
    if (work.id() != dst.code) a_.mov(gp(dst, w), work);
    return;
  }
  bool w64 = w == Width::k64;
  if (rhs.is_frame) {  // op dst, [rbp + off]
    if (dst != lhs && !raw_.rr(RawX64::kMovStore, w64, dst.code, lhs.code)) a_.mov(gp(dst, w), gp(lhs, w));
    int32_t off = static_cast<int32_t>(rhs.imm);
    x86::Gp d = gp(dst, w);
    x86::Mem m = x86::ptr(x86::rbp, off);
    switch (op) {
      case IntBinop::kAdd: if (!raw_.rm(RawX64::kAddLoad, w64, dst.code, 5, off)) a_.add(d, m); return;
      case IntBinop::kSub: if (!raw_.rm(RawX64::kSubLoad, w64, dst.code, 5, off)) a_.sub(d, m); return;
      case IntBinop::kAnd: if (!raw_.rm(RawX64::kAndLoad, w64, dst.code, 5, off)) a_.and_(d, m); return;
      case IntBinop::kOr: if (!raw_.rm(RawX64::kOrLoad, w64, dst.code, 5, off)) a_.or_(d, m); return;
      case IntBinop::kXor: if (!raw_.rm(RawX64::kXorLoad, w64, dst.code, 5, off)) a_.xor_(d, m); return;
      case IntBinop::kMul: a_.imul(d, m); return;
      default: {  // not a form the compiler asks for: through the scratch register
        Reg s{11, RegClass::kGp};
        a_.mov(gp(s, w), m);
        int_binop(op, w, dst, dst, Operand::of(s));
        return;
      }
    }
  }
  // Two-operand form: dst = lhs first (careful when dst aliases rhs).
  if (!rhs.is_imm && dst == rhs.reg && dst != lhs) {
    if (op == IntBinop::kAdd || op == IntBinop::kMul || op == IntBinop::kAnd || op == IntBinop::kOr ||
        op == IntBinop::kXor) {
      std::swap(lhs, rhs.reg);  // commutative
    } else {
      a_.mov(gp(Reg{11, RegClass::kGp}, w), gp(rhs.reg, w));
      rhs.reg = Reg{11, RegClass::kGp};
    }
  }
  if (rhs.is_imm && dst != lhs && (op == IntBinop::kAdd || op == IntBinop::kSub) &&
      rhs.imm != INT32_MIN) {
    // Three-operand add: lea (32-bit lea zero-extends like add).
    int32_t disp = static_cast<int32_t>(op == IntBinop::kAdd ? rhs.imm : -rhs.imm);
    if (raw_.rm(RawX64::kLea, w == Width::k64, dst.code, lhs.code, disp)) return;
    a_.lea(gp(dst, w), x86::ptr(gpq(lhs), disp));
    return;
  }
  if (!rhs.is_imm && op == IntBinop::kAdd && dst != lhs) {
    // Three-operand add of two registers: lea (a 32-bit lea keeps the low
    // half of the sum, zero-extended, like add).
    a_.lea(gp(dst, w), x86::ptr(gpq(lhs), gpq(rhs.reg)));
    return;
  }
  if (dst != lhs && !raw_.rr(RawX64::kMovStore, w64, dst.code, lhs.code)) a_.mov(gp(dst, w), gp(lhs, w));
  x86::Gp d = gp(dst, w);
  if (rhs.is_imm && rhs.imm >= INT32_MIN && rhs.imm <= INT32_MAX) {
    int32_t v = static_cast<int32_t>(rhs.imm);
    switch (op) {
      case IntBinop::kAdd: if (raw_.ri(RawX64::kAddDigit, w64, dst.code, v)) return; break;
      case IntBinop::kSub: if (raw_.ri(RawX64::kSubDigit, w64, dst.code, v)) return; break;
      case IntBinop::kAnd: if (raw_.ri(RawX64::kAndDigit, w64, dst.code, v)) return; break;
      case IntBinop::kOr: if (raw_.ri(RawX64::kOrDigit, w64, dst.code, v)) return; break;
      case IntBinop::kXor: if (raw_.ri(RawX64::kXorDigit, w64, dst.code, v)) return; break;
      case IntBinop::kShl: case IntBinop::kShrS: case IntBinop::kShrU: case IntBinop::kRotl: case IntBinop::kRotr: {
        uint8_t digit = op == IntBinop::kShl ? RawX64::kShlDigit : op == IntBinop::kShrS ? RawX64::kSarDigit
                      : op == IntBinop::kShrU ? RawX64::kShrDigit : op == IntBinop::kRotl ? RawX64::kRolDigit
                      : RawX64::kRorDigit;
        if (raw_.shift_ri(digit, w64, dst.code, static_cast<uint8_t>(v & (w64 ? 63 : 31)))) return;
        break;
      }
      default: break;
    }
  }
  if (!rhs.is_imm) {
    switch (op) {
      case IntBinop::kAdd: if (raw_.rr(RawX64::kAdd, w64, dst.code, rhs.reg.code)) return; break;
      case IntBinop::kSub: if (raw_.rr(RawX64::kSub, w64, dst.code, rhs.reg.code)) return; break;
      case IntBinop::kAnd: if (raw_.rr(RawX64::kAnd, w64, dst.code, rhs.reg.code)) return; break;
      case IntBinop::kOr: if (raw_.rr(RawX64::kOr, w64, dst.code, rhs.reg.code)) return; break;
      case IntBinop::kXor: if (raw_.rr(RawX64::kXor, w64, dst.code, rhs.reg.code)) return; break;
      default: break;
    }
  }
  if (rhs.is_imm) {
    Imm imm(rhs.imm);
    switch (op) {
      case IntBinop::kAdd: a_.add(d, imm); break;
      case IntBinop::kSub: a_.sub(d, imm); break;
      case IntBinop::kMul: a_.imul(d, d, imm); break;
      case IntBinop::kAnd: a_.and_(d, imm); break;
      case IntBinop::kOr: a_.or_(d, imm); break;
      case IntBinop::kXor: a_.xor_(d, imm); break;
      case IntBinop::kShl: a_.shl(d, Imm(rhs.imm & (w == Width::k64 ? 63 : 31))); break;
      case IntBinop::kShrS: a_.sar(d, Imm(rhs.imm & (w == Width::k64 ? 63 : 31))); break;
      case IntBinop::kShrU: a_.shr(d, Imm(rhs.imm & (w == Width::k64 ? 63 : 31))); break;
      case IntBinop::kRotl: a_.rol(d, Imm(rhs.imm & (w == Width::k64 ? 63 : 31))); break;
      case IntBinop::kRotr: a_.ror(d, Imm(rhs.imm & (w == Width::k64 ? 63 : 31))); break;
    }
    return;
  }
  x86::Gp s = gp(rhs.reg, w);
  switch (op) {
    case IntBinop::kAdd: a_.add(d, s); break;
    case IntBinop::kSub: a_.sub(d, s); break;
    case IntBinop::kMul: a_.imul(d, s); break;
    case IntBinop::kAnd: a_.and_(d, s); break;
    case IntBinop::kOr: a_.or_(d, s); break;
    case IntBinop::kXor: a_.xor_(d, s); break;
    default: break;  // shifts handled above
  }
}

void X64Masm::int_unop(IntUnop op, Width w, Reg dst, Reg src) {
  x86::Gp d = gp(dst, w), s = gp(src, w);
  x86::Gp tmp = w == Width::k64 ? x86::Gp(kScratch) : x86::Gp(kScratch.r32());
  uint32_t bits = w == Width::k64 ? 64 : 32;
  switch (op) {
    case IntUnop::kClz:
      if (cpu_.has(CpuFeature::kLzcnt)) {
        a_.lzcnt(d, s);
      } else {
        // Without LZCNT the same bytes decode as BSR (bit index, ZF on zero):
        // clz = index ^ (bits - 1), and zero maps to 2*bits - 1 ^ (bits - 1) = bits.
        a_.mov(tmp, Imm(2 * bits - 1));
        a_.bsr(d, s);
        a_.cmovz(d, tmp);
        a_.xor_(d, Imm(bits - 1));
      }
      break;
    case IntUnop::kCtz:
      if (cpu_.has(CpuFeature::kBmi1)) {
        a_.tzcnt(d, s);
      } else {
        a_.mov(tmp, Imm(bits));
        a_.bsf(d, s);
        a_.cmovz(d, tmp);
      }
      break;
    case IntUnop::kPopcnt:
      if (cpu_.has(CpuFeature::kPopcnt)) a_.popcnt(d, s);
      else popcnt_baseline(w, dst, src);
      break;
    case IntUnop::kExtend8S: a_.movsx(d, gpb(src)); break;
    case IntUnop::kExtend16S: a_.movsx(d, x86::gpw(src.code)); break;
    case IntUnop::kExtend32S: a_.movsxd(gpq(dst), gpd(src)); break;
  }
}

void X64Masm::popcnt_baseline(Width w, Reg dst, Reg src) {
  // SWAR population count (Hacker's Delight 5-2) in dst with r10/r11.
  bool q = w == Width::k64;
  x86::Gp d = gp(dst, w);
  x86::Gp t = q ? x86::Gp(kScratch) : x86::Gp(kScratch.r32());
  x86::Gp k = q ? x86::Gp(kScratch2) : x86::Gp(kScratch2.r32());
  auto mask = [&](uint64_t m) { a_.mov(k, Imm(q ? m : static_cast<uint32_t>(m))); };
  if (dst != src) a_.mov(d, gp(src, w));
  a_.mov(t, d);
  a_.shr(t, Imm(1));
  mask(0x5555555555555555u);
  a_.and_(t, k);
  a_.sub(d, t);                      // 2-bit sums
  mask(0x3333333333333333u);
  a_.mov(t, d);
  a_.and_(d, k);
  a_.shr(t, Imm(2));
  a_.and_(t, k);
  a_.add(d, t);                      // 4-bit sums
  a_.mov(t, d);
  a_.shr(t, Imm(4));
  a_.add(d, t);
  mask(0x0f0f0f0f0f0f0f0fu);
  a_.and_(d, k);                     // byte sums
  mask(0x0101010101010101u);
  a_.imul(d, k);                     // total in the top byte
  a_.shr(d, Imm(q ? 56 : 24));
}

void X64Masm::round_baseline(FloatUnop op, bool d64, Reg dst, Reg src) {
  // SSE2 only. a = |x|; if a >= 2^52 (2^23 for f32), or NaN, x is already
  // integral (NaN is quieted by x + x). Else r = (a + 2^52) - 2^52 rounds a
  // to nearest-even (MXCSR's default mode), and r -/+ 1 corrects it to
  // floor(a) / ceil(a). floor(x) = x < 0 ? -ceil(a) : floor(a), and so on;
  // the sign of x goes back on at the end (so -0.5 gives -0).
  // r10 holds x's bits throughout, r11 and xmm15 are temporaries.
  const uint32_t mant = d64 ? 52 : 23;
  const uint32_t threshold = d64 ? 1023 + 52 : 127 + 23;  // biased exponent of 2^mant
  const uint64_t magic = d64 ? 0x4330000000000000u : 0x4b000000u;
  const uint64_t one = d64 ? 0x3ff0000000000000u : 0x3f800000u;
  const uint32_t sign_bit = d64 ? 63 : 31;
  x86::Gp x = d64 ? x86::Gp(kScratch2) : x86::Gp(kScratch2.r32());
  x86::Gp t = d64 ? x86::Gp(kScratch) : x86::Gp(kScratch.r32());
  x86::Xmm d = xmm(dst);
  auto movbits = [&](x86::Xmm to, const x86::Gp& from) { d64 ? a_.movq(to, from) : a_.movd(to, from); };
  auto add = [&](x86::Xmm a, x86::Xmm b) { d64 ? a_.addsd(a, b) : a_.addss(a, b); };
  auto sub = [&](x86::Xmm a, x86::Xmm b) { d64 ? a_.subsd(a, b) : a_.subss(a, b); };
  auto ucomi = [&](x86::Xmm a, x86::Xmm b) { d64 ? a_.ucomisd(a, b) : a_.ucomiss(a, b); };
  Label big = new_label(), done = new_label(), use_ceil = new_label(), signed_ = new_label();
  d64 ? a_.movq(x, xmm(src)) : a_.movd(x, xmm(src));
  a_.mov(t, x);
  a_.shl(t, Imm(1));
  a_.shr(t, Imm(mant + 1));
  a_.cmp(t, Imm(threshold));
  jcc(x86::CondCode::kAE, big);
  a_.mov(t, x);
  a_.btr(t, Imm(sign_bit));
  movbits(kFScratch, t);             // xmm15 = a
  a_.mov(t, Imm(magic));
  movbits(d, t);                     // d = 2^mant
  add(kFScratch, d);
  sub(kFScratch, d);                 // xmm15 = r = nearest(a)
  if (op != FloatUnop::kNearest) {
    a_.mov(t, x);
    a_.btr(t, Imm(sign_bit));
    movbits(d, t);                   // d = a
  }
  // Now xmm15 = r, d = a. Which correction does op want for a?
  // floor(a): r > a -> r -= 1; ceil(a): r < a -> r += 1. d is free after the compare.
  auto correct = [&](bool up) {
    Label ok = new_label();
    up ? ucomi(d, kFScratch) : ucomi(kFScratch, d);
    jcc(x86::CondCode::kBE, ok);
    a_.mov(t, Imm(one));
    movbits(d, t);
    up ? add(kFScratch, d) : sub(kFScratch, d);
    bind(ok);
  };
  if (op == FloatUnop::kTrunc) {
    correct(false);
  } else if (op != FloatUnop::kNearest) {
    // floor(x): x >= 0 -> floor(a); x < 0 -> ceil(a). ceil(x): the reverse.
    a_.bt(x, Imm(sign_bit));
    if (op == FloatUnop::kFloor) jcc(x86::CondCode::kC, use_ceil);
    else jcc(x86::CondCode::kNC, use_ceil);
    correct(false);
    jump(signed_);
    bind(use_ceil);
    correct(true);
  }
  bind(signed_);
  // d = r with x's sign.
  d64 ? a_.movq(t, kFScratch) : a_.movd(t, kFScratch);
  a_.shr(x, Imm(sign_bit));
  a_.shl(x, Imm(sign_bit));
  a_.or_(t, x);
  movbits(d, t);
  jump(done);
  bind(big);
  movbits(d, x);
  ucomi(d, d);
  jcc(x86::CondCode::kNP, done);
  add(d, d);                         // NaN: quiet it
  bind(done);
}

void X64Masm::div(DivOp op, Width w, Reg dst, Reg lhs, Reg rhs, Label div_by_zero, Label overflow) {
  // rax/rdx were evacuated of other values; lhs and rhs may still use them.
  x86::Gp divisor = gp(rhs, w);
  if (rhs.code == 0 || rhs.code == 2) {
    a_.mov(w == Width::k64 ? x86::Gp(kScratch) : x86::Gp(kScratch.r32()), divisor);
    divisor = w == Width::k64 ? x86::Gp(kScratch) : x86::Gp(kScratch.r32());
  }
  a_.test(divisor, divisor);
  jcc(x86::CondCode::kZ, div_by_zero);
  x86::Gp rax = w == Width::k64 ? x86::Gp(x86::rax) : x86::Gp(x86::eax);
  x86::Gp rdx = w == Width::k64 ? x86::Gp(x86::rdx) : x86::Gp(x86::edx);
  if (lhs.code != 0) a_.mov(rax, gp(lhs, w));
  Label done = new_label();
  bool is_signed = op == DivOp::kDivS || op == DivOp::kRemS;
  if (is_signed) {
    // INT_MIN / -1 overflows (div traps, rem gives 0); x86 would fault.
    Label normal = new_label();
    a_.cmp(divisor, Imm(-1));
    jcc(x86::CondCode::kNE, normal);
    if (op == DivOp::kDivS) {
      if (w == Width::k64) {
        a_.mov(x86::rdx, Imm(INT64_MIN));
        a_.cmp(x86::rax, x86::rdx);
      } else {
        a_.cmp(x86::eax, Imm(INT32_MIN));
      }
      jcc(x86::CondCode::kE, overflow);
      a_.neg(rax);
    } else {
      a_.xor_(rdx, rdx);
    }
    jump(done);
    bind(normal);
    if (w == Width::k64) a_.cqo(); else a_.cdq();
    a_.idiv(divisor);
  } else {
    a_.xor_(x86::edx, x86::edx);
    a_.div(divisor);
  }
  bind(done);
  bool rem = op == DivOp::kRemS || op == DivOp::kRemU;
  a_.mov(gp(dst, w), rem ? rdx : rax);
}

void X64Masm::compare(Cond, Width w, Reg lhs, Operand rhs) {
  bool w64 = w == Width::k64;
  if (rhs.is_frame) {
    int32_t off = static_cast<int32_t>(rhs.imm);
    if (raw_.rm(RawX64::kCmpLoad, w64, lhs.code, 5, off)) return;
    a_.cmp(gp(lhs, w), x86::ptr(x86::rbp, off));
  } else if (rhs.is_imm) {
    if (rhs.imm >= INT32_MIN && rhs.imm <= INT32_MAX &&
        raw_.ri(RawX64::kCmpDigit, w64, lhs.code, static_cast<int32_t>(rhs.imm))) {
      return;
    }
    a_.cmp(gp(lhs, w), Imm(rhs.imm));
  } else {
    if (raw_.rr(RawX64::kCmp, w64, lhs.code, rhs.reg.code)) return;
    a_.cmp(gp(lhs, w), gp(rhs.reg, w));
  }
}

void X64Masm::test_zero(Width w, Reg r) {
  if (raw_.rr(RawX64::kTest, w == Width::k64, r.code, r.code)) return;
  a_.test(gp(r, w), gp(r, w));
}

void X64Masm::set_cond(Cond c, Reg dst) {
  if (c == Cond::kFEq) {
    a_.setnp(kScratch.r8());
    a_.sete(gpb(dst));
    a_.and_(gpb(dst), kScratch.r8());
  } else if (c == Cond::kFNe) {
    a_.setp(kScratch.r8());
    a_.setne(gpb(dst));
    a_.or_(gpb(dst), kScratch.r8());
  } else {
    a_.set(int_cc(c), gpb(dst));
  }
  a_.movzx(gpd(dst), gpb(dst));
}

void X64Masm::select(Cond c, ValType t, Reg dst, Reg other) {
  if (!dst.is_fp() && c != Cond::kFEq && c != Cond::kFNe) {
    Width w = is_ref(t) ? Width::k64 : width_of(t);
    a_.cmov(int_cc(negate(c)), gp(dst, w), gp(other, w));
    return;
  }
  Label keep = new_label();
  branch(c, keep);
  move(dst, other, t);
  bind(keep);
}

// ---------------------------------------------------------------------------
// Floating point

void X64Masm::float_compare(Cond c, Width w, Reg lhs, Reg rhs) {
  bool swap = c == Cond::kFLt || c == Cond::kFLe || c == Cond::kFNotLt || c == Cond::kFNotLe;
  x86::Xmm l = xmm(swap ? rhs : lhs), r = xmm(swap ? lhs : rhs);
  if (w == Width::k64) a_.ucomisd(l, r);
  else a_.ucomiss(l, r);
}

void X64Masm::float_binop(FloatBinop op, Width w, Reg dst, Reg lhs, Reg rhs) {
  bool d64 = w == Width::k64;
  x86::Xmm d = xmm(dst), r = xmm(rhs);
  if (dst == rhs && dst != lhs) {
    a_.movaps(kFScratch, r);
    r = kFScratch;
  }
  if (op == FloatBinop::kCopysign) {
    // |lhs| with rhs's sign, through general registers.
    if (d64) {
      a_.movq(kScratch, xmm(lhs));
      a_.btr(kScratch, Imm(63));
      a_.movq(kScratch2, r);
      a_.shr(kScratch2, Imm(63));
      a_.shl(kScratch2, Imm(63));
      a_.or_(kScratch, kScratch2);
      a_.movq(d, kScratch);
    } else {
      a_.movd(kScratch.r32(), xmm(lhs));
      a_.and_(kScratch.r32(), Imm(0x7fffffff));
      a_.movd(kScratch2.r32(), r);
      a_.and_(kScratch2.r32(), Imm(0x80000000u));
      a_.or_(kScratch.r32(), kScratch2.r32());
      a_.movd(d, kScratch.r32());
    }
    return;
  }
  if (dst != lhs) a_.movaps(d, xmm(lhs));
  switch (op) {
    case FloatBinop::kAdd: d64 ? a_.addsd(d, r) : a_.addss(d, r); return;
    case FloatBinop::kSub: d64 ? a_.subsd(d, r) : a_.subss(d, r); return;
    case FloatBinop::kMul: d64 ? a_.mulsd(d, r) : a_.mulss(d, r); return;
    case FloatBinop::kDiv: d64 ? a_.divsd(d, r) : a_.divss(d, r); return;
    case FloatBinop::kMin:
    case FloatBinop::kMax: {
      // Wasm: NaN if either is NaN; -0 < +0. minss/maxss get neither right.
      Label nan = new_label(), equal = new_label(), done = new_label();
      d64 ? a_.ucomisd(d, r) : a_.ucomiss(d, r);
      jcc(x86::CondCode::kP, nan);
      jcc(x86::CondCode::kE, equal);
      if (op == FloatBinop::kMin) d64 ? a_.minsd(d, r) : a_.minss(d, r);
      else d64 ? a_.maxsd(d, r) : a_.maxss(d, r);
      jump(done);
      bind(equal);  // equal values, possibly zeros of different signs
      if (op == FloatBinop::kMin) d64 ? a_.orpd(d, r) : a_.orps(d, r);
      else d64 ? a_.andpd(d, r) : a_.andps(d, r);
      jump(done);
      bind(nan);
      d64 ? a_.addsd(d, r) : a_.addss(d, r);  // propagates a quiet NaN
      bind(done);
      return;
    }
    case FloatBinop::kCopysign:
      return;
  }
}

void X64Masm::float_unop(FloatUnop op, Width w, Reg dst, Reg src) {
  bool d64 = w == Width::k64;
  x86::Xmm d = xmm(dst), s = xmm(src);
  switch (op) {
    case FloatUnop::kAbs:
    case FloatUnop::kNeg:
      if (d64) {
        a_.movq(kScratch, s);
        if (op == FloatUnop::kAbs) a_.btr(kScratch, Imm(63));
        else a_.btc(kScratch, Imm(63));
        a_.movq(d, kScratch);
      } else {
        a_.movd(kScratch.r32(), s);
        if (op == FloatUnop::kAbs) a_.and_(kScratch.r32(), Imm(0x7fffffff));
        else a_.xor_(kScratch.r32(), Imm(0x80000000u));
        a_.movd(d, kScratch.r32());
      }
      return;
    case FloatUnop::kCeil: case FloatUnop::kFloor: case FloatUnop::kTrunc: case FloatUnop::kNearest:
      if (!cpu_.has(CpuFeature::kSse41)) {
        round_baseline(op, d64, dst, src);
        return;
      }
      break;
    default:
      break;
  }
  switch (op) {
    case FloatUnop::kCeil: d64 ? a_.roundsd(d, s, Imm(2)) : a_.roundss(d, s, Imm(2)); return;
    case FloatUnop::kFloor: d64 ? a_.roundsd(d, s, Imm(1)) : a_.roundss(d, s, Imm(1)); return;
    case FloatUnop::kTrunc: d64 ? a_.roundsd(d, s, Imm(3)) : a_.roundss(d, s, Imm(3)); return;
    case FloatUnop::kNearest: d64 ? a_.roundsd(d, s, Imm(0)) : a_.roundss(d, s, Imm(0)); return;
    case FloatUnop::kSqrt: d64 ? a_.sqrtsd(d, s) : a_.sqrtss(d, s); return;
    case FloatUnop::kAbs: case FloatUnop::kNeg: return;  // handled above
  }
}

void X64Masm::convert(ConvertKind op, Reg dst, Reg src, Label invalid, Label overflow) {
  switch (op) {
    case ConvertKind::kI32WrapI64:
    case ConvertKind::kI64ExtendI32U:
      if (!raw_.rr(RawX64::kMovStore, false, dst.code, src.code)) a_.mov(gpd(dst), gpd(src));
      return;
    case ConvertKind::kI64ExtendI32S:
      if (!raw_.rr(RawX64::kMovsxd, true, src.code, dst.code)) a_.movsxd(gpq(dst), gpd(src));
      return;
    case ConvertKind::kI32ReinterpretF32: a_.movd(gpd(dst), xmm(src)); return;
    case ConvertKind::kI64ReinterpretF64: a_.movq(gpq(dst), xmm(src)); return;
    case ConvertKind::kF32ReinterpretI32: a_.movd(xmm(dst), gpd(src)); return;
    case ConvertKind::kF64ReinterpretI64: a_.movq(xmm(dst), gpq(src)); return;
    case ConvertKind::kF32DemoteF64: a_.cvtsd2ss(xmm(dst), xmm(src)); return;
    case ConvertKind::kF64PromoteF32: a_.cvtss2sd(xmm(dst), xmm(src)); return;
    case ConvertKind::kF32ConvertI32S: a_.xorps(kFScratch, kFScratch); a_.cvtsi2ss(kFScratch, gpd(src)); a_.movaps(xmm(dst), kFScratch); return;
    case ConvertKind::kF64ConvertI32S: a_.xorps(kFScratch, kFScratch); a_.cvtsi2sd(kFScratch, gpd(src)); a_.movaps(xmm(dst), kFScratch); return;
    case ConvertKind::kF32ConvertI64S: a_.xorps(kFScratch, kFScratch); a_.cvtsi2ss(kFScratch, gpq(src)); a_.movaps(xmm(dst), kFScratch); return;
    case ConvertKind::kF64ConvertI64S: a_.xorps(kFScratch, kFScratch); a_.cvtsi2sd(kFScratch, gpq(src)); a_.movaps(xmm(dst), kFScratch); return;
    case ConvertKind::kF32ConvertI32U:
      a_.mov(kScratch.r32(), gpd(src));  // zero-extends: exact as a signed i64
      a_.xorps(kFScratch, kFScratch);
      a_.cvtsi2ss(kFScratch, kScratch);
      a_.movaps(xmm(dst), kFScratch);
      return;
    case ConvertKind::kF64ConvertI32U:
      a_.mov(kScratch.r32(), gpd(src));
      a_.xorps(kFScratch, kFScratch);
      a_.cvtsi2sd(kFScratch, kScratch);
      a_.movaps(xmm(dst), kFScratch);
      return;
    case ConvertKind::kF32ConvertI64U:
    case ConvertKind::kF64ConvertI64U: {
      bool d64 = op == ConvertKind::kF64ConvertI64U;
      Label big = new_label(), done = new_label();
      a_.xorps(kFScratch, kFScratch);
      a_.mov(kScratch, gpq(src));
      a_.test(kScratch, kScratch);
      jcc(x86::CondCode::kS, big);
      d64 ? a_.cvtsi2sd(kFScratch, kScratch) : a_.cvtsi2ss(kFScratch, kScratch);
      jump(done);
      bind(big);
      // Halve with the low bit folded in (round to odd), convert, double.
      a_.mov(kScratch2, kScratch);
      a_.shr(kScratch, Imm(1));
      a_.and_(kScratch2.r32(), Imm(1));
      a_.or_(kScratch, kScratch2);
      d64 ? a_.cvtsi2sd(kFScratch, kScratch) : a_.cvtsi2ss(kFScratch, kScratch);
      d64 ? a_.addsd(kFScratch, kFScratch) : a_.addss(kFScratch, kFScratch);
      bind(done);
      a_.movaps(xmm(dst), kFScratch);
      return;
    }
    case ConvertKind::kI32TruncF32S: case ConvertKind::kI32TruncF32U: case ConvertKind::kI32TruncF64S:
    case ConvertKind::kI32TruncF64U: case ConvertKind::kI64TruncF32S: case ConvertKind::kI64TruncF32U:
    case ConvertKind::kI64TruncF64S: case ConvertKind::kI64TruncF64U:
      trunc_checked(op, dst, src, invalid, overflow, overflow);
      return;
    case ConvertKind::kI32TruncSatF32S: case ConvertKind::kI32TruncSatF32U: case ConvertKind::kI32TruncSatF64S:
    case ConvertKind::kI32TruncSatF64U: case ConvertKind::kI64TruncSatF32S: case ConvertKind::kI64TruncSatF32U:
    case ConvertKind::kI64TruncSatF64S: case ConvertKind::kI64TruncSatF64U:
      trunc_sat(op, dst, src);
      return;
    default:
      return;
  }
}


// NaN goes to `nan`; values whose truncation is below / above the result
// range go to `too_low` / `too_high`; everything else is converted into dst.
// The bounds are the first out-of-range values in the source format.
void X64Masm::trunc_checked(ConvertKind op, Reg dst, Reg src, Label nan, Label too_low, Label too_high) {
  TruncInfo ti = trunc_info(op);
  x86::Xmm s = xmm(src);
  auto cmp_const = [&](double value) {
    if (ti.src64) {
      a_.mov(kScratch, Imm(f64_bits(value)));
      a_.movq(kFScratch, kScratch);
      a_.ucomisd(s, kFScratch);
    } else {
      a_.mov(kScratch.r32(), Imm(f32_bits(static_cast<float>(value))));
      a_.movd(kFScratch, kScratch.r32());
      a_.ucomiss(s, kFScratch);
    }
  };
  ti.src64 ? a_.ucomisd(s, s) : a_.ucomiss(s, s);
  jcc(x86::CondCode::kP, nan);
  // Upper bound (exclusive): 2^31, 2^32, 2^63, 2^64.
  double hi = ti.dst64 ? (ti.is_signed ? 9223372036854775808.0 : 18446744073709551616.0)
                       : (ti.is_signed ? 2147483648.0 : 4294967296.0);
  cmp_const(hi);
  jcc(x86::CondCode::kAE, too_high);
  // Lower bound: x must be > -1 (unsigned), > -2^31 - 1 (i32 from f64),
  // >= -2^31 / -2^63 where that is exactly representable.
  if (!ti.is_signed) {
    cmp_const(-1.0);
    jcc(x86::CondCode::kBE, too_low);
  } else if (!ti.dst64 && ti.src64) {
    cmp_const(-2147483649.0);
    jcc(x86::CondCode::kBE, too_low);
  } else {
    cmp_const(ti.dst64 ? -9223372036854775808.0 : -2147483648.0);
    jcc(x86::CondCode::kB, too_low);
  }
  if (ti.dst64 && !ti.is_signed) {
    // [2^63, 2^64): dst = cvt(s - 2^63) ^ 2^63; s is saved below rsp and restored.
    Label small = new_label(), done = new_label();
    cmp_const(9223372036854775808.0);
    jcc(x86::CondCode::kB, small);
    a_.sub(x86::rsp, Imm(16));
    if (ti.src64) {
      a_.movsd(x86::qword_ptr(x86::rsp), s);
      a_.mov(kScratch, Imm(f64_bits(9223372036854775808.0)));
      a_.movq(kFScratch, kScratch);
      a_.subsd(s, kFScratch);
      a_.cvttsd2si(gpq(dst), s);
      a_.movsd(s, x86::qword_ptr(x86::rsp));
    } else {
      a_.movss(x86::dword_ptr(x86::rsp), s);
      a_.mov(kScratch.r32(), Imm(f32_bits(9223372036854775808.0f)));
      a_.movd(kFScratch, kScratch.r32());
      a_.subss(s, kFScratch);
      a_.cvttss2si(gpq(dst), s);
      a_.movss(s, x86::dword_ptr(x86::rsp));
    }
    a_.add(x86::rsp, Imm(16));
    a_.btc(gpq(dst), Imm(63));
    jump(done);
    bind(small);
    ti.src64 ? a_.cvttsd2si(gpq(dst), s) : a_.cvttss2si(gpq(dst), s);
    bind(done);
  } else if (ti.dst64 || !ti.is_signed) {
    // i64 signed, or u32 through a 64-bit conversion (value < 2^32).
    ti.src64 ? a_.cvttsd2si(gpq(dst), s) : a_.cvttss2si(gpq(dst), s);
    if (!ti.dst64) a_.mov(gpd(dst), gpd(dst));
  } else {
    ti.src64 ? a_.cvttsd2si(gpd(dst), s) : a_.cvttss2si(gpd(dst), s);
  }
}

void X64Masm::trunc_sat(ConvertKind op, Reg dst, Reg src) {
  TruncInfo ti = trunc_info(op);
  Label done = new_label(), nan = new_label(), too_low = new_label(), too_high = new_label();
  trunc_checked(op, dst, src, nan, too_low, too_high);
  jump(done);
  bind(nan);
  a_.mov(gpd(dst), Imm(0));
  jump(done);
  bind(too_low);
  if (ti.is_signed) {
    if (ti.dst64) a_.mov(gpq(dst), Imm(INT64_MIN));
    else a_.mov(gpd(dst), Imm(static_cast<uint32_t>(INT32_MIN)));
  } else {
    a_.mov(gpd(dst), Imm(0));
  }
  jump(done);
  bind(too_high);
  if (ti.dst64) a_.mov(gpq(dst), Imm(ti.is_signed ? static_cast<uint64_t>(INT64_MAX) : UINT64_MAX));
  else a_.mov(gpd(dst), Imm(ti.is_signed ? static_cast<uint32_t>(INT32_MAX) : UINT32_MAX));
  bind(done);
}

// ---------------------------------------------------------------------------
// Memory

x86::Mem X64Masm::mem_operand(Reg addr, uint32_t offset, uint32_t size, Label oob) {
  if (debug_checks_) check_i32_upper_zero(addr);
  if (explicit_bounds_) {
    // end = zext(index) + offset + size in 64 bits: at most 2^33 + 6, so it
    // cannot wrap, and it reads only the low half of the index register (an
    // i32 is its low 32 bits whatever the upper half holds). The access uses
    // the same zero-extended sum, so check and access cannot disagree.
    uint64_t extra = uint64_t{offset} + size;
    a_.mov(kScratch.r32(), gpd(addr));
    if (extra <= static_cast<uint64_t>(INT32_MAX)) {
      a_.add(kScratch, Imm(static_cast<int32_t>(extra)));
    } else {
      a_.mov(kScratch2, Imm(extra));
      a_.add(kScratch, kScratch2);
    }
    a_.mov(kScratch2, x86::qword_ptr(kVm, runtime::kVmMemory));
    a_.cmp(kScratch, x86::qword_ptr(kScratch2, runtime::kMemoryHeaderSize));
    jcc(x86::CondCode::kA, oob);
    return x86::ptr(kMemBase, kScratch, 0, -static_cast<int32_t>(size));
  }
  if (offset <= static_cast<uint32_t>(INT32_MAX)) {
    return x86::ptr(kMemBase, gpq(addr), 0, static_cast<int32_t>(offset));
  }
  a_.mov(kScratch.r32(), Imm(offset));
  a_.add(kScratch, gpq(addr));
  return x86::ptr(kMemBase, kScratch);
}

void X64Masm::check_i32_upper_zero(Reg r) {
  // Debug builds: an i32 in a 64-bit register must have a zero upper half
  // (docs/BACKENDS.md). Three instructions, off the hot path in release.
  Label ok = new_label();
  a_.mov(kScratch.r32(), gpd(r));
  a_.cmp(kScratch, gpq(r));
  jcc(x86::CondCode::kE, ok);
  trap(TrapCode::kInternalInvariant);
  bind(ok);
}

namespace {

RawMemOp load_op(LoadKind kind) {
  switch (kind) {
    case LoadKind::kI32: case LoadKind::kI64U32: return raw::kLoad32;
    case LoadKind::kI64: return raw::kLoad64;
    case LoadKind::kI32S8: return raw::kMovsx8;
    case LoadKind::kI32S16: return raw::kMovsx16;
    case LoadKind::kI32U8: case LoadKind::kI64U8: return raw::kMovzx8;
    case LoadKind::kI32U16: case LoadKind::kI64U16: return raw::kMovzx16;
    case LoadKind::kI64S8: return raw::kMovsx8To64;
    case LoadKind::kI64S16: return raw::kMovsx16To64;
    case LoadKind::kI64S32: return raw::kMovsxd;
    default: return RawMemOp{};  // floats: asmjit
  }
}

RawMemOp store_op(StoreKind kind) {
  switch (kind) {
    case StoreKind::kI8: return raw::kStore8;
    case StoreKind::kI16: return raw::kStore16;
    case StoreKind::kI32: return raw::kStore32;
    case StoreKind::kI64: return raw::kStore64;
    default: return RawMemOp{};
  }
}

}  // namespace

bool X64Masm::raw_mem(RawMemOp op, uint8_t reg, const x86::Mem& m) {
  if (op.op0 == 0 || !m.hasBaseReg() || !m.hasIndexReg() || m.shift() != 0) return false;
  int64_t disp = m.offset();
  if (disp < INT32_MIN || disp > INT32_MAX) return false;
  return raw_.mem_index(op, reg, static_cast<uint8_t>(m.baseId()), static_cast<uint8_t>(m.indexId()),
                        static_cast<int32_t>(disp));
}

void X64Masm::load_mem(LoadKind kind, Reg dst, Reg addr, uint32_t offset, Label oob) {
  uint32_t size = access_size(kind);
  x86::Mem m = mem_operand(addr, offset, size, oob);
  m.setSize(size);
  if (!explicit_bounds_) record_trap_site(TrapCode::kMemoryOutOfBounds);
  if (!dst.is_fp() && raw_mem(load_op(kind), dst.code, m)) return;
  switch (kind) {
    case LoadKind::kI32: a_.mov(gpd(dst), m); break;
    case LoadKind::kI64: a_.mov(gpq(dst), m); break;
    case LoadKind::kF32: a_.movss(xmm(dst), m); break;
    case LoadKind::kF64: a_.movsd(xmm(dst), m); break;
    case LoadKind::kI32S8: case LoadKind::kI32S16: a_.movsx(gpd(dst), m); break;
    case LoadKind::kI32U8: case LoadKind::kI32U16: case LoadKind::kI64U8: case LoadKind::kI64U16:
      a_.movzx(gpd(dst), m);
      break;
    case LoadKind::kI64S8: case LoadKind::kI64S16: a_.movsx(gpq(dst), m); break;
    case LoadKind::kI64S32: a_.movsxd(gpq(dst), m); break;
    case LoadKind::kI64U32: a_.mov(gpd(dst), m); break;
  }
}

void X64Masm::store_mem(StoreKind kind, Reg addr, uint32_t offset, Operand value, Label oob) {
  uint32_t size = access_size(kind);
  x86::Mem m = mem_operand(addr, offset, size, oob);
  m.setSize(size);
  if (!explicit_bounds_) record_trap_site(TrapCode::kMemoryOutOfBounds);
  if (value.is_imm) {
    // The compiler passes 8-byte immediates only when they fit 32 bits.
    int64_t v = value.imm;
    if (size == 1) v = static_cast<int8_t>(v);
    else if (size == 2) v = static_cast<int16_t>(v);
    else if (size == 4) v = static_cast<int32_t>(v);
    if (m.hasBaseReg() && m.hasIndexReg() && m.shift() == 0 && m.offset() >= INT32_MIN && m.offset() <= INT32_MAX &&
        v >= INT32_MIN && v <= INT32_MAX &&
        raw_.store_imm_index(size, static_cast<uint8_t>(m.baseId()), static_cast<uint8_t>(m.indexId()),
                             static_cast<int32_t>(m.offset()), v)) {
      return;
    }
    a_.mov(m, Imm(v));
    return;
  }
  if (!value.reg.is_fp() && raw_mem(store_op(kind), value.reg.code, m)) return;
  switch (kind) {
    case StoreKind::kF32: a_.movss(m, xmm(value.reg)); break;
    case StoreKind::kF64: a_.movsd(m, xmm(value.reg)); break;
    case StoreKind::kI8: a_.mov(m, gpb(value.reg)); break;
    case StoreKind::kI16: a_.mov(m, x86::gpw(value.reg.code)); break;
    case StoreKind::kI32: a_.mov(m, gpd(value.reg)); break;
    case StoreKind::kI64: a_.mov(m, gpq(value.reg)); break;
  }
}

void X64Masm::memory_size(Reg dst) {
  a_.mov(gpq(dst), x86::qword_ptr(kVm, runtime::kVmMemory));
  a_.mov(gpq(dst), x86::qword_ptr(gpq(dst), runtime::kMemoryHeaderSize));
  a_.shr(gpq(dst), Imm(16));
}

void X64Masm::load_global(Reg dst, ValType t, int32_t off, bool imported) {
  x86::Gp base = kVm;
  if (imported) {
    if (!raw_.rm(RawX64::kMovLoad, true, kScratch.id(), kVm.id(), off)) a_.mov(kScratch, x86::qword_ptr(kVm, off));
    base = kScratch;
    off = 0;
  }
  if (!dst.is_fp() && raw_.rm(RawX64::kMovLoad, t != ValType::kI32, dst.code, static_cast<uint8_t>(base.id()), off)) {
    return;
  }
  if (t == ValType::kV128) {
    a_.movdqu(xmm(dst), x86::xmmword_ptr(base, off));
  } else if (dst.is_fp()) {
    is_f64(t) ? a_.movsd(xmm(dst), x86::qword_ptr(base, off)) : a_.movss(xmm(dst), x86::dword_ptr(base, off));
  } else if (t == ValType::kI32) {
    a_.mov(gpd(dst), x86::dword_ptr(base, off));
  } else {
    a_.mov(gpq(dst), x86::qword_ptr(base, off));
  }
}

void X64Masm::store_global(int32_t off, Reg src, ValType t, bool imported) {
  x86::Gp base = kVm;
  if (imported) {
    if (!raw_.rm(RawX64::kMovLoad, true, kScratch.id(), kVm.id(), off)) a_.mov(kScratch, x86::qword_ptr(kVm, off));
    base = kScratch;
    off = 0;
  }
  // An i32 is stored as 8 bytes too: its upper half is zero.
  if (!src.is_fp() && raw_.rm(RawX64::kMovStore, true, src.code, static_cast<uint8_t>(base.id()), off)) return;
  if (t == ValType::kV128) {
    a_.movdqu(x86::xmmword_ptr(base, off), xmm(src));
  } else if (src.is_fp()) {
    is_f64(t) ? a_.movsd(x86::qword_ptr(base, off), xmm(src)) : a_.movss(x86::dword_ptr(base, off), xmm(src));
  } else if (t == ValType::kI32) {
    a_.mov(x86::qword_ptr(base, off), gpq(src));  // upper half is zero for i32 values
  } else {
    a_.mov(x86::qword_ptr(base, off), gpq(src));
  }
}

void X64Masm::table_get(Reg dst, int32_t table_off, Reg idx, Label oob) {
  a_.mov(kScratch, x86::qword_ptr(kVm, table_off));
  a_.cmp(gpd(idx), x86::dword_ptr(kScratch, runtime::kTableSize));
  jcc(x86::CondCode::kAE, oob);
  a_.mov(kScratch, x86::qword_ptr(kScratch, runtime::kTableData));
  a_.mov(gpq(dst), x86::qword_ptr(kScratch, gpq(idx), 3));
}

void X64Masm::table_set(int32_t table_off, Reg idx, Reg value, Label oob) {
  a_.mov(kScratch, x86::qword_ptr(kVm, table_off));
  a_.cmp(gpd(idx), x86::dword_ptr(kScratch, runtime::kTableSize));
  jcc(x86::CondCode::kAE, oob);
  a_.mov(kScratch, x86::qword_ptr(kScratch, runtime::kTableData));
  a_.mov(x86::qword_ptr(kScratch, gpq(idx), 3), gpq(value));
}

void X64Masm::table_size(Reg dst, int32_t table_off) {
  a_.mov(kScratch, x86::qword_ptr(kVm, table_off));
  a_.mov(gpd(dst), x86::dword_ptr(kScratch, runtime::kTableSize));
}

void X64Masm::ref_func(Reg dst, uint32_t func_index) {
  a_.mov(gpq(dst), x86::qword_ptr(kVm, runtime::kVmFuncRefs));
  a_.mov(gpq(dst), x86::qword_ptr(gpq(dst), static_cast<int32_t>(8 * func_index)));
}

// ---------------------------------------------------------------------------
// Calls

void X64Masm::call_direct(uint32_t defined_index) {
  static const uint8_t kCallRel32[] = {0xE8, 0, 0, 0, 0};
  relocs_.push_back({static_cast<uint32_t>(a_.offset()) + 1, RelocKind::kDirectCall, defined_index});
  a_.embed(kCallRel32, sizeof kCallRel32);
}

void X64Masm::call_import(int32_t code_off, int32_t vmctx_off) {
  a_.mov(kScratch, x86::qword_ptr(kVm, code_off));
  a_.mov(kVm, x86::qword_ptr(kVm, vmctx_off));
  a_.call(kScratch);
  restore_vmctx();
}

void X64Masm::call_indirect(int32_t table_off, Reg idx, uint32_t type_index, Label undefined, Label null,
                            Label mismatch) {
  a_.mov(kScratch, x86::qword_ptr(kVm, table_off));
  a_.cmp(gpd(idx), x86::dword_ptr(kScratch, runtime::kTableSize));
  jcc(x86::CondCode::kAE, undefined);
  a_.mov(kScratch, x86::qword_ptr(kScratch, runtime::kTableData));
  a_.mov(kScratch, x86::qword_ptr(kScratch, gpq(idx), 3));
  a_.test(kScratch, kScratch);
  Label not_null = new_label();
  jcc(x86::CondCode::kNZ, not_null);
  // The trap message names the element: record the index first.
  a_.mov(kScratch2, x86::qword_ptr(kVm, runtime::kVmStore));
  a_.mov(x86::dword_ptr(kScratch2, runtime::kStoreTrapDetail), gpd(idx));
  jump(null);
  bind(not_null);
  // cmp dword [r11 + type_id], imm32: the immediate is the last 4 bytes.
  a_.cmp(x86::dword_ptr(kScratch, runtime::kFuncRefTypeId), Imm(static_cast<int32_t>(0x7fffffff)));
  relocs_.push_back({static_cast<uint32_t>(a_.offset()) - 4, RelocKind::kTypeId, type_index});
  jcc(x86::CondCode::kNE, mismatch);
  a_.mov(kVm, x86::qword_ptr(kScratch, runtime::kFuncRefVmctx));
  a_.call(x86::qword_ptr(kScratch, runtime::kFuncRefCode));
  restore_vmctx();
}

Reg X64Masm::call_helper(HelperId fn, std::span<const HelperArg> args) {
  static const x86::Gp kArgRegs[] = {x86::rdi, x86::rsi, x86::rdx, x86::rcx, x86::r8, x86::r9};
  for (size_t i = 0; i < args.size(); ++i) {
    const HelperArg& arg = args[i];
    x86::Gp r = kArgRegs[i];
    switch (arg.kind) {
      case HelperArg::Kind::kVmctx: a_.mov(r, kVm); break;
      case HelperArg::Kind::kImm: a_.mov(r, Imm(arg.imm)); break;
      case HelperArg::Kind::kFrame:
        if (arg.type == ValType::kI32) a_.mov(r.r32(), x86::dword_ptr(x86::rbp, arg.offset));
        else a_.mov(r, x86::qword_ptr(x86::rbp, arg.offset));
        break;
    }
  }
  // By index through the VMContext: no address is frozen into the code.
  a_.mov(x86::rax, x86::qword_ptr(kVm, runtime::kVmHelpers));
  a_.call(x86::qword_ptr(x86::rax, static_cast<int32_t>(8 * static_cast<uint32_t>(fn))));
  // Every helper returns a u32 (a trap code or an i32 result); the C ABI
  // leaves the upper half of rax undefined, and generated code relies on it
  // being zero (a failed memory.grow's -1 used as an address).
  a_.mov(x86::eax, x86::eax);
  return Reg{0, RegClass::kGp};  // r14/r15 are callee-saved in the C ABI
}

// ---------------------------------------------------------------------------
// Traps

void X64Masm::check_interrupt(Label epoch_stub) {
  // epoch >= deadline: the engine's epoch passed the store's deadline, or an
  // interrupt set the deadline to 0. The stub returns if the run goes on.
  a_.mov(kScratch, x86::qword_ptr(kVm, runtime::kVmStore));
  a_.mov(kScratch2, x86::qword_ptr(kScratch, runtime::kStoreEpoch));
  a_.mov(kScratch2, x86::qword_ptr(kScratch2));
  a_.cmp(kScratch2, x86::qword_ptr(kScratch, runtime::kStoreEpochDeadline));
  // The hot path falls through; the call to the stub sits out of line.
  Label slow = new_label(), resume = new_label();
  jcc(x86::CondCode::kAE, slow);
  bind(resume);
  epoch_sites_.push_back({slow, resume});
  (void)epoch_stub;  // bound by emit_epoch_stub
}

void X64Masm::emit_epoch_stub(Label stub) {
  for (const auto& [slow, resume] : epoch_sites_) {
    bind(slow);
    call_label(stub);
    jump(resume);
  }
  epoch_sites_.clear();
  bind(stub);
  // Reached by a call from a check site with any registers live: keeps the
  // SysV caller-saved ones (rbx, rbp, r12-r15 the helper keeps itself).
  static const x86::Gp kSaved[] = {x86::rax, x86::rcx, x86::rdx, x86::rsi, x86::rdi,
                                   x86::r8,  x86::r9,  x86::r10, x86::r11};
  for (const x86::Gp& r : kSaved) a_.push(r);
  a_.push(x86::r12);
  a_.mov(x86::r12, x86::rsp);
  a_.and_(x86::rsp, Imm(-16));
  a_.sub(x86::rsp, Imm(16 * 16));
  for (uint32_t i = 0; i < 16; ++i) a_.movdqu(x86::ptr(x86::rsp, 16 * static_cast<int32_t>(i)), x86::xmm(i));
  a_.mov(x86::rdi, kVm);
  a_.mov(x86::rax, x86::qword_ptr(kVm, runtime::kVmHelpers));
  a_.call(x86::qword_ptr(x86::rax, static_cast<int32_t>(8 * static_cast<uint32_t>(HelperId::kEpochDeadline))));
  for (uint32_t i = 0; i < 16; ++i) a_.movdqu(x86::xmm(i), x86::ptr(x86::rsp, 16 * static_cast<int32_t>(i)));
  a_.mov(x86::rsp, x86::r12);
  a_.pop(x86::r12);
  a_.test(x86::eax, x86::eax);
  Label trapping = new_label();
  jcc(x86::CondCode::kNZ, trapping);
  for (int i = static_cast<int>(std::size(kSaved)) - 1; i >= 0; --i) a_.pop(kSaved[i]);
  a_.ret();
  bind(trapping);
  // eax = the trap code; the check site (the return address) is the
  // trapping PC for the backtrace; the unwind stub resets rsp.
  a_.mov(kScratch2, x86::qword_ptr(x86::rsp, 8 * static_cast<int32_t>(std::size(kSaved))));
  a_.jmp(unwind_);
}

void X64Masm::lea_self_and_unwind() {
  // lea r10 (kScratch2), [rip - 7]: the trapping function, for the backtrace.
  if (!raw_.lea_r10_self()) {
    asmjit::Label here = a_.newLabel();
    a_.bind(here);
    a_.lea(kScratch2, x86::ptr(here));
  }
  a_.jmp(unwind_);
}

void X64Masm::trap(TrapCode code) {
  if (!raw_.mov_ri32(0, static_cast<uint32_t>(code))) a_.mov(x86::eax, Imm(static_cast<uint32_t>(code)));
  lea_self_and_unwind();
}

void X64Masm::trap_with_code_in_result() { lea_self_and_unwind(); }

void X64Masm::unreachable_trap_site(TrapCode code) {
  record_trap_site(code);
  a_.ud2();
}

void X64Masm::emit_unwind_stub(x86::Assembler& a) {
  // eax = trap code; r14 = a VMContext or host context (StoreState* first);
  // r10 = the trapping PC (or 0); rbp = the innermost Wasm frame.
  a.mov(x86::rcx, x86::qword_ptr(kVm, runtime::kVmStore));
  a.mov(x86::dword_ptr(x86::rcx, runtime::kStoreTrapCode), x86::eax);
  a.mov(x86::rdi, x86::rcx);
  a.mov(x86::rsi, x86::rbp);
  a.mov(x86::rdx, kScratch2);
  a.and_(x86::rsp, Imm(-16));
  a.call(x86::qword_ptr(x86::rcx, runtime::kStoreCaptureBacktrace));
  a.mov(x86::rcx, x86::qword_ptr(kVm, runtime::kVmStore));  // r14 survives the C call
  a.mov(x86::eax, x86::dword_ptr(x86::rcx, runtime::kStoreTrapCode));
  a.mov(x86::rsp, x86::qword_ptr(x86::rcx, runtime::kStoreEntrySp));
  emit_entry_frame_exit(a);
}

void X64Masm::emit_entry_frame_exit(x86::Assembler& a) {
  // The entry trampoline's frame: previous entry_sp, then saved registers.
  a.pop(x86::rdx);
  a.mov(x86::qword_ptr(x86::rcx, runtime::kStoreEntrySp), x86::rdx);
  a.pop(x86::r15);
  a.pop(x86::r14);
  a.pop(x86::r13);
  a.pop(x86::r12);
  a.pop(x86::rbx);
  a.pop(x86::rdx);  // the null caller-VMContext slot
  a.pop(x86::rbp);
  a.ret();
}


}  // namespace brisk::compiler::x64
