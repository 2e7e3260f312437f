// Linker: definitions by (module, name), store-free host functions, and
// InstancePre (imports resolved once).
#include "api/internal.h"

namespace brisk {

namespace {
Status unlinkable(std::string msg) { return Status(ErrorKind::kUnlinkable, std::move(msg)); }

}  // namespace

Linker::Linker(const Engine& engine) : engine_(engine) {}

Status Linker::add(std::string_view module, std::string_view name, std::shared_ptr<const Def> def) {
  for (auto& d : defs_) {
    if (d->module == module && d->name == name) {
      if (!shadowing_) {
        return Status(ErrorKind::kUnlinkable, "import " + std::string(module) + "." + std::string(name) +
                                                  " is defined twice (shadowing is off)");
      }
      d = std::move(def);
      return Status::ok();
    }
  }
  defs_.push_back(std::move(def));
  return Status::ok();
}

Status Linker::define(std::string_view module, std::string_view name, const Extern& item) {
  if (A::id(item) == 0) return Status(ErrorKind::kInvalid, "cannot define " + std::string(module) + "." +
                                                               std::string(name) + " as a null item");
  auto d = std::make_shared<Def>();
  d->module = module;
  d->name = name;
  d->item = item;
  d->store_id = A::id(item);
  return add(module, name, std::move(d));
}

Status Linker::define_host(std::string_view module, std::string_view name, const FuncType& type,
                           detail::RawHostFn fn, std::shared_ptr<void> env) {
  auto d = std::make_shared<Def>();
  d->module = module;
  d->name = name;
  d->host = true;
  d->type = to_internal(type);
  d->type_id = A::engine(engine_).type_id(d->type);
  if (d->type_id == 0xffffffffu) return Status(ErrorKind::kResource, "cannot register function type " + to_string(type));
  d->fn = fn;
  d->env = std::move(env);
  return add(module, name, std::move(d));
}

Status Linker::func_new(std::string_view module, std::string_view name, const FuncType& type, HostFunc fn) {
  auto env = std::make_shared<HostFunc>(std::move(fn));
  return define_host(module, name, type, &untyped_callback, std::move(env));
}

Status Linker::define_instance(const Store& store, std::string_view module, const Instance& instance) {
  for (auto& [name, ext] : instance.exports(store)) BRISK_TRY(define(module, name, ext));
  return Status::ok();
}

Result<Func> materialize(Store& store, const Linker::Def& def) {
  Store::Impl& s = A::store(store);
  auto it = s.linker_funcs.find(&def);
  if (it != s.linker_funcs.end()) return A::func(it->second, s.id);
  BRISK_ASSIGN_OR_RETURN(Func f, detail::new_host_func(store, to_api(def.type), def.fn, def.env));
  s.linker_funcs.emplace(&def, A::ref(f));
  return f;
}

namespace {

Result<std::vector<std::shared_ptr<const Linker::Def>>> resolve(
    const std::vector<std::shared_ptr<const Linker::Def>>& defs, const Module& module) {
  const compiler::Module& m = *A::module(module).module;
  std::vector<std::shared_ptr<const Linker::Def>> out;
  out.reserve(m.imports.size());
  for (const compiler::Import& imp : m.imports) {
    const std::shared_ptr<const Linker::Def>* found = nullptr;
    for (const auto& d : defs) {
      if (d->module == imp.module && d->name == imp.name) found = &d;
    }
    if (!found) {
      return unlinkable("unknown import: " + imp.module + "." + imp.name + " (" +
                        to_string(import_type(m, imp)) + ") is not defined");
    }
    const Linker::Def& d = **found;
    if (d.host) {
      if (imp.kind != compiler::ExternKind::kFunc) {
        return unlinkable("incompatible import type: " + imp.module + "." + imp.name + " is a func, expected a " +
                          compiler::extern_kind_name(imp.kind));
      }
      if (d.type_id != A::module(module).type_ids[imp.type_index]) {
        return unlinkable("incompatible import type: " + imp.module + "." + imp.name + " has signature " +
                          d.type.to_string() + ", expected " + m.types[imp.type_index].to_string());
      }
    }
    out.push_back(*found);
  }
  return out;
}

Result<Instance> instantiate_with(Store& store, const Module& module,
                                  const std::vector<std::shared_ptr<const Linker::Def>>& defs) {
  std::vector<Extern> items;
  items.reserve(defs.size());
  for (const auto& d : defs) {
    if (d->host) {
      BRISK_ASSIGN_OR_RETURN(Func f, materialize(store, *d));
      items.push_back(f);
    } else {
      items.push_back(d->item);
    }
  }
  return instantiate_resolved(store, module, items);
}

}  // namespace

Result<Instance> Linker::instantiate(Store& store, const Module& module) const {
  if (A::module(module).engine != A::engine_ptr(engine_)) return unlinkable("module and linker belong to different engines");
  BRISK_ASSIGN_OR_RETURN(auto defs, resolve(defs_, module));
  return instantiate_with(store, module, defs);
}

Result<InstancePre> Linker::instantiate_pre(const Module& module) const {
  if (A::module(module).engine != A::engine_ptr(engine_)) return unlinkable("module and linker belong to different engines");
  BRISK_ASSIGN_OR_RETURN(auto defs, resolve(defs_, module));
  return InstancePre(module, std::move(defs));
}

Result<Instance> InstancePre::instantiate(Store& store) const { return instantiate_with(store, module_, defs_); }

}  // namespace brisk
