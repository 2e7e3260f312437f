// FuncCompiler: locals, globals, linear memory and tables.
#ifndef BRISK_COMPILER_CODEGEN_EMIT_MEMORY_INL_H_
#define BRISK_COMPILER_CODEGEN_EMIT_MEMORY_INL_H_

namespace brisk::compiler {

template <MacroAssembler Masm>
void FuncCompiler<Masm>::set_local_const(uint32_t i, uint64_t bits) {
  LocalLoc& loc = local_loc_[i];
  if (loc.in_reg) {
    masm_.load_const(loc.reg, locals_[i], bits);
    loc.dirty = true;
  } else {
    masm_.store_frame_const(local_offset(i), locals_[i], bits);
  }
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_local(const Instr& in) {
  if (in.op == Opcode::kLocalGet) emit_local_get(in.index);
  else if (in.op == Opcode::kLocalSet) emit_local_set(in.index);
  else emit_local_tee(in.index);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_local_get(uint32_t i) {
  push(Slot::local(locals_[i], i));  // nothing emitted: read where the local lives when used
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_local_set(uint32_t i) {
  Slot s = pop();
  if (s.is_local() && s.local_index() == i) return;  // local.set i (local.get i)
  detach_local_refs(i);
  if (s.is_const()) {
    set_local_const(i, s.bits);
    return;
  }
  // The value's register becomes the local's (its old one is freed): no
  // move here; a loop's back edge moves it back to the header's register
  // once per iteration, not once per write.
  Reg r = to_reg(s);  // owned: a kLocal source is copied
  used_.remove(r);    // ownership passes to the local
  bind_local(i, r);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_local_tee(uint32_t i) {
  // The operand stays, the local gets a copy.
  Slot& top_slot = top();
  if (top_slot.is_local() && top_slot.local_index() == i) return;
  detach_local_refs(i);  // never the top slot: it is not local i
  Slot& s = top();
  if (s.is_const()) {
    set_local_const(i, s.bits);
    return;
  }
  if (s.is_local()) {
    Reg copy = to_reg(s);  // another local's value
    used_.remove(copy);
    bind_local(i, copy);
    return;
  }
  // The operand becomes a reference to the local, whose register is now the
  // value's (as for local.set).
  Reg r = slot_to_reg(stack_.size() - 1);
  stack_.pop_back();
  used_.remove(r);
  bind_local(i, r);
  push(Slot::local(locals_[i], i));
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_global(const Instr& in) {
  if (in.op == Opcode::kGlobalGet) emit_global_get(in.index);
  else emit_global_set(in.index);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_global_get(uint32_t index) {
  ValType t = m_.globals[index].type;
  Reg r = alloc(class_of(t));
  masm_.load_global(r, t, env_.layout.global(index), index < m_.num_imported_globals);
  push_reg(t, r);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_global_set(uint32_t index) {
  bool owned;
  Reg r = use_reg(pop(), &owned);
  masm_.store_global(env_.layout.global(index), r, m_.globals[index].type, index < m_.num_imported_globals);
  release(r, owned);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_load(const Instr& in, LoadKind kind) {
  ValType t = result_type(kind);
  bool owned;
  Reg addr = use_reg(pop(), &owned);
  Reg dst = addr;
  if (class_of(t) != RegClass::kGp || !owned) {
    RegSet pin;
    pin.add(addr);
    dst = alloc(class_of(t), pin);
  }
  masm_.load_mem(kind, dst, addr, in.mem.offset, oob_label());
  if (dst != addr) release(addr, owned);
  push_reg(t, dst);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_store(const Instr& in, StoreKind kind) {
  Slot value = pop();
  Slot addr_slot = pop();
  uint32_t size = access_size(kind);
  Operand v;
  RegSet pin;
  bool value_fp = class_of(value.type) == RegClass::kFp;
  bool value_owned = false;
  if (value.is_const() && !value_fp &&
      (size < 8 || Masm::fits_imm(Width::k64, static_cast<int64_t>(value.bits)))) {
    v = Operand::immediate(static_cast<int64_t>(value.bits));
  } else {
    Reg r = use_reg(value, &value_owned);
    pin.add(r);
    v = Operand::of(r);
  }
  bool addr_owned;
  Reg addr = use_reg(addr_slot, &addr_owned, pin);
  masm_.store_mem(kind, addr, in.mem.offset, v, oob_label());
  release(addr, addr_owned);
  if (!v.is_imm) release(v.reg, value_owned);
}

template <MacroAssembler Masm>
Reg FuncCompiler<Masm>::call_helper(HelperId fn, std::initializer_list<HelperArg> leading, uint32_t n) {
  spill_all();
  std::vector<HelperArg> args{HelperArg::vmctx()};
  args.insert(args.end(), leading.begin(), leading.end());
  size_t first = stack_.size() - n;
  for (size_t i = first; i < stack_.size(); ++i) {
    const Slot& s = stack_[i];
    if (s.is_const()) args.push_back(HelperArg::immediate(static_cast<int64_t>(s.bits)));
    else args.push_back(HelperArg::frame(home(static_cast<uint32_t>(i)), s.type));
  }
  truncate(first);
  Reg r = masm_.call_helper(fn, args);
  used_.add(r);
  return r;
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_memory_op(const Instr& in) {
  switch (in.op) {
    case Opcode::kMemorySize: {
      Reg r = alloc(RegClass::kGp);
      masm_.memory_size(r);
      push_reg(ValType::kI32, r);
      return;
    }
    case Opcode::kMemoryGrow: {
      Reg r = call_helper(HelperId::kMemoryGrow, {}, 1);
      push_reg(ValType::kI32, r);
      return;
    }
    default:
      break;
  }
  Reg r;
  switch (in.op) {
    case Opcode::kMemoryInit:
      r = call_helper(HelperId::kMemoryInit, {HelperArg::immediate(in.index)}, 3);
      break;
    case Opcode::kDataDrop:
      r = call_helper(HelperId::kDataDrop, {HelperArg::immediate(in.index)}, 0);
      break;
    case Opcode::kMemoryCopy:
      r = call_helper(HelperId::kMemoryCopy, {}, 3);
      break;
    default:
      r = call_helper(HelperId::kMemoryFill, {}, 3);
      break;
  }
  check_helper_trap(r);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::check_helper_trap(Reg r) {
  masm_.branch_if_nonzero(Width::k32, r, result_trap_label());
  free_reg(r);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_table_op(const Instr& in) {
  switch (in.op) {
    case Opcode::kTableGet: {
      Reg idx = to_reg(pop());
      masm_.table_get(idx, env_.layout.table(in.index), idx, trap_label(runtime::TrapCode::kTableOutOfBounds));
      push_reg(m_.tables[in.index].elem, idx);
      return;
    }
    case Opcode::kTableSet: {
      bool value_owned, idx_owned;
      Reg value = use_reg(pop(), &value_owned);
      RegSet pin;
      pin.add(value);
      Reg idx = use_reg(pop(), &idx_owned, pin);
      masm_.table_set(env_.layout.table(in.index), idx, value, trap_label(runtime::TrapCode::kTableOutOfBounds));
      release(idx, idx_owned);
      release(value, value_owned);
      return;
    }
    case Opcode::kTableSize: {
      Reg r = alloc(RegClass::kGp);
      masm_.table_size(r, env_.layout.table(in.index));
      push_reg(ValType::kI32, r);
      return;
    }
    case Opcode::kTableGrow: {
      Reg r = call_helper(HelperId::kTableGrow, {HelperArg::immediate(in.index)}, 2);
      push_reg(ValType::kI32, r);
      return;
    }
    default:
      break;
  }
  Reg r;
  switch (in.op) {
    case Opcode::kTableInit:  // index = elem segment, index2 = table
      r = call_helper(HelperId::kTableInit, {HelperArg::immediate(in.index2), HelperArg::immediate(in.index)}, 3);
      break;
    case Opcode::kElemDrop:
      r = call_helper(HelperId::kElemDrop, {HelperArg::immediate(in.index)}, 0);
      break;
    case Opcode::kTableCopy:  // index = destination, index2 = source
      r = call_helper(HelperId::kTableCopy, {HelperArg::immediate(in.index), HelperArg::immediate(in.index2)}, 3);
      break;
    default:  // table.fill
      r = call_helper(HelperId::kTableFill, {HelperArg::immediate(in.index)}, 3);
      break;
  }
  check_helper_trap(r);
}

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CODEGEN_EMIT_MEMORY_INL_H_
