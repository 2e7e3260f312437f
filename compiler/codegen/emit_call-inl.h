// FuncCompiler: direct, imported and indirect calls.
#ifndef BRISK_COMPILER_CODEGEN_EMIT_CALL_INL_H_
#define BRISK_COMPILER_CODEGEN_EMIT_CALL_INL_H_

namespace brisk::compiler {

// Puts the top operands where the callee's parameters live (wasm_abi.h):
// stack parameters into the outgoing slots first, then everything live is
// spilled (all allocatable registers die across a call), then register
// parameters are moved in: registers by a parallel move, the rest loaded.
template <MacroAssembler Masm>
void FuncCompiler<Masm>::store_call_args(const FuncType& ft) {
  uint32_t n = static_cast<uint32_t>(ft.params.size());
  uint32_t gp = 0, fp = 0;
  materialize_top_cond();  // allocates: do it before any operand is recorded
  size_t first = stack_.size() - n;
  struct Pending {
    Reg dst;
    ValType type;
    enum class From : uint8_t { kReg, kFrame, kConst } from;
    Reg reg;           // kReg
    int32_t offset;    // kFrame
    uint64_t bits;     // kConst
  };
  // At most one pending move per argument register: no allocation.
  constexpr size_t kMaxPending = std::size(Masm::kIntArgRegs) + std::size(Masm::kFloatArgRegs);
  Pending pending[kMaxPending];
  size_t num_pending = 0;
  int32_t next_out = 0;  // positional: 8 bytes a value, 16 a v128 (slot_units)
  for (size_t i = first; i < stack_.size(); ++i) {
    const Slot& s = stack_[i];
    int32_t out = next_out;
    next_out += 8 * static_cast<int32_t>(slot_units(s.type));
    AbiLoc loc = WasmAbi<Masm>::next_param(s.type, gp, fp);
    if (loc.in_reg) {
      Pending p{loc.reg, s.type, Pending::From::kFrame, Reg{}, 0, 0};
      switch (s.kind) {
        case Slot::Kind::kReg: p.from = Pending::From::kReg; p.reg = s.reg; break;
        case Slot::Kind::kConst: p.from = Pending::From::kConst; p.bits = s.bits; break;
        case Slot::Kind::kStack: p.offset = home(static_cast<uint32_t>(i)); break;
        case Slot::Kind::kCond: p.from = Pending::From::kReg; p.reg = slot_to_reg(i); break;
        case Slot::Kind::kLocal: {
          const LocalLoc& l = local_loc_[s.local_index()];
          if (l.in_reg) {
            p.from = Pending::From::kReg;
            p.reg = l.reg;
          } else {
            p.offset = local_offset(s.local_index());
          }
          break;
        }
      }
      pending[num_pending++] = p;
      continue;
    }
    switch (s.kind) {
      case Slot::Kind::kReg: masm_.store_out(out, s.reg, s.type); break;
      case Slot::Kind::kConst: masm_.store_out_const(out, s.type, s.bits); break;
      case Slot::Kind::kStack: masm_.copy_frame_to_out(out, home(static_cast<uint32_t>(i)), s.type); break;
      case Slot::Kind::kCond: {
        Reg r = slot_to_reg(i);
        masm_.store_out(out, r, s.type);
        break;
      }
      case Slot::Kind::kLocal: {
        const LocalLoc& l = local_loc_[s.local_index()];
        if (l.in_reg) masm_.store_out(out, l.reg, s.type);
        else masm_.copy_frame_to_out(out, local_offset(s.local_index()), s.type);
        break;
      }
    }
  }
  truncate(first);
  // Spilling stores only: the registers keep their values for the moves below.
  spill_all();
  // Register sources: a parallel move (a cycle goes through the scratch register).
  Pending moves[kMaxPending];
  size_t num_moves = 0;
  for (size_t k = 0; k < num_pending; ++k) {
    if (pending[k].from == Pending::From::kReg && pending[k].reg != pending[k].dst) moves[num_moves++] = pending[k];
  }
  while (num_moves > 0) {
    bool progress = false;
    for (size_t k = 0; k < num_moves; ++k) {
      bool dst_is_source = false;
      for (size_t q = 0; q < num_moves; ++q) {
        if (q != k && moves[q].reg == moves[k].dst) dst_is_source = true;
      }
      if (dst_is_source) continue;
      masm_.move(moves[k].dst, moves[k].reg, moves[k].type);
      moves[k] = moves[--num_moves];
      progress = true;
      break;
    }
    if (progress) continue;
    // Every destination is still a source: park the first move's source.
    Pending& m = moves[0];
    Reg scratch = m.reg.is_fp() ? Masm::kScratchFp : Masm::kScratchGp;
    Reg parked = m.reg;
    masm_.move(scratch, parked, m.type);
    for (size_t q = 0; q < num_moves; ++q) {
      if (moves[q].reg == parked) moves[q].reg = scratch;
    }
  }
  for (size_t k = 0; k < num_pending; ++k) {
    const Pending& p = pending[k];
    if (p.from == Pending::From::kFrame) masm_.load_frame(p.dst, p.type, p.offset);
    else if (p.from == Pending::From::kConst) masm_.load_const(p.dst, p.type, p.bits);
  }
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::push_call_results(const FuncType& ft) {
  int32_t gp_index, fp_index;
  WasmAbi<Masm>::register_results(ft.results, gp_index, fp_index);
  if (gp_index >= 0) used_.add(Masm::kIntResultReg);  // before any stack result takes a register
  if (fp_index >= 0) used_.add(Masm::kFloatResultReg);
  int32_t out = 0;
  for (size_t j = 0; j < ft.results.size(); ++j) {
    ValType t = ft.results[j];
    AbiLoc loc = WasmAbi<Masm>::result(j, gp_index, fp_index);
    int32_t at = out;
    out += 8 * static_cast<int32_t>(slot_units(t));
    if (loc.in_reg) {
      push_reg(t, loc.reg);
      continue;
    }
    Reg r = alloc(class_of(t));
    masm_.load_out(r, t, at);
    push_reg(t, r);
  }
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_call(uint32_t func_index) {
  const FuncType& ft = m_.func_type(func_index);
  max_out_ = std::max(max_out_, std::max(ft.param_units(), ft.result_units()));
  store_call_args(ft);
  if (func_index < m_.num_imported_funcs) {
    masm_.call_import(env_.layout.import_code(func_index), env_.layout.import_vmctx(func_index));
  } else {
    masm_.call_direct(func_index - m_.num_imported_funcs);
  }
  push_call_results(ft);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_call_indirect(const Instr& in) {
  const FuncType& ft = m_.types[in.index];
  max_out_ = std::max(max_out_, std::max(ft.param_units(), ft.result_units()));
  // The table index must survive the argument moves: keep it out of the
  // parameter registers.
  Slot idx_slot = pop();
  Reg idx = to_reg(idx_slot);
  RegSet args = WasmAbi<Masm>::arg_regs();
  if (args.has(idx)) {
    Reg other = alloc(RegClass::kGp, args);
    masm_.move(other, idx, ValType::kI32);
    free_reg(idx);
    idx = other;
  }
  store_call_args(ft);  // spills only stack slots; idx is no longer one
  masm_.call_indirect(env_.layout.table(in.index2), idx, in.index,
                      trap_label(runtime::TrapCode::kUndefinedElement),
                      trap_label(runtime::TrapCode::kUninitializedElement),
                      trap_label(runtime::TrapCode::kIndirectCallTypeMismatch));
  free_reg(idx);
  push_call_results(ft);
}

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CODEGEN_EMIT_CALL_INL_H_
