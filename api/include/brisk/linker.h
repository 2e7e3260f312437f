/// \file Linker: resolves imports by (module, name); InstancePre.
#ifndef BRISK_API_LINKER_H_
#define BRISK_API_LINKER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "brisk/extern.h"
#include "brisk/host_func.h"
#include "brisk/instance.h"
#include "brisk/module.h"

namespace brisk {

class InstancePre;

/// Resolves imports by (module, name) and instantiates. Host functions
/// defined with func_wrap/func_new belong to no store: each store that
/// instantiates through the linker gets its own function object for them.
/// Memories, tables, globals and functions defined with define() belong to
/// one store and link only into instances of that store.
class Linker {
 public:
  explicit Linker(const Engine& engine);
  /// Lets a definition replace an earlier one of the same name (off: an error).
  void allow_shadowing(bool allow) { shadowing_ = allow; }

  /// Defines an item of a store.
  Status define(std::string_view module, std::string_view name, const Extern& item);
  /// A typed host function from any callable (see brisk/host_func.h).
  template <class F>
  Status func_wrap(std::string_view module, std::string_view name, F&& f) {
    using T = detail::ThunkFor<F>;
    auto env = std::make_shared<std::decay_t<F>>(std::forward<F>(f));
    return define_host(module, name, T::type(), &T::call, std::move(env));
  }
  /// An untyped host function.
  Status func_new(std::string_view module, std::string_view name, const FuncType& type, HostFunc fn);
  /// Defines every export of `instance` under `module`.
  Status define_instance(const Store& store, std::string_view module, const Instance& instance);

  /// Instantiates: links imports (kUnlinkable errors naming the import),
  /// initialises tables and memories, runs the start function (kTrap errors).
  Result<Instance> instantiate(Store& store, const Module& module) const;
  /// Resolves `module`'s imports once, for many instantiations.
  Result<InstancePre> instantiate_pre(const Module& module) const;

  struct Def;

 private:
  friend struct detail::Access;
  Status define_host(std::string_view module, std::string_view name, const FuncType& type,
                     detail::RawHostFn fn, std::shared_ptr<void> env);
  Status add(std::string_view module, std::string_view name, std::shared_ptr<const Def> def);
  Engine engine_;
  bool shadowing_ = true;
  std::vector<std::shared_ptr<const Def>> defs_;
};

/// A module with its imports resolved by a linker: instantiate() checks
/// nothing by name again.
class InstancePre {
 public:
  Result<Instance> instantiate(Store& store) const;
  const Module& module() const { return module_; }

 private:
  friend class Linker;
  InstancePre(Module m, std::vector<std::shared_ptr<const Linker::Def>> defs)
      : module_(std::move(m)), defs_(std::move(defs)) {}
  Module module_;
  std::vector<std::shared_ptr<const Linker::Def>> defs_;  ///< one per import
};

}  // namespace brisk

#endif  // BRISK_API_LINKER_H_
