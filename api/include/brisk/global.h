/// \file Global: a global variable.
#ifndef BRISK_API_GLOBAL_H_
#define BRISK_API_GLOBAL_H_

#include "brisk/status.h"
#include "brisk/store.h"
#include "brisk/types.h"

namespace brisk {

/// A global variable of a store.
class Global {
 public:
  static Result<Global> create(Store& store, const GlobalType& type, Val init);
  Val get(const Store& store) const;
  Status set(Store& store, Val value) const;
  GlobalType type(const Store& store) const;
  struct Cell;

  /// The same object of the same store.
  bool operator==(const Global&) const = default;

 private:
  friend struct detail::Access;
  Cell* cell_ = nullptr;
  uint64_t store_id_ = 0;
};

}  // namespace brisk

#endif  // BRISK_API_GLOBAL_H_
