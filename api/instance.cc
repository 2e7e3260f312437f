// Linking and instantiation (spec 4.5.4): import matching, VMContext set-up,
// element and data segments in order, then the start function.
#include <cstdlib>
#include <cstring>

#include "api/internal.h"
#include "runtime/trap.h"

namespace brisk {

namespace {

Status unlinkable(std::string msg) { return Status(ErrorKind::kUnlinkable, std::move(msg)); }

// Limits matching (spec "import subtyping"): at least as large, at most as
// permissive a maximum.
bool limits_match(uint64_t actual_min, bool actual_has_max, uint64_t actual_max, const compiler::Limits& want) {
  if (actual_min < want.min) return false;
  if (want.has_max) {
    if (!actual_has_max || actual_max > want.max) return false;
  }
  return true;
}


uint64_t eval_const(const compiler::ConstExpr& c, Instance::Impl& inst) {
  switch (c.kind) {
    case compiler::ConstExpr::Kind::kRefNull: return 0;
    case compiler::ConstExpr::Kind::kRefFunc: return reinterpret_cast<uintptr_t>(inst.func_refs[c.index]);
    case compiler::ConstExpr::Kind::kGlobalGet: return *inst.globals[c.index]->value;
    default: return c.bits[0];
  }
}

// The instance's item of `kind` at `index` as an API handle.
Extern extern_of(Instance::Impl& inst, compiler::ExternKind kind, uint32_t index) {
  uint64_t id = inst.store_id;
  switch (kind) {
    case compiler::ExternKind::kFunc: return A::func(inst.func_refs[index], id);
    case compiler::ExternKind::kTable: return A::table(inst.tables[index], id);
    case compiler::ExternKind::kMemory: return A::memory(inst.memory, id);
    case compiler::ExternKind::kGlobal: break;
  }
  return A::global(inst.globals[index], id);
}

}  // namespace

std::string import_mismatch(const Store::Impl& s, const Module::Impl& mi, const compiler::Import& imp,
                            const Extern& item) {
  const compiler::Module& m = *mi.module;
  std::string what = imp.module + "." + imp.name;
  if (A::id(item) != s.id) return "incompatible import type: " + what + " belongs to another store";
  switch (imp.kind) {
    case compiler::ExternKind::kFunc: {
      const Func* f = std::get_if<Func>(&item);
      if (!f) return "incompatible import type: " + what + " is a " + extern_kind_name(item) + ", expected a func";
      if (A::ref(*f)->type_id != mi.type_ids[imp.type_index]) {
        return "incompatible import type: " + what + " has signature " + s.engine->type(A::ref(*f)->type_id).to_string() +
               ", expected " + m.types[imp.type_index].to_string();
      }
      return "";
    }
    case compiler::ExternKind::kTable: {
      const Table* t = std::get_if<Table>(&item);
      if (!t) return "incompatible import type: " + what + " is a " + extern_kind_name(item) + ", expected a table";
      const auto& h = A::tab(*t)->header;
      if (h.elem != imp.table.elem || !limits_match(h.size, h.max != 0xffffffffu, h.max, imp.table.limits)) {
        return "incompatible import type: " + what + " (table limits or element type)";
      }
      return "";
    }
    case compiler::ExternKind::kMemory: {
      const Memory* mem = std::get_if<Memory>(&item);
      if (!mem) return "incompatible import type: " + what + " is a " + extern_kind_name(item) + ", expected a memory";
      auto* lm = A::mem(*mem);
      if (!limits_match(lm->pages(), lm->max_pages() < compiler::kMaxMemoryPages, lm->max_pages(), imp.memory.limits)) {
        return "incompatible import type: " + what + " (memory limits)";
      }
      return "";
    }
    case compiler::ExternKind::kGlobal: {
      const Global* g = std::get_if<Global>(&item);
      if (!g) return "incompatible import type: " + what + " is a " + extern_kind_name(item) + ", expected a global";
      const auto& gt = A::cell(*g)->type;
      if (gt.type != imp.global.type || gt.mut != imp.global.mut) {
        return "incompatible import type: " + what + " (global type or mutability)";
      }
      return "";
    }
  }
  return "";
}

Result<Instance> instantiate_resolved(Store& store, const Module& module, const std::vector<Extern>& imports) {
  Store::Impl& s = A::store(store);
  const Module::Impl& mi = A::module(module);
  const compiler::Module& m = *mi.module;
  if (mi.engine != s.engine) return unlinkable("module and store belong to different engines");
  if (imports.size() != m.imports.size()) return unlinkable("expected " + std::to_string(m.imports.size()) + " imports");
  for (size_t i = 0; i < m.imports.size(); ++i) {
    std::string why = import_mismatch(s, mi, m.imports[i], imports[i]);
    if (!why.empty()) return unlinkable(std::move(why));
  }
  if (s.instances.size() >= s.limits.instances) {
    return Status(ErrorKind::kResource, "store limit reached: at most " + std::to_string(s.limits.instances) +
                                            " instances");
  }

  // 2. The instance and its VMContext.
  auto owned = std::make_unique<Instance::Impl>();
  Instance::Impl& inst = *owned;
  s.instances.push_back(std::move(owned));  // the store owns it even if a segment traps
  inst.module = &m;
  inst.module_ref = A::module_ptr(module);
  inst.store_id = s.id;
  runtime::VMLayout layout(m);
  size_t vm_size = (static_cast<size_t>(layout.size) + 15) & ~size_t{15};
  inst.vmctx = static_cast<uint8_t*>(aligned_alloc(16, vm_size));
  if (!inst.vmctx) return Status(ErrorKind::kResource, "out of memory allocating an instance");
  memset(inst.vmctx, 0, vm_size);
  auto put = [&](int32_t off, const void* p) { memcpy(inst.vmctx + off, &p, sizeof p); };
  put(runtime::kVmStore, &s.state);
  put(runtime::kVmInstance, static_cast<runtime::Instance*>(&inst));
  put(runtime::kVmHelpers, runtime::runtime_helpers().data());

  // Imports.
  size_t import_func = 0;
  for (size_t i = 0; i < m.imports.size(); ++i) {
    const compiler::Import& imp = m.imports[i];
    const Extern& ext = imports[i];
    switch (imp.kind) {
      case compiler::ExternKind::kFunc: {
        runtime::FuncRef* ref = A::ref(std::get<Func>(ext));
        inst.func_refs.push_back(ref);
        put(layout.import_code(static_cast<uint32_t>(import_func)), ref->code);
        put(layout.import_vmctx(static_cast<uint32_t>(import_func)), ref->vmctx);
        ++import_func;
        break;
      }
      case compiler::ExternKind::kTable:
        inst.tables.push_back(A::tab(std::get<Table>(ext)));
        break;
      case compiler::ExternKind::kMemory:
        inst.memory = A::mem(std::get<Memory>(ext));
        break;
      case compiler::ExternKind::kGlobal: {
        Global::Cell* c = A::cell(std::get<Global>(ext));
        inst.globals.push_back(c);
        put(layout.global(static_cast<uint32_t>(inst.globals.size() - 1)), c->value);
        break;
      }
    }
  }

  // Defined functions.
  uint32_t nd = m.num_defined_funcs();
  inst.own_func_refs.reset(new runtime::FuncRef[nd]);
  for (uint32_t i = 0; i < nd; ++i) {
    runtime::FuncRef& r = inst.own_func_refs[i];
    r.code = const_cast<void*>(mi.compiled.func_entry(i));
    r.vmctx = inst.vmctx;
    r.type_id = mi.type_ids[m.funcs[m.num_imported_funcs + i]];
    inst.func_refs.push_back(&r);
  }
  put(runtime::kVmFuncRefs, inst.func_refs.data());

  // Defined memory.
  if (!inst.memory && !m.memories.empty()) {
    BRISK_ASSIGN_OR_RETURN(inst.memory, new_memory(s, m.memories[0]));
  }
  if (inst.memory) {
    put(runtime::kVmMemoryBase, inst.memory->base());
    put(runtime::kVmMemory, inst.memory->header());
  }

  // Defined tables.
  for (size_t i = m.num_imported_tables; i < m.tables.size(); ++i) {
    BRISK_ASSIGN_OR_RETURN(runtime::TableObject * t, new_table(s, m.tables[i].elem, m.tables[i].limits, 0));
    inst.tables.push_back(t);
  }
  for (size_t i = 0; i < inst.tables.size(); ++i) {
    put(layout.table(static_cast<uint32_t>(i)), &inst.tables[i]->header);
  }

  // Defined globals live inline in the VMContext.
  for (size_t i = m.num_imported_globals; i < m.globals.size(); ++i) {
    auto c = std::make_unique<Global::Cell>();
    c->type = m.globals[i];
    c->value = reinterpret_cast<uint64_t*>(inst.vmctx + layout.global(static_cast<uint32_t>(i)));
    const compiler::ConstExpr& init = m.global_inits[i - m.num_imported_globals];
    *c->value = eval_const(init, inst);
    if (c->type.type == compiler::ValType::kV128) {  // the high half (cells are 16 bytes)
      c->value[1] = init.kind == compiler::ConstExpr::Kind::kGlobalGet ? inst.globals[init.index]->value[1] : init.bits[1];
    }
    inst.globals.push_back(c.get());
    s.globals.push_back(std::move(c));
  }

  // Exports.
  for (const compiler::Export& e : m.exports) inst.exports.emplace_back(e.name, extern_of(inst, e.kind, e.index));

  Instance result = A::instance(&inst);

  // Element segments, then data segments, in order; a trap stops there.
  inst.global_values.reserve(inst.globals.size());
  for (Global::Cell* c : inst.globals) inst.global_values.push_back(c->value);
  inst.elem_dropped.assign(m.elems.size(), false);
  inst.data_dropped.assign(m.datas.size(), false);
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const compiler::ElemSegment& seg = m.elems[i];
    if (seg.mode == compiler::SegmentMode::kActive) {
      uint64_t offset = static_cast<uint32_t>(eval_const(seg.offset, inst));
      runtime::TrapCode tc = runtime::init_table(inst, seg.table, static_cast<uint32_t>(i), offset, 0,
                                                 seg.items.size());
      if (tc != runtime::TrapCode::kNone) return Status::trap(static_cast<uint32_t>(tc), runtime::trap_message(tc));
    }
    if (seg.mode != compiler::SegmentMode::kPassive) inst.elem_dropped[i] = true;
  }
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const compiler::DataSegment& seg = m.datas[i];
    if (seg.mode != compiler::SegmentMode::kActive) continue;
    uint64_t offset = static_cast<uint32_t>(eval_const(seg.offset, inst));
    runtime::TrapCode tc = runtime::init_memory(inst, static_cast<uint32_t>(i), offset, 0, seg.size);
    if (tc != runtime::TrapCode::kNone) return Status::trap(static_cast<uint32_t>(tc), runtime::trap_message(tc));
    inst.data_dropped[i] = true;
  }

  if (m.start) {
    Func start = A::func(inst.func_refs[*m.start], s.id);
    auto r = start.call(store, std::span<const Val>());
    if (!r) return r.take_status();
  }
  return result;
}

