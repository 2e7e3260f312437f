/// \file Table: a table of references.
#ifndef BRISK_API_TABLE_H_
#define BRISK_API_TABLE_H_

#include <cstdint>
#include <optional>

#include "brisk/status.h"
#include "brisk/store.h"
#include "brisk/types.h"

namespace brisk {

namespace runtime { struct TableObject; }

/// A table of references of a store.
class Table {
 public:
  static Result<Table> create(Store& store, const TableType& type, Val init);
  uint32_t size(const Store& store) const;
  std::optional<Val> get(const Store& store, uint32_t index) const;
  Status set(Store& store, uint32_t index, Val value) const;
  /// Returns the old size, or an error if it cannot grow.
  Result<uint32_t> grow(Store& store, uint32_t delta, Val init) const;
  TableType type(const Store& store) const;

  /// The same object of the same store.
  bool operator==(const Table&) const = default;

 private:
  friend struct detail::Access;
  runtime::TableObject* table_ = nullptr;
  uint64_t store_id_ = 0;
};

}  // namespace brisk

#endif  // BRISK_API_TABLE_H_
