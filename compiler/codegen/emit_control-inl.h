// FuncCompiler: blocks, branches and merges.
#ifndef BRISK_COMPILER_CODEGEN_EMIT_CONTROL_INL_H_
#define BRISK_COMPILER_CODEGEN_EMIT_CONTROL_INL_H_

namespace brisk::compiler {

template <MacroAssembler Masm>
Cond FuncCompiler<Masm>::pop_condition() {
  Slot s = pop();
  if (s.kind == Slot::Kind::kCond) return s.cond;
  bool owned;
  Reg r = use_reg(s, &owned);
  masm_.test_zero(Width::k32, r);
  release(r, owned);
  return Cond::kNe;
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::enter_block(const Instr& in) {
  const auto& vc = validator_.control_stack().back();
  Control c{};
  c.kind = in.op;
  // The validator's frame points into the module's types, except for a
  // single value type which it holds inline: copy that one by value.
  c.params.data = vc.params;
  c.params.n = vc.num_params;
  c.results.n = vc.num_results;
  if (vc.results) {
    c.results.data = vc.results;
  } else {
    c.results.single = vc.single;
  }
  // A loop's label is its header, bound below; a block's or an if's end
  // label is made when a branch first needs it (label_of).
  if (in.op == Opcode::kLoop) {
    c.label = masm_.new_label();
    c.label_used = true;
  }
  c.start_reachable = true;
  c.loop_body = ctrl_.back().loop_body;

  bool have_cond = false;
  Cond cond = Cond::kNe;
  bool const_cond = false;
  uint64_t const_value = 0;
  if (in.op == Opcode::kIf) {
    if (top().is_const()) {
      const_cond = true;
      const_value = pop().bits;
    } else {
      cond = pop_condition();  // flags stay live: spilling below only stores
      have_cond = true;
    }
  }
  spill_operands();
  c.height = static_cast<uint32_t>(stack_.size() - c.params.size());
  for (size_t i = c.height; i < stack_.size(); ++i) {
    Slot& s = stack_[i];
    if (s.is_const()) {
      masm_.store_frame_const(home(static_cast<uint32_t>(i)), s.type, s.bits);
      s = Slot::on_stack(s.type);
    }
  }
  if (in.op == Opcode::kLoop) {
    c.loop_body = reader_->offset();
    cache_loop_locals(*reader_);
    // The back edge brings new values into the header's registers: none of
    // them is known to match its slot there.
    for_each_local_reg(local_regs_, reg_local_, [&](Reg, uint32_t i) { local_loc_[i].dirty = true; });
  }
  c.depth = static_cast<uint32_t>(ctrl_.size());
  // A loop's header state, an if's else-arm start; a block needs none (its
  // label's state is decided by the first branch to it).
  if (in.op == Opcode::kBlock) {
    c.locals_begin = static_cast<uint32_t>(merge_pool_.size());
    c.locals_n = 0;
  } else {
    snapshot_locals(c);
  }
  if (in.op == Opcode::kLoop) {
    masm_.bind(c.label);
    if (env_.interruptible) masm_.check_interrupt(epoch_stub());
  }
  if (in.op == Opcode::kIf) {
    c.else_label = masm_.new_label();
    if (have_cond) {
      masm_.branch(negate(cond), c.else_label);
    } else if (const_cond && (static_cast<uint32_t>(const_value) == 0)) {
      masm_.jump(c.else_label);
    }
  }
  ctrl_.push_back(std::move(c));
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::do_else() {
  Control& c = ctrl_.back();
  if (c.start_reachable) {
    if (reachable_) {
      merge_to(c);
      masm_.jump(label_of(c));
    }
    masm_.bind(c.else_label);
    truncate(c.height);
    restore_locals(entry_locals(c));
    for (ValType t : c.params) push(Slot::on_stack(t));
  }
  c.else_seen = true;
  c.kind = Opcode::kElse;
  reachable_ = c.start_reachable;
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::do_end() {
  Control c = std::move(ctrl_.back());
  if (c.kind == Opcode::kCall) {
    // The function's end: fall into the shared return sequence.
    if (reachable_) merge_to(c);
    masm_.bind(c.label);
    masm_.epilogue_return();
    ctrl_.pop_back();
    return;
  }
  if (!c.start_reachable) {
    ctrl_.pop_back();
    merge_pool_.resize(c.locals_begin);
    return;  // still unreachable
  }
  bool implicit_else = c.kind == Opcode::kIf;  // an if without else: the false edge
  bool merge = c.kind != Opcode::kLoop && (c.label_used || implicit_else);
  if (merge) {
    // The false edge of an if without else comes straight from the header
    // (params == results, already home), with the entry state: the label
    // takes it unless a branch decided first.
    if (implicit_else && !c.label_decided) set_label_state(c, entry_locals(c), c.locals_regs);
    bool edge_moves = implicit_else && !(c.locals_regs == c.label_regs &&
                                         std::equal(entry_locals(c).begin(), entry_locals(c).end(),
                                                    label_locals(c).begin(), label_locals(c).end()));
    if (reachable_) {
      merge_to(c);
      if (edge_moves) masm_.jump(label_of(c));
    }
    if (implicit_else) {
      masm_.bind(c.else_label);
      if (edge_moves) {
        // The false edge: from the entry state to the label's.
        truncate(c.height);
        restore_locals(entry_locals(c));
        for (ValType t : c.params) push(Slot::on_stack(t));
        move_locals_to(c);
      }
    }
    if (c.label_used) masm_.bind(c.label);
    truncate(c.height);
    restore_locals(label_locals(c));
    for (ValType t : c.results) push(Slot::on_stack(t));
    reachable_ = true;
  }
  // Otherwise only the fallthrough reaches the end (or nothing does).
  ctrl_.pop_back();
  merge_pool_.resize(c.locals_begin);
}

template <MacroAssembler Masm>
bool FuncCompiler<Masm>::merge_is_noop(const Control& c) const {
  if (c.kind == Opcode::kCall) return c.results.empty();
  if (!locals_match(c)) return false;
  size_t a = c.label_types().size();
  size_t first = stack_.size() - a;
  for (size_t i = 0; i < a; ++i) {
    const Slot& s = stack_[first + i];
    if (s.kind != Slot::Kind::kStack || first + i != c.height + i) return false;
  }
  return true;
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::merge_to(Control& c) {
  decide_label(c);
  // kCall's label types are its results (the return area).
  size_t a = (c.kind == Opcode::kCall ? c.results : c.label_types()).size();
  size_t first = stack_.size() - a;
  // The return area overlaps the parameters' slots: a result read from a
  // parameter still in memory is first parked in its operand's own home
  // slot, so writing an earlier result cannot clobber it.
  uint32_t num_params = static_cast<uint32_t>(type_.params.size());
  auto parked = [&](const Slot& s) {
    return c.kind == Opcode::kCall && s.is_local() && s.local_index() < num_params &&
           !local_loc_[s.local_index()].in_reg;
  };
  for (size_t i = 0; i < a; ++i) {
    const Slot& s = stack_[first + i];
    if (parked(s)) masm_.copy_frame(home(static_cast<uint32_t>(first + i)), local_offset(s.local_index()), s.type);
  }
  // The function's results: the first integer and float ones go to the
  // result registers (wasm_abi.h), after every memory result is written.
  int32_t gp_result = -1, fp_result = -1;
  if (c.kind == Opcode::kCall) WasmAbi<Masm>::register_results(type_.results, gp_result, fp_result);
  auto in_result_reg = [&](size_t i) { return WasmAbi<Masm>::result(i, gp_result, fp_result).in_reg; };
  // A block's values land in the homes positions c.height + i will have:
  // laid out by type from the operand below the block (which is unchanged),
  // as push() lays them out. Sources sit at or below their targets, so
  // writing in order never clobbers a value still to be read.
  int32_t target = c.height == 0 ? locals_bottom_ : home(c.height - 1);
  int32_t result_at = Masm::kFirstParamOffset;  // kCall: the return area, positional (slot_units)
  for (size_t i = 0; i < a; ++i) {
    size_t src_index = first + i;
    Slot& s = stack_[src_index];
    int32_t result_slot = result_at;
    if (c.kind != Opcode::kCall) {
      int32_t size = slot_size(s.type);
      target = (target - size) & ~(size - 1);
      if (target < lowest_offset_) lowest_offset_ = target;
    } else {
      result_at += 8 * static_cast<int32_t>(slot_units(s.type));
    }
    if (c.kind == Opcode::kCall && in_result_reg(i)) continue;
    int32_t dst = c.kind == Opcode::kCall ? result_slot : target;
    switch (s.kind) {
      case Slot::Kind::kStack:
        if (c.kind != Opcode::kCall && src_index == c.height + i) break;
        masm_.copy_frame(dst, home(static_cast<uint32_t>(src_index)), s.type);
        break;
      case Slot::Kind::kReg:
        masm_.store_frame(dst, s.reg, s.type);
        break;
      case Slot::Kind::kConst:
        masm_.store_frame_const(dst, s.type, s.bits);
        break;
      case Slot::Kind::kCond: {
        Reg r = slot_to_reg(src_index);
        masm_.store_frame(dst, r, s.type);
        break;
      }
      case Slot::Kind::kLocal: {
        const LocalLoc& l = local_loc_[s.local_index()];
        if (l.in_reg) masm_.store_frame(dst, l.reg, s.type);
        else if (parked(s)) masm_.copy_frame(dst, home(static_cast<uint32_t>(src_index)), s.type);
        else masm_.copy_frame(dst, local_offset(s.local_index()), s.type);
        break;
      }
    }
  }
  if (c.kind == Opcode::kCall) {
    for (size_t i = 0; i < a; ++i) {
      if (!in_result_reg(i)) continue;
      size_t src_index = first + i;
      const Slot& s = stack_[src_index];
      Reg dst = WasmAbi<Masm>::result(i, gp_result, fp_result).reg;
      switch (s.kind) {
        case Slot::Kind::kReg: masm_.move(dst, s.reg, s.type); break;
        case Slot::Kind::kConst: masm_.load_const(dst, s.type, s.bits); break;
        case Slot::Kind::kStack: masm_.load_frame(dst, s.type, home(static_cast<uint32_t>(src_index))); break;
        case Slot::Kind::kCond: masm_.move(dst, slot_to_reg(src_index), s.type); break;
        case Slot::Kind::kLocal: {
          const LocalLoc& l = local_loc_[s.local_index()];
          if (l.in_reg) masm_.move(dst, l.reg, s.type);
          else if (parked(s)) masm_.load_frame(dst, s.type, home(static_cast<uint32_t>(src_index)));
          else masm_.load_frame(dst, s.type, local_offset(s.local_index()));
          break;
        }
      }
    }
  }
  if (c.kind != Opcode::kCall) move_locals_to(c);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::branch_to(Control& c) {
  merge_to(c);
  if (c.kind == Opcode::kCall) {
    masm_.epilogue_return();  // a return: the epilogue in place of a jump to it
  } else {
    masm_.jump(label_of(c));
  }
  set_unreachable();
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::do_br_if(Control& c) {
  if (top().is_const()) {
    uint64_t v = pop().bits;
    if (static_cast<uint32_t>(v) != 0) {
      // Always taken: like br, but validation continues with the fallthrough types.
      merge_to(c);
      masm_.jump(label_of(c));
    }
    return;
  }
  Cond cond = pop_condition();
  decide_label(c);
  if (merge_is_noop(c) && c.kind != Opcode::kCall) {
    masm_.branch(cond, label_of(c));
    return;
  }
  if (c.kind == Opcode::kLoop && c.params.empty() && stack_.size() == c.height) {
    // A back edge that only moves locals, with no operand live above the
    // loop's base: move them on both paths (moves, loads and stores leave
    // the flags alone), so the fallthrough continues in the header's state
    // and the branch goes straight back (no jump around the moves).
    move_locals_to(c);
    restore_locals(label_locals(c));
    masm_.branch(cond, label_of(c));
    return;
  }
  Label skip = masm_.new_label();
  masm_.branch(negate(cond), skip);
  merge_to(c);
  masm_.jump(label_of(c));
  masm_.bind(skip);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::do_br_table(const Instr& in, std::span<const uint32_t> targets) {
  if (top().is_const()) {
    uint32_t idx = static_cast<uint32_t>(pop().bits);
    branch_to(label_at(idx < targets.size() ? targets[idx] : in.index));
    return;
  }
  Slot is = pop();
  bool idx_owned;
  Reg idx = use_reg(is, &idx_owned);
  // One stub per distinct target depth that needs moves; direct jumps
  // otherwise. Each depth is decided once (`seen`: per depth, the index of
  // its label in `uniq` plus one, 0 = not seen yet; cleared after).
  std::vector<Label>& labels = scratch_.table_labels;
  std::vector<uint32_t>& seen = scratch_.table_target;
  std::vector<uint32_t>& stubs = scratch_.table_stubs;  // depths needing a stub, in first-use order
  labels.clear();
  stubs.clear();
  if (seen.size() < ctrl_.size()) seen.resize(ctrl_.size(), 0);
  std::vector<Label>& uniq = scratch_.table_uniq;  // per distinct depth, its label
  uniq.clear();
  for (uint32_t depth : targets) {
    if (seen[depth] == 0) {
      Control& c = label_at(depth);
      decide_label(c);
      if (merge_is_noop(c) && c.kind != Opcode::kCall) {
        uniq.push_back(label_of(c));
      } else {
        uniq.push_back(masm_.new_label());
        stubs.push_back(depth);
      }
      seen[depth] = static_cast<uint32_t>(uniq.size());
    }
    labels.push_back(uniq[seen[depth] - 1]);
  }
  masm_.jump_table(idx, labels);
  release(idx, idx_owned);
  Control& def = label_at(in.index);
  merge_to(def);
  masm_.jump(label_of(def));
  // Stubs in increasing depth: a layout that does not depend on the order
  // of the table's entries.
  std::sort(stubs.begin(), stubs.end());
  for (uint32_t depth : stubs) {
    masm_.bind(uniq[seen[depth] - 1]);
    Control& c = label_at(depth);
    merge_to(c);
    masm_.jump(label_of(c));
  }
  for (uint32_t depth : targets) seen[depth] = 0;
  set_unreachable();
}

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CODEGEN_EMIT_CONTROL_INL_H_