std::optional<Extern> Instance::get_export(const Store& store, std::string_view name) const {
  check_handle(store, store_id_);
  for (const auto& [n, e] : impl_->exports) {
    if (n == name) return e;
  }
  return std::nullopt;
}

std::optional<Func> Instance::get_func(const Store& store, std::string_view name) const {
  auto e = get_export(store, name);
  if (!e || !std::holds_alternative<Func>(*e)) return std::nullopt;
  return std::get<Func>(*e);
}

std::optional<Memory> Instance::get_memory(const Store& store, std::string_view name) const {
  auto e = get_export(store, name);
  if (!e || !std::holds_alternative<Memory>(*e)) return std::nullopt;
  return std::get<Memory>(*e);
}

std::optional<Global> Instance::get_global(const Store& store, std::string_view name) const {
  auto e = get_export(store, name);
  if (!e || !std::holds_alternative<Global>(*e)) return std::nullopt;
  return std::get<Global>(*e);
}

std::optional<Table> Instance::get_table(const Store& store, std::string_view name) const {
  auto e = get_export(store, name);
  if (!e || !std::holds_alternative<Table>(*e)) return std::nullopt;
  return std::get<Table>(*e);
}

std::vector<std::pair<std::string, Extern>> Instance::exports(const Store& store) const {
  check_handle(store, store_id_);
  return impl_->exports;
}

