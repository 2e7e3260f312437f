// Function body validation, following the algorithm in the spec's appendix
// ("Validation Algorithm"): operand stack + control stack, with unknown
// (bottom) operands once a frame is unreachable.
#include "compiler/validate/func_validator.h"

#include <string>

namespace brisk::compiler {

namespace {

std::string unknown(const char* what, uint32_t index) {
  return std::string("unknown ") + what + " " + std::to_string(index);
}

bool same(std::span<const ValType> a, std::span<const ValType> b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace

FuncValidator::FuncValidator(const Module& module, uint32_t func_index, Scratch* scratch)
    : module_(module), type_(module.func_type(func_index)),
      own_(scratch ? nullptr : std::make_unique<Scratch>()), s_(scratch ? *scratch : *own_),
      locals_(s_.locals), vals_(s_.vals), ctrls_(s_.ctrls), scratch_(s_.labels) {
  locals_.assign(type_.params.begin(), type_.params.end());
  vals_.clear();
  ctrls_.clear();
  Ctrl frame{};
  frame.op = Opcode::kCall;
  frame.results = type_.results.empty() ? nullptr : type_.results.data();
  frame.num_results = static_cast<uint32_t>(type_.results.size());
  ctrls_.push_back(frame);
}

Status FuncValidator::decode_locals(Reader& r) {
  BRISK_ASSIGN_OR_RETURN(uint32_t groups, r.u32());
  uint64_t total = locals_.size();
  for (uint32_t i = 0; i < groups; ++i) {
    size_t at = r.offset();
    BRISK_ASSIGN_OR_RETURN(uint32_t n, r.u32());
    total += n;
    if (total > kMaxLocals) return r.error_at(at, "too many locals");
    BRISK_ASSIGN_OR_RETURN(ValType t, read_val_type(r));
    locals_.insert(locals_.end(), n, t);
  }
  return Status::ok();
}

Result<ValType> FuncValidator::pop() {
  const Ctrl& c = ctrls_.back();
  if (vals_.size() == c.height) {
    if (c.unreachable) return ValType::kBottom;
    return type_mismatch();
  }
  ValType t = vals_.back();
  vals_.pop_back();
  return t;
}

Status FuncValidator::pop_expect_slow(ValType expect) {
  BRISK_ASSIGN_OR_RETURN(ValType actual, pop());
  if (actual != expect && actual != ValType::kBottom && expect != ValType::kBottom) {
    return type_mismatch();
  }
  return Status::ok();
}

Status FuncValidator::pop_all(std::span<const ValType> ts) {
  for (size_t i = ts.size(); i-- > 0;) BRISK_TRY(pop_expect(ts[i]));
  return Status::ok();
}

void FuncValidator::set_unreachable() {
  vals_.resize(ctrls_.back().height);
  ctrls_.back().unreachable = true;
}

Status FuncValidator::block_signature(const BlockType& bt, Ctrl& c) {
  c.params = nullptr;
  c.num_params = 0;
  c.results = nullptr;
  c.num_results = 0;
  c.single = ValType::kBottom;
  switch (bt.kind) {
    case BlockType::Kind::kEmpty:
      break;
    case BlockType::Kind::kValue:
      c.single = bt.type;
      c.num_results = 1;
      break;
    case BlockType::Kind::kIndex: {
      if (bt.index >= module_.types.size()) return error(unknown("type", bt.index));
      const FuncType& ft = module_.types[bt.index];
      c.params = ft.params.data();
      c.num_params = static_cast<uint32_t>(ft.params.size());
      if (!ft.results.empty()) {
        c.results = ft.results.data();
        c.num_results = static_cast<uint32_t>(ft.results.size());
      }
      break;
    }
  }
  return Status::ok();
}

Status FuncValidator::pop_ctrl(Ctrl& out) {
  out = ctrls_.back();
  BRISK_TRY(pop_all(end_types(out)));
  if (vals_.size() != out.height) return type_mismatch();
  ctrls_.pop_back();
  return Status::ok();
}

Status FuncValidator::check_memory(uint32_t mem) {
  if (mem >= module_.memories.size()) return error(unknown("memory", mem));
  return Status::ok();
}

Status FuncValidator::check_table(uint32_t table) {
  if (table >= module_.tables.size()) return error(unknown("table", table));
  return Status::ok();
}

Status FuncValidator::check_align(const MemArg& m, uint32_t natural_log2) {
  if (m.align_log2 > natural_log2) return error("alignment must not be larger than natural");
  return Status::ok();
}

Status FuncValidator::check_label(uint32_t depth, const Ctrl** out) {
  if (depth >= ctrls_.size()) return error(unknown("label", depth));
  *out = &ctrls_[ctrls_.size() - 1 - depth];
  return Status::ok();
}

Status FuncValidator::validate_rest(const Instr& in, std::span<const uint32_t> targets) {
  // validate() handled every fixed signature that validates; what is left of
  // them is an operator without one (illegal) or a bad memory operand.
  const OpcodeInfo& info = opcode_info(in.op);
  if (info.sig >= Sig::kLoad_i && info.sig <= Sig::kStore_v) {
    BRISK_TRY(check_memory(0));
    return check_align(in.mem, info.align);
  }
  if (info.sig != Sig::kSpecial) return error("illegal opcode");
  if (is_simd(in.op)) return validate_simd_special(in);
  return validate_special(in, targets);
}

Status FuncValidator::validate_special(const Instr& in, std::span<const uint32_t> targets) {
  switch (in.op) {
    case Opcode::kUnreachable:
      set_unreachable();
      return Status::ok();
    case Opcode::kNop:
      return Status::ok();
    case Opcode::kBlock:
    case Opcode::kLoop:
    case Opcode::kIf: {
      Ctrl c{};
      c.op = in.op;
      BRISK_TRY(block_signature(in.block, c));
      if (in.op == Opcode::kIf) BRISK_TRY(pop_expect(ValType::kI32));
      BRISK_TRY(pop_all(start_types(c)));
      c.height = static_cast<uint32_t>(vals_.size());
      c.unreachable = false;
      ctrls_.push_back(c);
      push_all(start_types(ctrls_.back()));
      return Status::ok();
    }
    case Opcode::kElse: {
      if (ctrls_.back().op != Opcode::kIf) {
        return Status::malformed("else without matching if", in.offset);
      }
      Ctrl c;
      BRISK_TRY(pop_ctrl(c));
      c.op = Opcode::kElse;
      c.height = static_cast<uint32_t>(vals_.size());
      c.unreachable = false;
      ctrls_.push_back(c);
      push_all(start_types(ctrls_.back()));
      return Status::ok();
    }
    case Opcode::kEnd: {
      Ctrl c;
      BRISK_TRY(pop_ctrl(c));
      if (c.op == Opcode::kIf && !same(start_types(c), end_types(c))) return type_mismatch();
      if (!ctrls_.empty()) push_all(end_types(c));
      return Status::ok();
    }
    case Opcode::kBr: {
      const Ctrl* target;
      BRISK_TRY(check_label(in.index, &target));
      BRISK_TRY(pop_all(label_types(*target)));
      set_unreachable();
      return Status::ok();
    }
    case Opcode::kBrIf: {
      const Ctrl* target;
      BRISK_TRY(check_label(in.index, &target));
      BRISK_TRY(pop_expect(ValType::kI32));
      auto types = label_types(*target);
      BRISK_TRY(pop_all(types));
      push_all(types);
      return Status::ok();
    }
    case Opcode::kBrTable: {
      BRISK_TRY(pop_expect(ValType::kI32));
      const Ctrl* def;
      BRISK_TRY(check_label(in.index, &def));
      size_t arity = label_types(*def).size();
      for (uint32_t depth : targets) {
        const Ctrl* t;
        BRISK_TRY(check_label(depth, &t));
        auto types = label_types(*t);
        if (types.size() != arity) return type_mismatch();
        // Pop then push back what was popped: keeps bottoms polymorphic.
        scratch_.clear();
        for (size_t i = types.size(); i-- > 0;) {
          BRISK_ASSIGN_OR_RETURN(ValType got, pop());
          if (got != types[i] && got != ValType::kBottom) return type_mismatch();
          scratch_.push_back(got);
        }
        for (size_t i = scratch_.size(); i-- > 0;) push(scratch_[i]);
      }
      BRISK_TRY(pop_all(label_types(*def)));
      set_unreachable();
      return Status::ok();
    }
    case Opcode::kReturn:
      BRISK_TRY(pop_all(type_.results));
      set_unreachable();
      return Status::ok();
    case Opcode::kCall: {
      if (in.index >= module_.funcs.size()) return error(unknown("function", in.index));
      const FuncType& ft = module_.func_type(in.index);
      BRISK_TRY(pop_all(ft.params));
      push_all(ft.results);
      return Status::ok();
    }
    case Opcode::kCallIndirect: {
      BRISK_TRY(check_table(in.index2));
      if (module_.tables[in.index2].elem != ValType::kFuncRef) return type_mismatch();
      if (in.index >= module_.types.size()) return error(unknown("type", in.index));
      const FuncType& ft = module_.types[in.index];
      BRISK_TRY(pop_expect(ValType::kI32));
      BRISK_TRY(pop_all(ft.params));
      push_all(ft.results);
      return Status::ok();
    }
    case Opcode::kDrop: {
      BRISK_ASSIGN_OR_RETURN(ValType t, pop());
      (void)t;
      return Status::ok();
    }
    case Opcode::kSelect: {
      BRISK_TRY(pop_expect(ValType::kI32));
      BRISK_ASSIGN_OR_RETURN(ValType t1, pop());
      BRISK_ASSIGN_OR_RETURN(ValType t2, pop());
      if (is_ref(t1) || is_ref(t2)) return type_mismatch();
      if (t1 != t2 && t1 != ValType::kBottom && t2 != ValType::kBottom) return type_mismatch();
      push(t1 == ValType::kBottom ? t2 : t1);
      return Status::ok();
    }
    case Opcode::kSelectT: {
      if (in.index != 1) return error("invalid result arity");
      BRISK_TRY(pop_expect(ValType::kI32));
      BRISK_TRY(pop_expect(in.type));
      BRISK_TRY(pop_expect(in.type));
      push(in.type);
      return Status::ok();
    }
    case Opcode::kLocalGet:
    case Opcode::kLocalSet:
    case Opcode::kLocalTee: {
      if (in.index >= locals_.size()) return error(unknown("local", in.index));
      ValType t = locals_[in.index];
      if (in.op == Opcode::kLocalGet) {
        push(t);
      } else {
        BRISK_TRY(pop_expect(t));
        if (in.op == Opcode::kLocalTee) push(t);
      }
      return Status::ok();
    }
    case Opcode::kGlobalGet:
    case Opcode::kGlobalSet: {
      if (in.index >= module_.globals.size()) return error(unknown("global", in.index));
      const GlobalType& g = module_.globals[in.index];
      if (in.op == Opcode::kGlobalGet) {
        push(g.type);
      } else {
        if (!g.mut) return error("global is immutable");
        BRISK_TRY(pop_expect(g.type));
      }
      return Status::ok();
    }
    case Opcode::kTableGet:
    case Opcode::kTableSet: {
      BRISK_TRY(check_table(in.index));
      ValType t = module_.tables[in.index].elem;
      if (in.op == Opcode::kTableGet) {
        BRISK_TRY(pop_expect(ValType::kI32));
        push(t);
      } else {
        BRISK_TRY(pop_expect(t));
        BRISK_TRY(pop_expect(ValType::kI32));
      }
      return Status::ok();
    }
    case Opcode::kMemorySize:
      BRISK_TRY(check_memory(0));
      push(ValType::kI32);
      return Status::ok();
    case Opcode::kMemoryGrow:
      BRISK_TRY(check_memory(0));
      BRISK_TRY(pop_expect(ValType::kI32));
      push(ValType::kI32);
      return Status::ok();
    case Opcode::kI32Const: push(ValType::kI32); return Status::ok();
    case Opcode::kI64Const: push(ValType::kI64); return Status::ok();
    case Opcode::kF32Const: push(ValType::kF32); return Status::ok();
    case Opcode::kF64Const: push(ValType::kF64); return Status::ok();
    case Opcode::kRefNull: push(in.type); return Status::ok();
    case Opcode::kRefIsNull: {
      BRISK_ASSIGN_OR_RETURN(ValType t, pop());
      if (t != ValType::kBottom && !is_ref(t)) return type_mismatch();
      push(ValType::kI32);
      return Status::ok();
    }
    case Opcode::kRefFunc:
      if (in.index >= module_.funcs.size()) return error(unknown("function", in.index));
      if (!module_.declared_funcs[in.index]) return error("undeclared function reference");
      push(ValType::kFuncRef);
      return Status::ok();
    case Opcode::kMemoryInit:
      BRISK_TRY(check_memory(0));
      if (in.index >= module_.data_count.value_or(0)) return error(unknown("data segment", in.index));
      BRISK_TRY(pop_expect(ValType::kI32));
      BRISK_TRY(pop_expect(ValType::kI32));
      BRISK_TRY(pop_expect(ValType::kI32));
      return Status::ok();
    case Opcode::kDataDrop:
      if (in.index >= module_.data_count.value_or(0)) return error(unknown("data segment", in.index));
      return Status::ok();
    case Opcode::kMemoryCopy:
    case Opcode::kMemoryFill:
      BRISK_TRY(check_memory(0));
      BRISK_TRY(pop_expect(ValType::kI32));
      BRISK_TRY(pop_expect(ValType::kI32));
      BRISK_TRY(pop_expect(ValType::kI32));
      return Status::ok();
    case Opcode::kTableInit: {
      BRISK_TRY(check_table(in.index2));
      if (in.index >= module_.elems.size()) return error(unknown("elem segment", in.index));
      if (module_.elems[in.index].type != module_.tables[in.index2].elem) return type_mismatch();
      BRISK_TRY(pop_expect(ValType::kI32));
      BRISK_TRY(pop_expect(ValType::kI32));
      BRISK_TRY(pop_expect(ValType::kI32));
      return Status::ok();
    }
    case Opcode::kElemDrop:
      if (in.index >= module_.elems.size()) return error(unknown("elem segment", in.index));
      return Status::ok();
    case Opcode::kTableCopy: {
      BRISK_TRY(check_table(in.index));
      BRISK_TRY(check_table(in.index2));
      if (module_.tables[in.index].elem != module_.tables[in.index2].elem) return type_mismatch();
      BRISK_TRY(pop_expect(ValType::kI32));
      BRISK_TRY(pop_expect(ValType::kI32));
      BRISK_TRY(pop_expect(ValType::kI32));
      return Status::ok();
    }
    case Opcode::kTableGrow: {
      BRISK_TRY(check_table(in.index));
      BRISK_TRY(pop_expect(ValType::kI32));
      BRISK_TRY(pop_expect(module_.tables[in.index].elem));
      push(ValType::kI32);
      return Status::ok();
    }
    case Opcode::kTableSize:
      BRISK_TRY(check_table(in.index));
      push(ValType::kI32);
      return Status::ok();
    case Opcode::kTableFill: {
      BRISK_TRY(check_table(in.index));
      BRISK_TRY(pop_expect(ValType::kI32));
      BRISK_TRY(pop_expect(module_.tables[in.index].elem));
      BRISK_TRY(pop_expect(ValType::kI32));
      return Status::ok();
    }
    default:
      return error("illegal opcode");
  }
}

Status FuncValidator::validate_simd_special(const Instr& in) {
  uint32_t sub = opcode_info(in.op).code;
  switch (in.op) {
    case Opcode::kV128Const:
      push(ValType::kV128);
      return Status::ok();
    case Opcode::kI8x16Shuffle:
      for (uint8_t lane : in.v128) {
        if (lane >= 32) return error("invalid lane index");
      }
      BRISK_TRY(pop_expect(ValType::kV128));
      BRISK_TRY(pop_expect(ValType::kV128));
      push(ValType::kV128);
      return Status::ok();
    case Opcode::kV128Load8Lane: case Opcode::kV128Load16Lane:
    case Opcode::kV128Load32Lane: case Opcode::kV128Load64Lane:
    case Opcode::kV128Store8Lane: case Opcode::kV128Store16Lane:
    case Opcode::kV128Store32Lane: case Opcode::kV128Store64Lane: {
      uint32_t natural = opcode_info(in.op).align;
      BRISK_TRY(check_memory(0));
      BRISK_TRY(check_align(in.mem, natural));
      if (in.lane >= 16u >> natural) return error("invalid lane index");
      BRISK_TRY(pop_expect(ValType::kV128));
      BRISK_TRY(pop_expect(ValType::kI32));
      if (sub <= 87) push(ValType::kV128);  // the loads
      return Status::ok();
    }
    default:
      break;
  }
  if (sub >= 21 && sub <= 34) {
    // extract_lane / replace_lane, in groups per shape.
    struct LaneOp { uint8_t lanes; ValType scalar; bool replace; };
    static constexpr LaneOp kLaneOps[] = {
        {16, ValType::kI32, false}, {16, ValType::kI32, false}, {16, ValType::kI32, true},
        {8, ValType::kI32, false},  {8, ValType::kI32, false},  {8, ValType::kI32, true},
        {4, ValType::kI32, false},  {4, ValType::kI32, true},
        {2, ValType::kI64, false},  {2, ValType::kI64, true},
        {4, ValType::kF32, false},  {4, ValType::kF32, true},
        {2, ValType::kF64, false},  {2, ValType::kF64, true},
    };
    const LaneOp& op = kLaneOps[sub - 21];
    if (in.lane >= op.lanes) return error("invalid lane index");
    if (op.replace) {
      BRISK_TRY(pop_expect(op.scalar));
      BRISK_TRY(pop_expect(ValType::kV128));
      push(ValType::kV128);
    } else {
      BRISK_TRY(pop_expect(ValType::kV128));
      push(op.scalar);
    }
    return Status::ok();
  }
  return error("illegal opcode");
}

// ---------------------------------------------------------------------------

namespace {

Status validate_body(const Module& module, uint32_t defined_index) {
  const FuncBody& body = module.bodies[defined_index];
  Reader r(module.bytes.data() + body.offset, module.bytes.data() + body.offset + body.size,
           body.offset, true);
  FuncValidator v(module, module.num_imported_funcs + defined_index);
  BRISK_TRY(v.decode_locals(r));
  struct ValidateOnly {  // emits nothing; walk_body's fast lane validates too
    void local_get(uint32_t) {}
    void constant(ValType, int64_t) {}
    void global_get(uint32_t) {}
    void local_set(uint32_t) {}
    void local_tee(uint32_t) {}
    Status plain(const Instr&) { return Status::ok(); }
    Status operator()(const Instr&, std::span<const uint32_t>) { return Status::ok(); }
  };
  return walk_body(module, r, v, ValidateOnly{});
}

}  // namespace

Status validate_functions(const Module& module) {
  uint32_t n = module.num_defined_funcs();
  for (uint32_t i = 0; i < n; ++i) {
    Status s = validate_body(module, i);
    if (s.is_ok()) continue;
    if (s.kind() != ErrorKind::kInvalid) return s;
    // Decoding precedes validation: a malformed body later on wins.
    for (uint32_t j = i; j < n; ++j) BRISK_TRY(scan_function_body(module, j));
    return s;
  }
  return Status::ok();
}

Result<std::unique_ptr<Module>> decode_and_validate(const uint8_t* bytes, size_t size) {
  auto decoded = decode_module(bytes, size);
  if (!decoded) return decoded;
  BRISK_TRY(validate_functions(**decoded));
  return decoded;
}

}  // namespace brisk::compiler
