/// \file Instance: an instantiated module.
#ifndef BRISK_API_INSTANCE_H_
#define BRISK_API_INSTANCE_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "brisk/extern.h"
#include "brisk/module.h"
#include "brisk/trap.h"
#include "brisk/typed_func.h"

namespace brisk {

/// An instantiated module, owned by its store.
class Instance {
 public:
  /// Instantiates with imports given in the module's import order (what the
  /// standard C API's wasm_instance_new does); a Linker finds them by name.
  static Result<Instance> create(Store& store, const Module& module, std::span<const Extern> imports);
  /// The instance a trap frame ran in (nullopt if it is not of `store`).
  static std::optional<Instance> of_frame(const Store& store, const Frame& frame);

  std::optional<Extern> get_export(const Store& store, std::string_view name) const;
  std::optional<Func> get_func(const Store& store, std::string_view name) const;
  std::optional<Memory> get_memory(const Store& store, std::string_view name) const;
  std::optional<Table> get_table(const Store& store, std::string_view name) const;
  std::optional<Global> get_global(const Store& store, std::string_view name) const;
  std::vector<std::pair<std::string, Extern>> exports(const Store& store) const;
  /// The module this instance was made from.
  Module module(const Store& store) const;

  /// The export `name` as a typed function, its type checked here, once.
  template <class Sig>
  Result<TypedFunc<Sig>> typed_func(const Store& store, std::string_view name) const {
    auto f = get_func(store, name);
    if (!f) return Status(ErrorKind::kUnlinkable, "no exported function named " + std::string(name));
    return TypedFunc<Sig>::from(store, *f);
  }

  struct Impl;

  /// The same object of the same store.
  bool operator==(const Instance&) const = default;

 private:
  friend struct detail::Access;
  Impl* impl_ = nullptr;  // owned by the store
  uint64_t store_id_ = 0;
};

}  // namespace brisk

#endif  // BRISK_API_INSTANCE_H_
