// FuncCompiler: direct, imported and indirect calls.
#ifndef BRISK_COMPILER_CODEGEN_EMIT_CALL_INL_H_
#define BRISK_COMPILER_CODEGEN_EMIT_CALL_INL_H_

namespace brisk::compiler {

// Moves the top `n` operands into the outgoing argument slots, pops them and
// spills everything else: all allocatable registers die across a call.
template <MacroAssembler Masm>
void FuncCompiler<Masm>::store_call_args(uint32_t n) {
  size_t first = stack_.size() - n;
  for (size_t i = first; i < stack_.size(); ++i) {
    const Slot& s = stack_[i];
    int32_t out = 8 * static_cast<int32_t>(i - first);
    switch (s.kind) {
      case Slot::Kind::kReg: masm_.store_out(out, s.reg, s.type); break;
      case Slot::Kind::kConst: masm_.store_out_const(out, s.type, s.bits); break;
      case Slot::Kind::kStack: masm_.copy_frame_to_out(out, home(static_cast<uint32_t>(i))); break;
      case Slot::Kind::kCond: {
        Reg r = slot_to_reg(i);
        masm_.store_out(out, r, s.type);
        break;
      }
      case Slot::Kind::kLocal: {
        const LocalLoc& l = local_loc_[s.local_index()];
        if (l.in_reg) masm_.store_out(out, l.reg, s.type);
        else masm_.copy_frame_to_out(out, local_offset(s.local_index()));
        break;
      }
    }
  }
  truncate(first);
  spill_all();
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::push_call_results(const FuncType& ft) {
  for (size_t j = 0; j < ft.results.size(); ++j) {
    ValType t = ft.results[j];
    Reg r = alloc(class_of(t));
    masm_.load_out(r, t, 8 * static_cast<int32_t>(j));
    push_reg(t, r);
  }
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_call(uint32_t func_index) {
  const FuncType& ft = m_.func_type(func_index);
  uint32_t n = static_cast<uint32_t>(ft.params.size());
  max_out_ = std::max<uint32_t>(max_out_, std::max<uint32_t>(n, static_cast<uint32_t>(ft.results.size())));
  store_call_args(n);
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
  uint32_t n = static_cast<uint32_t>(ft.params.size());
  max_out_ = std::max<uint32_t>(max_out_, std::max<uint32_t>(n, static_cast<uint32_t>(ft.results.size())));
  Reg idx = to_reg(pop());
  store_call_args(n);  // spills only stack slots; idx is no longer one
  masm_.call_indirect(env_.layout.table(in.index2), idx, in.index,
                      trap_label(runtime::TrapCode::kUndefinedElement),
                      trap_label(runtime::TrapCode::kUninitializedElement),
                      trap_label(runtime::TrapCode::kIndirectCallTypeMismatch));
  free_reg(idx);
  push_call_results(ft);
}

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CODEGEN_EMIT_CALL_INL_H_