Module Instance::module(const Store& store) const {
  check_handle(store, store_id_);
  return A::make_module(impl_->module_ref);
}

Result<Instance> Instance::create(Store& store, const Module& module, std::span<const Extern> imports) {
  return instantiate_resolved(store, module, std::vector<Extern>(imports.begin(), imports.end()));
}

std::optional<Instance> Instance::of_frame(const Store& store, const Frame& frame) {
  for (const auto& inst : A::store(store).instances) {
    if (inst.get() == frame.instance) return A::instance(inst.get());
  }
  return std::nullopt;
}

// -- Caller -------------------------------------------------------------------

namespace {
Instance::Impl* caller_instance(void* vmctx) {
  return vmctx ? static_cast<Instance::Impl*>(runtime::Instance::from_vmctx(vmctx)) : nullptr;
}
}  // namespace

std::optional<Instance> Caller::instance() const {
  Instance::Impl* i = caller_instance(vmctx_);
  if (!i) return std::nullopt;
  return A::instance(i);
}

std::optional<Extern> Caller::get_export(std::string_view name) const {
  Instance::Impl* i = caller_instance(vmctx_);
  if (!i) return std::nullopt;
  return A::instance(i).get_export(*store_, name);
}

std::optional<Memory> Caller::memory() const {
  Instance::Impl* i = caller_instance(vmctx_);
  if (!i || !i->memory) return std::nullopt;
  return A::memory(i->memory, i->store_id);
}

}  // namespace brisk
