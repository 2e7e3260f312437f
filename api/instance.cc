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

const char* kind_name(const Extern& e) {
  switch (e.index()) {
    case 0: return "func";
    case 1: return "memory";
    case 2: return "table";
    default: return "global";
  }
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
  switch (kind) {
    case compiler::ExternKind::kFunc: { Func f; f.ref_ = inst.func_refs[index]; return f; }
    case compiler::ExternKind::kTable: { Table t; t.table_ = inst.tables[index]; return t; }
    case compiler::ExternKind::kMemory: { Memory m; m.mem_ = inst.memory; return m; }
    case compiler::ExternKind::kGlobal: break;
  }
  Global g;
  g.cell_ = inst.globals[index];
  return g;
}

}  // namespace

Linker::Linker(const Engine& engine) : engine_(engine) {}

void Linker::define(std::string_view module, std::string_view name, const Extern& item) {
  auto key = std::make_pair(std::string(module), std::string(name));
  for (auto& d : defs_) {
    if (d.first == key) {
      d.second = item;
      return;
    }
  }
  defs_.emplace_back(std::move(key), item);
}

void Linker::define_instance(const Store& store, std::string_view module, const Instance& instance) {
  for (auto& [name, ext] : instance.exports(store)) define(module, name, ext);
}

Result<Instance> Linker::instantiate(Store& store, const Module& module) const {
  Store::Impl& s = *store.impl_;
  const compiler::Module& m = *module.impl_->module;
  const Module::Impl& mi = *module.impl_;
  if (mi.engine != s.engine) return unlinkable("module and store belong to different engines");

  // 1. Resolve and check imports.
  std::vector<const Extern*> resolved;
  for (const compiler::Import& imp : m.imports) {
    const Extern* found = nullptr;
    for (const auto& d : defs_) {
      if (d.first.first == imp.module && d.first.second == imp.name) found = &d.second;
    }
    if (!found) return unlinkable("unknown import: " + imp.module + "." + imp.name);
    std::string what = imp.module + "." + imp.name;
    switch (imp.kind) {
      case compiler::ExternKind::kFunc: {
        const Func* f = std::get_if<Func>(found);
        if (!f) return unlinkable("incompatible import type: " + what + " is a " + kind_name(*found));
        if (f->ref_->type_id != mi.type_ids[imp.type_index]) {
          return unlinkable("incompatible import type: " + what + " has signature " +
                            s.engine->type(f->ref_->type_id).to_string() + ", expected " +
                            m.types[imp.type_index].to_string());
        }
        break;
      }
      case compiler::ExternKind::kTable: {
        const Table* t = std::get_if<Table>(found);
        if (!t) return unlinkable("incompatible import type: " + what + " is a " + kind_name(*found));
        const auto& h = t->table_->header;
        if (h.elem != imp.table.elem ||
            !limits_match(h.size, h.max != 0xffffffffu, h.max, imp.table.limits)) {
          return unlinkable("incompatible import type: " + what + " (table limits or element type)");
        }
        break;
      }
      case compiler::ExternKind::kMemory: {
        const Memory* mem = std::get_if<Memory>(found);
        if (!mem) return unlinkable("incompatible import type: " + what + " is a " + kind_name(*found));
        auto* lm = mem->mem_;
        if (!limits_match(lm->pages(), lm->max_pages() < compiler::kMaxMemoryPages, lm->max_pages(),
                          imp.memory.limits)) {
          return unlinkable("incompatible import type: " + what + " (memory limits)");
        }
        break;
      }
      case compiler::ExternKind::kGlobal: {
        const Global* g = std::get_if<Global>(found);
        if (!g) return unlinkable("incompatible import type: " + what + " is a " + kind_name(*found));
        if (g->cell_->type.type != imp.global.type || g->cell_->type.mut != imp.global.mut) {
          return unlinkable("incompatible import type: " + what + " (global type or mutability)");
        }
        break;
      }
    }
    resolved.push_back(found);
  }

  // 2. The instance and its VMContext.
  auto owned = std::make_unique<Instance::Impl>();
  Instance::Impl& inst = *owned;
  s.instances.push_back(std::move(owned));  // the store owns it even if a segment traps
  inst.module = &m;
  inst.module_ref = module.impl_;
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
    const Extern& ext = *resolved[i];
    switch (imp.kind) {
      case compiler::ExternKind::kFunc: {
        runtime::FuncRef* ref = std::get<Func>(ext).ref_;
        inst.func_refs.push_back(ref);
        put(layout.import_code(static_cast<uint32_t>(import_func)), ref->code);
        put(layout.import_vmctx(static_cast<uint32_t>(import_func)), ref->vmctx);
        ++import_func;
        break;
      }
      case compiler::ExternKind::kTable:
        inst.tables.push_back(std::get<Table>(ext).table_);
        break;
      case compiler::ExternKind::kMemory:
        inst.memory = std::get<Memory>(ext).mem_;
        break;
      case compiler::ExternKind::kGlobal: {
        Global::Cell* c = std::get<Global>(ext).cell_;
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
    const compiler::MemoryType& mt = m.memories[0];
    MemoryType t{Limits{mt.limits.min, mt.limits.max, mt.limits.has_max}};
    BRISK_ASSIGN_OR_RETURN(Memory mem, Memory::create(store, t));
    inst.memory = mem.mem_;
  }
  if (inst.memory) {
    put(runtime::kVmMemoryBase, inst.memory->base());
    put(runtime::kVmMemory, inst.memory->header());
  }

  // Defined tables.
  for (size_t i = m.num_imported_tables; i < m.tables.size(); ++i) {
    const compiler::TableType& tt = m.tables[i];
    TableType t{to_api(tt.elem), Limits{tt.limits.min, tt.limits.max, tt.limits.has_max}};
    BRISK_ASSIGN_OR_RETURN(Table table, Table::create(store, t, Val::null_funcref()));
    inst.tables.push_back(table.table_);
  }
  for (size_t i = 0; i < inst.tables.size(); ++i) {
    put(layout.table(static_cast<uint32_t>(i)), &inst.tables[i]->header);
  }

  // Defined globals live inline in the VMContext.
  for (size_t i = m.num_imported_globals; i < m.globals.size(); ++i) {
    auto c = std::make_unique<Global::Cell>();
    c->type = m.globals[i];
    c->value = reinterpret_cast<uint64_t*>(inst.vmctx + layout.global(static_cast<uint32_t>(i)));
    *c->value = eval_const(m.global_inits[i - m.num_imported_globals], inst);
    inst.globals.push_back(c.get());
    s.globals.push_back(std::move(c));
  }

  // Exports.
  for (const compiler::Export& e : m.exports) inst.exports.emplace_back(e.name, extern_of(inst, e.kind, e.index));

  Instance result;
  result.impl_ = &inst;

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
    Func start;
    start.ref_ = inst.func_refs[*m.start];
    auto r = start.call(store, std::span<const Val>());
    if (!r) return r.take_status();
  }
  return result;
}

std::optional<Extern> Instance::get_export(const Store&, std::string_view name) const {
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

std::vector<std::pair<std::string, Extern>> Instance::exports(const Store&) const { return impl_->exports; }

}  // namespace brisk
