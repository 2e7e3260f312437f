/// \file Func: a Wasm or host function; HostFunc, the untyped host callback.
#ifndef BRISK_API_FUNC_H_
#define BRISK_API_FUNC_H_

#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <vector>

#include "brisk/status.h"
#include "brisk/store.h"
#include "brisk/types.h"

namespace brisk {

namespace runtime { struct FuncRef; }

/// An untyped host function: reads `args`, writes `results` (pre-set to
/// zero values of the right kinds); a non-ok Status traps with its message.
using HostFunc = std::function<Status(std::span<const Val> args, std::span<Val> results)>;

/// A function (Wasm or host) of a store. Default-constructed: null.
class Func {
 public:
  Func() = default;
  /// An untyped host function. Null if the engine cannot register the type
  /// (more than a million signatures).
  static Func create(Store& store, const FuncType& type, HostFunc fn);
  /// A typed host function from any callable (see brisk/host_func.h).
  template <class F> static Result<Func> wrap(Store& store, F&& f);

  bool is_null() const { return ref_ == nullptr; }
  FuncType type(const Store& store) const;
  /// The numbers of parameters and results, without building the type.
  size_t param_arity(const Store& store) const;
  size_t result_arity(const Store& store) const;
  /// Calls with dynamically typed values. A trap comes back as a Status of
  /// kind kTrap (trap_code() says which); the store stays usable.
  Result<std::vector<Val>> call(Store& store, std::span<const Val> args) const;
  Result<std::vector<Val>> call(Store& store, std::initializer_list<Val> args) const {
    return call(store, std::span<const Val>(args.begin(), args.size()));
  }
  /// The same without allocating: `results` must have the function's result count.
  Status call(Store& store, std::span<const Val> args, std::span<Val> results) const;

  /// The funcref value of this function (null Func: ref.null func).
  Val as_val() const;
  /// The function a funcref value of `store` stands for (nullopt: ref.null).
  static std::optional<Func> from_val(const Store& store, const Val& v);

  /// The same object of the same store.
  bool operator==(const Func&) const = default;

 private:
  friend struct detail::Access;
  runtime::FuncRef* ref_ = nullptr;
  uint64_t store_id_ = 0;
};

/// A funcref as a typed host-function parameter or result: a Func, null
/// for ref.null func.
using FuncRef = Func;

}  // namespace brisk

#endif  // BRISK_API_FUNC_H_
