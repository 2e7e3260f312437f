// FuncCompiler: the driver loop, the value stack and register allocation.
#ifndef BRISK_COMPILER_CODEGEN_FUNC_COMPILER_INL_H_
#define BRISK_COMPILER_CODEGEN_FUNC_COMPILER_INL_H_

namespace brisk::compiler {

template <MacroAssembler Masm>
Status FuncCompiler<Masm>::compile(Reader& r) {
  BRISK_TRY(validator_.decode_locals(r));
  locals_ = validator_.locals();
  num_declared_locals_ = static_cast<uint32_t>(locals_.size() - type_.params.size());
  // Slots sized and aligned by type (Liftoff's SlotSizeForType): parameters
  // keep the caller's 8-byte positional slots, declared locals are packed
  // downwards from just below the saved VMContext, operand homes below them.
  local_offsets_.resize(locals_.size());
  int32_t cur = Masm::kFirstLocalOffset + 8;  // the top of the locals region
  int32_t param_at = Masm::kFirstParamOffset;
  for (uint32_t i = 0; i < locals_.size(); ++i) {
    if (i < type_.params.size()) {
      local_offsets_[i] = param_at;
      param_at += 8 * static_cast<int32_t>(slot_units(locals_[i]));
      continue;
    }
    int32_t size = slot_size(locals_[i]);
    cur = (cur - size) & ~(size - 1);
    local_offsets_[i] = cur;
  }
  locals_bottom_ = cur;
  lowest_offset_ = cur;
  local_loc_.assign(locals_.size(), LocalLoc{});
  local_refs_.assign(locals_.size(), 0);
  merge_dst_.assign(locals_.size(), -1);
  for (auto& row : reg_local_) {
    for (int32_t& v : row) v = -1;
  }
  reader_ = &r;

  masm_.prologue(trap_label(runtime::TrapCode::kStackOverflow));
  // Function entries check too, so that recursion without loops stops.
  if (env_.interruptible) masm_.check_interrupt(epoch_stub());
  // Register parameters stay where they arrived, as register-resident
  // locals; their caller-reserved slots are their homes when spilled.
  uint32_t gp = 0, fp = 0;
  for (uint32_t i = 0; i < type_.params.size(); ++i) {
    AbiLoc loc = WasmAbi<Masm>::next_param(type_.params[i], gp, fp);
    if (loc.in_reg) bind_local(i, loc.reg);
  }
  // The first few declared locals start as zeroed registers (Liftoff's way):
  // a path that returns early stores nothing, and a local is written to its
  // slot only if it is spilled. The rest are zeroed in the frame.
  uint32_t in_frame = 0;
  for (uint32_t i = static_cast<uint32_t>(type_.params.size()); i < locals_.size(); ++i) {
    if (i - type_.params.size() >= kZeroRegLocals) {
      in_frame = static_cast<uint32_t>(locals_.size()) - i;
      break;
    }
    RegClass cls = class_of(locals_[i]);
    uint32_t avail = cls == RegClass::kGp ? Masm::kAllocatable.gp & ~used_.gp : Masm::kAllocatable.fp & ~used_.fp;
    if (!bits_more_than(avail, kKeepFreeAtEntry)) {
      ++in_frame;
      continue;
    }
    Reg reg = alloc(cls);
    masm_.load_const(reg, locals_[i], 0);
    used_.remove(reg);  // bind_local takes ownership
    bind_local(i, reg);
  }
  if (in_frame > 0) {
    // Whole 8-byte words from the lowest local up to the saved VMContext.
    int32_t bottom = locals_bottom_ & ~7;
    masm_.zero_frame(bottom, static_cast<uint32_t>((Masm::kFirstLocalOffset + 8 - bottom) / 8));
  }

  Control fn{};
  fn.kind = Opcode::kCall;
  fn.height = 0;
  fn.results.data = type_.results.data();
  fn.results.n = static_cast<uint32_t>(type_.results.size());
  fn.label = masm_.new_label();
  fn.label_used = true;
  fn.start_reachable = true;
  ctrl_.push_back(fn);

  struct Visitor {
    FuncCompiler* fc;
    // walk_body emits these itself (its fast lane); the rest through visit().
    void local_get(uint32_t i) {
      if (fc->reachable_) fc->emit_local_get(i);
    }
    void constant(ValType t, int64_t v) {  // i32.const, i64.const (the bits as emit_const keeps them)
      if (fc->reachable_) fc->push(Slot::constant(t, t == ValType::kI32 ? static_cast<uint32_t>(v) : static_cast<uint64_t>(v)));
    }
    void global_get(uint32_t i) {
      if (fc->reachable_) fc->materialize_top_cond(), fc->emit_global_get(i);
    }
    void local_set(uint32_t i) {
      if (fc->reachable_) fc->materialize_top_cond(), fc->emit_local_set(i);
    }
    void local_tee(uint32_t i) {
      if (fc->reachable_) fc->materialize_top_cond(), fc->emit_local_tee(i);
    }
    Status plain(const Instr& in) {  // an operator of kPlainFixed, or a load or store
      if (!fc->reachable_) return Status::ok();
      if (!consumes_cond(in.op)) fc->materialize_top_cond();
      if (!fc->emit_from_table(in)) [[unlikely]] return fc->visit(in, {});  // (it says why not)
      if (fc->bailout_) [[unlikely]] return fc->bailout_status(in.offset);
      return Status::ok();
    }
    Status operator()(const Instr& in, std::span<const uint32_t> targets) {
      BRISK_TRY(fc->visit(in, targets));
      if (fc->bailout_) [[unlikely]] return fc->bailout_status(in.offset);
      return Status::ok();
    }
  };
  BRISK_TRY(walk_body(m_, r, validator_, Visitor{this}));
  // The fast lane's operators do not look (the final `end` always goes the
  // general way, which does): a bailout among them is not lost either way.
  if (bailout_) [[unlikely]] return bailout_status(r.offset());

  // Out-of-line trap stubs.
  for (uint32_t code = 0; code < kNumTrapCodes; ++code) {
    if (!trap_labels_[code].used) continue;
    masm_.bind(trap_labels_[code].label);
    masm_.trap(static_cast<runtime::TrapCode>(code));
  }
  if (result_trap_.used) {
    masm_.bind(result_trap_.label);
    masm_.trap_with_code_in_result();
  }
  if (epoch_stub_.used) masm_.emit_epoch_stub(epoch_stub_.label);
  masm_.emit_constants();
  uint32_t frame = static_cast<uint32_t>(-lowest_offset_) + 8 * max_out_;
  masm_.patch_frame_size((frame + 15) & ~15u);
  return Status::ok();
}

template <MacroAssembler Masm>
int32_t FuncCompiler<Masm>::local_offset(uint32_t i) const {
  return local_offsets_[i];
}

// Hot: called for nearly every operator. Inlined so the slot is built in
// place (a by-reference copy of a freshly built Slot stalls store forwarding).
template <MacroAssembler Masm>
inline __attribute__((always_inline)) void FuncCompiler<Masm>::push(const Slot& s) {
  if (!stack_.empty() && stack_.back().kind == Slot::Kind::kCond) [[unlikely]] materialize_top_cond();
  // The home slot is assigned here, below the one of the operand beneath.
  size_t depth = stack_.size();
  int32_t above = depth == 0 ? locals_bottom_ : homes_[depth - 1];
  int32_t size = slot_size(s.type);
  int32_t home = (above - size) & ~(size - 1);
  if (homes_.size() <= depth) homes_.resize(depth + 1);
  homes_[depth] = home;
  if (home < lowest_offset_) lowest_offset_ = home;
  stack_.push_back(s);
  if (s.is_reg()) used_.add(s.reg);
  if (s.is_local()) ++local_refs_[s.local_index()];
}

template <MacroAssembler Masm>
inline __attribute__((always_inline)) Slot FuncCompiler<Masm>::pop() {
  Slot s = stack_.back();
  stack_.pop_back();
  s.depth = static_cast<uint32_t>(stack_.size());
  forget(s);  // a kLocal is read right away by the caller, before any local changes
  return s;   // a register stays marked used until the caller frees it
}

template <MacroAssembler Masm>
inline __attribute__((always_inline)) Reg FuncCompiler<Masm>::alloc(RegClass cls, RegSet pinned) {
  uint32_t avail = (cls == RegClass::kGp ? Masm::kAllocatable.gp : Masm::kAllocatable.fp) &
                   ~(cls == RegClass::kGp ? used_.gp | pinned.gp : used_.fp | pinned.fp);
  if (avail) [[likely]] {
    Reg r{static_cast<uint8_t>(__builtin_ctz(avail)), cls};
    used_.add(r);
    return r;
  }
  return alloc_slow(cls, pinned);
}

template <MacroAssembler Masm>
Reg FuncCompiler<Masm>::alloc_slow(RegClass cls, RegSet pinned) {
  // Under pressure, in order: a local that no operand refers to goes back
  // to its frame slot (an operand is read soon: spilling one costs a store
  // and a load right away; such a local may not be read again for a while);
  // else the deepest operand register of this class is spilled; else any
  // local. Of several locals, evict_choice picks.
  int c = cls == RegClass::kFp;
  uint32_t candidates = (c ? local_regs_.fp & ~pinned.fp : local_regs_.gp & ~pinned.gp);
  auto pick_local = [&](bool only_free) {
    int codes[32];
    uint32_t n = 0;
    for (uint32_t bits = candidates; bits; bits &= bits - 1) {
      int code = __builtin_ctz(bits);
      if (only_free && local_refs_[static_cast<uint32_t>(reg_local_[c][code])] != 0) continue;
      codes[n++] = code;
    }
    return n == 0 ? -1 : n == 1 ? codes[0] : evict_choice(c, codes, n);
  };
  auto take_local = [&](int code) {
    Reg r{static_cast<uint8_t>(code), cls};
    // Always stored (forget_dead is for calls only): an operand popped just
    // before may still read this local from its slot (pop() has already
    // dropped its reference), and that read would see an older value.
    spill_local(static_cast<uint32_t>(reg_local_[c][r.code]));
    used_.add(r);
    return r;
  };
  if (int free = pick_local(true); free >= 0) return take_local(free);
  for (size_t i = 0; i < stack_.size(); ++i) {
    const Slot& s = stack_[i];
    if (s.is_reg() && s.reg.cls == cls && !pinned.has(s.reg)) {
      Reg r = s.reg;
      spill(i);
      used_.add(r);
      return r;
    }
  }
  if (int any = pick_local(false); any >= 0) return take_local(any);
  // Every register is pinned by the operation at hand: a compiler limit, never
  // a reason to hand out a register that holds a live value. The sticky
  // bailout fails the function (Liftoff's DidAssemblerBailout); emission goes
  // on with a register that is never published.
  bail_out("no register left to allocate");
  uint32_t any = cls == RegClass::kGp ? Masm::kAllocatable.gp : Masm::kAllocatable.fp;
  return Reg{static_cast<uint8_t>(__builtin_ctz(any)), cls};
}

template <MacroAssembler Masm>
int FuncCompiler<Masm>::evict_choice(int c, const int* codes, uint32_t n) {
  // Belady's choice inside a loop, as far as straight-line code and the
  // loop's next iteration show: the local read furthest ahead (or
  // overwritten before it is read) gives its register up. Code in loops is
  // what runs many times, and the loop pre-scan has already read it.
  size_t loop_body = ctrl_.back().loop_body;
  uint32_t locals[32], dist[32];
  for (uint32_t k = 0; k < n; ++k) {
    locals[k] = static_cast<uint32_t>(reg_local_[c][codes[k]]);
    // Outside loops the scan has not seen the code: all alike (clean, then recency).
    dist[k] = loop_body ? loop_scan_.next_use(locals[k], reader_->offset(), loop_body) : 0;
  }
  uint32_t best = 0;
  for (uint32_t k = 1; k < n; ++k) {
    if (dist[k] != dist[best]) {
      if (dist[k] > dist[best]) best = k;
      continue;
    }
    bool dirty_k = local_loc_[locals[k]].dirty, dirty_b = local_loc_[locals[best]].dirty;
    if (dirty_k != dirty_b) {
      if (!dirty_k) best = k;
      continue;
    }
    if (reg_stamp_[c][codes[k]] < reg_stamp_[c][codes[best]]) best = k;
  }
  return codes[best];
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::bail_out(const char* why) {
  if (!bailout_) bailout_ = why;
}

template <MacroAssembler Masm>
Status FuncCompiler<Masm>::bailout_status(size_t offset) const {
  return Status(ErrorKind::kUnsupported,
                "code generation bailed out in " + m_.func_display_name(func_index_) + ": " + bailout_, offset);
}

template <MacroAssembler Masm>
Reg FuncCompiler<Masm>::to_reg(const Slot& s, RegSet pinned) {
  switch (s.kind) {
    case Slot::Kind::kReg:
      return s.reg;
    case Slot::Kind::kConst: {
      Reg r = alloc(class_of(s.type), pinned);
      masm_.load_const(r, s.type, s.bits);
      return r;
    }
    case Slot::Kind::kStack: {
      Reg r = alloc(class_of(s.type), pinned);
      masm_.load_frame(r, s.type, home(s.depth));
      return r;
    }
    case Slot::Kind::kCond: {
      Reg r = alloc(RegClass::kGp, pinned);
      masm_.set_cond(s.cond, r);
      return r;
    }
    case Slot::Kind::kLocal: {
      const LocalLoc& l = local_loc_[s.local_index()];
      if (l.in_reg) {
        RegSet pin = pinned;
        pin.add(l.reg);
        Reg src = l.reg;
        touch(src);
        Reg r = alloc(class_of(s.type), pin);
        masm_.move(r, src, s.type);
        return r;
      }
      Reg r = alloc(class_of(s.type), pinned);
      masm_.load_frame(r, s.type, local_offset(s.local_index()));
      return r;
    }
  }
  return Reg{};
}

template <MacroAssembler Masm>
inline __attribute__((always_inline)) Reg FuncCompiler<Masm>::use_reg(const Slot& s, bool* owned, RegSet pinned) {
  if (s.is_local()) {
    uint32_t i = s.local_index();
    if (local_loc_[i].in_reg) {
      *owned = false;
      touch(local_loc_[i].reg);
      return local_loc_[i].reg;
    }
    // A read of a local in its slot: load it into a register it keeps (the
    // next read is free, and the slot stays valid: spilling it stores
    // nothing), while registers are plentiful.
    // Not a register an operation clobbers after evacuating it (x64:
    // rax/rdx for division, rcx for shifts): the caller may be such an
    // operation, past its evacuation.
    RegClass cls = class_of(s.type);
    RegSet avoid = pinned;
    avoid.gp |= Masm::div_clobbers().gp | Masm::shift_clobbers().gp;
    avoid.fp |= Masm::div_clobbers().fp | Masm::shift_clobbers().fp;
    uint32_t avail = (cls == RegClass::kGp ? Masm::kAllocatable.gp & ~(used_.gp | avoid.gp)
                                           : Masm::kAllocatable.fp & ~(used_.fp | avoid.fp));
    if (bits_more_than(avail, kKeepFreeOnRead)) {
      Reg r = alloc(cls, avoid);
      masm_.load_frame(r, s.type, local_offset(i));
      used_.remove(r);  // bind_local takes ownership
      bind_local(i, r, /*dirty=*/false);
      *owned = false;
      return r;
    }
  }
  *owned = true;
  return to_reg(s, pinned);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::detach_local_refs(uint32_t i) {
  if (local_refs_[i] == 0) return;
  for (size_t k = 0; k < stack_.size() && local_refs_[i] > 0; ++k) {
    if (stack_[k].is_local() && stack_[k].local_index() == i) slot_to_reg(k);
  }
}

template <MacroAssembler Masm>
Reg FuncCompiler<Masm>::slot_to_reg(size_t index, RegSet pinned) {
  Slot& s = stack_[index];
  if (s.is_reg()) return s.reg;
  Reg r;
  if (s.kind == Slot::Kind::kStack) {
    r = alloc(class_of(s.type), pinned);
    masm_.load_frame(r, s.type, home(static_cast<uint32_t>(index)));
  } else if (s.kind == Slot::Kind::kConst) {
    r = alloc(class_of(s.type), pinned);
    masm_.load_const(r, s.type, s.bits);
  } else if (s.kind == Slot::Kind::kLocal) {
    Slot copy = s;
    r = to_reg(copy, pinned);  // may spill other slots, never this one
    forget(stack_[index]);
  } else {
    r = alloc(RegClass::kGp, pinned);
    masm_.set_cond(s.cond, r);
  }
  stack_[index] = Slot::in_reg(stack_[index].type, r);
  return r;
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::spill(size_t index) {
  Slot& s = stack_[index];
  if (s.kind == Slot::Kind::kCond) slot_to_reg(index);
  if (s.is_local()) {
    uint32_t i = s.local_index();
    const LocalLoc& l = local_loc_[i];
    if (l.in_reg) masm_.store_frame(home(static_cast<uint32_t>(index)), l.reg, s.type);
    else masm_.copy_frame(home(static_cast<uint32_t>(index)), local_offset(i), s.type);
    forget(s);
    s = Slot::on_stack(s.type);
    return;
  }
  if (s.is_reg()) {
    masm_.store_frame(home(static_cast<uint32_t>(index)), s.reg, s.type);
    free_reg(s.reg);
    s = Slot::on_stack(s.type);
  }
}

// Calls f(Reg, local index) for every register that holds a local.
template <class F>
inline void for_each_local_reg(const RegSet& regs, const int32_t (&owner)[2][32], F&& f) {
  for (int c = 0; c < 2; ++c) {
    uint32_t bits = c ? regs.fp : regs.gp;
    while (bits) {
      uint8_t code = static_cast<uint8_t>(__builtin_ctz(bits));
      bits &= bits - 1;
      f(Reg{code, c ? RegClass::kFp : RegClass::kGp}, static_cast<uint32_t>(owner[c][code]));
    }
  }
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::spill_operands() {
  for (size_t i = 0; i < stack_.size(); ++i) spill(i);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::spill_all() {
  spill_operands();
  RegSet regs = local_regs_;
  uint32_t dirty[32], n = 0;
  for_each_local_reg(regs, reg_local_, [&](Reg, uint32_t i) {
    if (local_loc_[i].dirty && n < 32) dirty[n++] = i;
  });
  forget_dead(dirty, n);
  for_each_local_reg(regs, reg_local_, [&](Reg, uint32_t i) { spill_local(i); });
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::forget_dead(const uint32_t* locals, uint32_t n) {
  if (n == 0 || reader_ == nullptr) return;
  uint32_t dead = loop_scan_.overwritten_first(reader_->offset(), locals, n);
  for (; dead; dead &= dead - 1) {
    uint32_t i = locals[__builtin_ctz(dead)];
    if (local_refs_[i] == 0) local_loc_[i].dirty = false;  // its slot keeps an older value that nothing reads
  }
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::evacuate(RegSet regs) {
  for (size_t i = 0; i < stack_.size(); ++i) {
    if (stack_[i].is_reg() && regs.has(stack_[i].reg)) spill(i);
  }
  RegSet hit{local_regs_.gp & regs.gp, local_regs_.fp & regs.fp};
  for_each_local_reg(hit, reg_local_, [&](Reg, uint32_t i) { spill_local(i); });
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::spill_local(uint32_t i) {
  LocalLoc& l = local_loc_[i];
  if (!l.in_reg) return;
  if (l.dirty) masm_.store_frame(local_offset(i), l.reg, locals_[i]);  // else the slot has it
  free_reg(l.reg);
  local_regs_.remove(l.reg);
  reg_local_[l.reg.is_fp()][l.reg.code] = -1;
  l.in_reg = false;
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::bind_local(uint32_t i, Reg r, bool dirty) {
  LocalLoc& l = local_loc_[i];
  l.dirty = dirty;
  if (l.in_reg) {
    if (l.reg == r) return;
    free_reg(l.reg);
    local_regs_.remove(l.reg);
    reg_local_[l.reg.is_fp()][l.reg.code] = -1;
  }
  l.in_reg = true;
  l.reg = r;
  used_.add(r);
  local_regs_.add(r);
  reg_local_[r.is_fp()][r.code] = static_cast<int32_t>(i);
  touch(r);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::snapshot_locals(Control& c) {
  c.locals_begin = static_cast<uint32_t>(merge_pool_.size());
  for_each_local_reg(local_regs_, reg_local_, [&](Reg r, uint32_t i) { merge_pool_.emplace_back(i, r); });
  c.locals_n = static_cast<uint32_t>(merge_pool_.size()) - c.locals_begin;
  c.locals_regs = local_regs_;
}

template <MacroAssembler Masm>
typename FuncCompiler<Masm>::RegLocal* FuncCompiler<Masm>::label_slot(const Control& c) {
  size_t need = (size_t{c.depth} + 1) * kMaxLocalRegs;
  if (label_pool_.size() < need) label_pool_.resize(need);
  return label_pool_.data() + size_t{c.depth} * kMaxLocalRegs;
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::set_label_state(Control& c, RegLocals locals, RegSet regs) {
  RegLocal* out = label_slot(c);
  for (size_t k = 0; k < locals.size(); ++k) out[k] = locals[k];
  c.label_n = static_cast<uint32_t>(locals.size());
  c.label_regs = regs;
  c.label_decided = true;
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::decide_label(Control& c) {
  if (c.label_decided || c.kind == Opcode::kLoop || c.kind == Opcode::kCall) return;
  RegLocal* out = label_slot(c);
  uint32_t n = 0;
  for_each_local_reg(local_regs_, reg_local_, [&](Reg r, uint32_t i) { out[n++] = {i, r}; });
  c.label_n = n;
  c.label_regs = local_regs_;
  c.label_decided = true;
}

template <MacroAssembler Masm>
bool FuncCompiler<Masm>::locals_match(const Control& c) const {
  if (!(local_regs_ == label_regs(c))) return false;
  for (const auto& [i, r] : label_locals(c)) {
    if (reg_local_[r.is_fp()][r.code] != static_cast<int32_t>(i)) return false;
  }
  return true;
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::move_locals_to(const Control& c) {
  if (locals_match(c)) return;  // the common case: nothing moves
  RegLocals target = label_locals(c);
  for (const auto& [i, r] : target) merge_dst_[i] = static_cast<int8_t>(r.code | (r.is_fp() ? 0x20 : 0));
  // 1. Locals in registers that the target keeps in memory: store them.
  struct Move { Reg dst; Reg src; ValType type; };
  FixedVec<Move, 64> moves;                    // one per register holding a local
  struct Load { uint32_t local; Reg reg; };
  FixedVec<Load, 64> loads;                    // one per register of the target
  for_each_local_reg(local_regs_, reg_local_, [&](Reg cur, uint32_t i) {
    int8_t d = merge_dst_[i];
    if (d < 0) {
      if (local_loc_[i].dirty) masm_.store_frame(local_offset(i), cur, locals_[i]);
      return;
    }
    Reg dst{static_cast<uint8_t>(d & 0x1f), (d & 0x20) ? RegClass::kFp : RegClass::kGp};
    if (dst != cur) moves.push_back({dst, cur, locals_[i]});
  });
  for (const auto& [i, r] : target) {
    if (!local_loc_[i].in_reg) loads.push_back({i, r});
    merge_dst_[i] = -1;
  }
  // 2. Register-to-register moves as a parallel move (cycles via scratch).
  while (!moves.empty()) {
    bool progress = false;
    for (size_t k = 0; k < moves.size(); ++k) {
      bool blocked = false;
      for (size_t j = 0; j < moves.size(); ++j) {
        if (j != k && moves[j].src == moves[k].dst) { blocked = true; break; }
      }
      if (!blocked) {
        masm_.move(moves[k].dst, moves[k].src, moves[k].type);
        moves.erase_at(k);
        progress = true;
        break;
      }
    }
    if (!progress) {
      // A cycle: park one source in the scratch register.
      Move& m = moves.front();
      Reg scratch = m.src.is_fp() ? Masm::kScratchFp : Masm::kScratchGp;
      masm_.move(scratch, m.src, m.type);
      for (Move& other : moves) {
        if (other.src == m.src) other.src = scratch;
      }
    }
  }
  // 3. Locals the target has in registers but we have in memory.
  for (const Load& l : loads) masm_.load_frame(l.reg, locals_[l.local], local_offset(l.local));
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::restore_locals(const RegLocals& target) {
  for_each_local_reg(local_regs_, reg_local_, [&](Reg r, uint32_t i) {
    local_loc_[i].in_reg = false;
    reg_local_[r.is_fp()][r.code] = -1;
    free_reg(r);
  });
  local_regs_ = RegSet{};
  for (const auto& [i, r] : target) bind_local(i, r);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::cache_loop_locals(const Reader& body) {
  // The loop's summary from the function's pre-scan (as V8's loop
  // assignment analysis, but one pass for all loops: linear in the body).
  const LoopScan::Loop* loop = loop_scan_.find(body.offset());
  if (loop == nullptr) {  // an outermost loop: summarise it and the loops inside it
    loop_scan_.scan_loop(body, static_cast<uint32_t>(locals_.size()), m_.data_count.has_value());
    loop = loop_scan_.find(body.offset());
  }
  if (loop != nullptr && loop->calls) {
    // Every register dies at a call: a local the loop does not use would be
    // stored at the call and loaded again at the back edge, every iteration.
    // It goes to its slot once, here.
    auto uses = loop_scan_.uses(*loop);
    RegSet regs = local_regs_;
    for_each_local_reg(regs, reg_local_, [&](Reg, uint32_t i) {
      bool used = std::any_of(uses.begin(), uses.end(), [i](const LoopScan::Use& u) { return u.local == i; });
      if (!used) spill_local(i);
    });
    return;
  }
  if (loop == nullptr) return;
  struct Hot { uint32_t uses, local; };
  FixedVec<Hot, LoopScan::kMaxUses> hot;
  for (const LoopScan::Use& u : loop_scan_.uses(*loop)) {
    uint32_t i = u.local;
    if (!local_loc_[i].in_reg && u.count >= 2) hot.push_back({u.count, i});
  }
  std::sort(hot.begin(), hot.end(), [](Hot a, Hot b) { return a.uses > b.uses || (a.uses == b.uses && a.local < b.local); });
  constexpr int kKeepFree = 4;  // leave room for the loop's own temporaries
  for (const Hot& h : hot) {
    uint32_t i = h.local;
    RegClass cls = class_of(locals_[i]);
    uint32_t avail = (cls == RegClass::kGp ? Masm::kAllocatable.gp & ~used_.gp : Masm::kAllocatable.fp & ~used_.fp);
    if (!bits_more_than(avail, kKeepFree)) continue;
    Reg reg = alloc(cls);
    masm_.load_frame(reg, locals_[i], local_offset(i));
    used_.remove(reg);  // bind_local takes ownership
    bind_local(i, reg, /*dirty=*/false);
  }
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::materialize_top_cond() {
  if (!stack_.empty() && stack_.back().kind == Slot::Kind::kCond) slot_to_reg(stack_.size() - 1);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::truncate(size_t size) {
  while (stack_.size() > size) {
    free_slot(stack_.back());
    forget(stack_.back());
    stack_.pop_back();
  }
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::set_unreachable() {
  truncate(ctrl_.back().height);
  reachable_ = false;
}

template <MacroAssembler Masm>
typename Masm::Label FuncCompiler<Masm>::epoch_stub() {
  return epoch_stub_.get(masm_);
}

template <MacroAssembler Masm>
typename Masm::Label FuncCompiler<Masm>::trap_label(runtime::TrapCode code) {
  return trap_labels_[static_cast<uint32_t>(code)].get(masm_);
}

template <MacroAssembler Masm>
typename Masm::Label FuncCompiler<Masm>::result_trap_label() {
  return result_trap_.get(masm_);
}

template <MacroAssembler Masm>
Status FuncCompiler<Masm>::visit(const Instr& in, std::span<const uint32_t> targets) {
  // Without the backend's SIMD floor a SIMD operator is refused, in dead
  // code too: whether a module compiles must not depend on reachability.
  if (is_simd(in.op) && !masm_.has_simd()) [[unlikely]] {
    return Status(ErrorKind::kUnsupported, Masm::kSimdUnavailable, in.offset);
  }
  if (!reachable_) {
    switch (in.op) {
      case Opcode::kBlock:
      case Opcode::kLoop:
      case Opcode::kIf: {
        Control c{};
        c.kind = in.op;
        c.height = static_cast<uint32_t>(stack_.size());
        c.start_reachable = false;
        c.locals_begin = static_cast<uint32_t>(merge_pool_.size());
        ctrl_.push_back(c);
        return Status::ok();
      }
      case Opcode::kElse:
        do_else();
        return Status::ok();
      case Opcode::kEnd:
        do_end();
        return Status::ok();
      default:
        return Status::ok();
    }
  }
  if (!consumes_cond(in.op)) materialize_top_cond();
  switch (in.op) {
    case Opcode::kUnreachable:
      masm_.jump(trap_label(runtime::TrapCode::kUnreachable));
      set_unreachable();
      return Status::ok();
    case Opcode::kNop:
      return Status::ok();
    case Opcode::kBlock:
    case Opcode::kLoop:
    case Opcode::kIf:
      enter_block(in);
      return Status::ok();
    case Opcode::kElse:
      do_else();
      return Status::ok();
    case Opcode::kEnd:
      do_end();
      return Status::ok();
    case Opcode::kBr:
      branch_to(label_at(in.index));
      return Status::ok();
    case Opcode::kBrIf:
      do_br_if(label_at(in.index));
      return Status::ok();
    case Opcode::kBrTable:
      do_br_table(in, targets);
      return Status::ok();
    case Opcode::kReturn:
      branch_to(ctrl_.front());
      return Status::ok();
    case Opcode::kCall:
      emit_call(in.index);
      return Status::ok();
    case Opcode::kCallIndirect:
      emit_call_indirect(in);
      return Status::ok();
    case Opcode::kDrop:
      free_slot(pop());
      return Status::ok();
    case Opcode::kSelect:
    case Opcode::kSelectT:
      emit_select();
      return Status::ok();
    case Opcode::kLocalGet:
    case Opcode::kLocalSet:
    case Opcode::kLocalTee:
      emit_local(in);
      return Status::ok();
    case Opcode::kGlobalGet:
    case Opcode::kGlobalSet:
      emit_global(in);
      return Status::ok();
    case Opcode::kTableGet:
    case Opcode::kTableSet:
    case Opcode::kTableInit:
    case Opcode::kElemDrop:
    case Opcode::kTableCopy:
    case Opcode::kTableGrow:
    case Opcode::kTableSize:
    case Opcode::kTableFill:
      emit_table_op(in);
      return Status::ok();
    case Opcode::kMemorySize:
    case Opcode::kMemoryGrow:
    case Opcode::kMemoryInit:
    case Opcode::kDataDrop:
    case Opcode::kMemoryCopy:
    case Opcode::kMemoryFill:
      emit_memory_op(in);
      return Status::ok();
    case Opcode::kRefNull:
      push(Slot::constant(in.type, 0));
      return Status::ok();
    case Opcode::kRefIsNull: {
      Slot s = pop();
      if (s.is_const()) {
        push(Slot::constant(ValType::kI32, s.bits == 0));
        return Status::ok();
      }
      Reg r = to_reg(s);
      masm_.test_zero(Width::k64, r);
      free_reg(r);
      push(Slot::flags(Cond::kEq));
      return Status::ok();
    }
    case Opcode::kRefFunc: {
      Reg r = alloc(RegClass::kGp);
      masm_.ref_func(r, in.index);
      push_reg(ValType::kFuncRef, r);
      return Status::ok();
    }
    default:
      break;
  }
  if (is_simd(in.op)) {
    emit_simd(in);
    return Status::ok();
  }
  if (emit_from_table(in)) return Status::ok();
  return Status(ErrorKind::kUnsupported, std::string("operator not compiled: ") + opcode_name(in.op), in.offset);
}

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CODEGEN_FUNC_COMPILER_INL_H_
