/// \file Caller: what a host function may reach of the code that called it.
#ifndef BRISK_API_CALLER_H_
#define BRISK_API_CALLER_H_

#include <optional>
#include <string_view>

#include "brisk/extern.h"
#include "brisk/instance.h"

namespace brisk {

/// Passed to host functions that take a leading `Caller&`: the store and the
/// instance whose Wasm code made the call (none when the host called the
/// function directly).
class Caller {
 public:
  Store& store() const { return *store_; }
  /// The calling instance, if Wasm code made the call.
  std::optional<Instance> instance() const;
  /// An export of the calling instance.
  std::optional<Extern> get_export(std::string_view name) const;
  /// The calling instance's memory 0, exported or not (the seed's host used
  /// Instance.Externs.Memories[0]).
  std::optional<Memory> memory() const;

  Caller(Store* store, void* caller_vmctx) : store_(store), vmctx_(caller_vmctx) {}

 private:
  Store* store_;
  void* vmctx_;
};

}  // namespace brisk

#endif  // BRISK_API_CALLER_H_
