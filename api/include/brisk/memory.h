/// \file Memory: a linear memory with checked access.
#ifndef BRISK_API_MEMORY_H_
#define BRISK_API_MEMORY_H_

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "brisk/status.h"
#include "brisk/store.h"
#include "brisk/types.h"

namespace brisk {

namespace runtime { class LinearMemory; }

/// A linear memory of a store. Its base never moves (growth commits pages
/// in place), so a span stays valid until the store is destroyed; its size
/// may grow.
class Memory {
 public:
  static Result<Memory> create(Store& store, const MemoryType& type);
  uint8_t* data(const Store& store) const;
  size_t data_size(const Store& store) const;
  /// The accessible bytes.
  std::span<uint8_t> span(const Store& store) const { return {data(store), data_size(store)}; }
  uint64_t pages(const Store& store) const;
  /// Returns the old size in pages, or an error if it cannot grow (past the
  /// maximum, a store limit, or out of memory).
  Result<uint64_t> grow(Store& store, uint64_t delta) const;
  MemoryType type(const Store& store) const;

  /// Checked copies: an error (never a host read or write) if
  /// [offset, offset + size) is not inside the memory.
  Status read(const Store& store, uint64_t offset, std::span<uint8_t> out) const;
  Status write(Store& store, uint64_t offset, std::span<const uint8_t> bytes) const;
  Result<std::string> read_string(const Store& store, uint64_t offset, uint64_t size) const;
  Status write_string(Store& store, uint64_t offset, std::string_view s) const {
    return write(store, offset, {reinterpret_cast<const uint8_t*>(s.data()), s.size()});
  }
  /// A trivially copyable value, little-endian as Wasm stores it.
  template <class T>
  Result<T> read_value(const Store& store, uint64_t offset) const {
    static_assert(std::is_trivially_copyable_v<T>);
    T v;
    BRISK_TRY(read(store, offset, {reinterpret_cast<uint8_t*>(&v), sizeof v}));
    return v;
  }
  template <class T>
  Status write_value(Store& store, uint64_t offset, const T& v) const {
    static_assert(std::is_trivially_copyable_v<T>);
    return write(store, offset, {reinterpret_cast<const uint8_t*>(&v), sizeof v});
  }

  /// The same object of the same store.
  bool operator==(const Memory&) const = default;

 private:
  friend struct detail::Access;
  runtime::LinearMemory* mem_ = nullptr;
  uint64_t store_id_ = 0;
};

}  // namespace brisk

#endif  // BRISK_API_MEMORY_H_
