/// \file How C++ types map to Wasm value types in typed calls, and the
/// 8-byte slot form values travel in between host and Wasm code.
#ifndef BRISK_API_WASM_TYPE_H_
#define BRISK_API_WASM_TYPE_H_

#include <array>
#include <bit>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <vector>

#include "brisk/func.h"
#include "brisk/status.h"
#include "brisk/types.h"

namespace brisk {

class Store;

namespace detail {

struct Access;

/// What a typed callback needs of the store it runs in to turn a funcref
/// slot into a Func.
Func func_from_slot(uint64_t bits, uint64_t store_id);
uint64_t func_to_slot(const Func& f);

template <class T> struct WasmType;  // undefined: not a Wasm type
template <> struct WasmType<int32_t> {
  static constexpr ValKind kind = ValKind::kI32;
  static uint64_t to_slot(int32_t v) { return static_cast<uint32_t>(v); }
  static int32_t from_slot(uint64_t b, uint64_t) { return static_cast<int32_t>(b); }
};
template <> struct WasmType<uint32_t> {
  static constexpr ValKind kind = ValKind::kI32;
  static uint64_t to_slot(uint32_t v) { return v; }
  static uint32_t from_slot(uint64_t b, uint64_t) { return static_cast<uint32_t>(b); }
};
template <> struct WasmType<int64_t> {
  static constexpr ValKind kind = ValKind::kI64;
  static uint64_t to_slot(int64_t v) { return static_cast<uint64_t>(v); }
  static int64_t from_slot(uint64_t b, uint64_t) { return static_cast<int64_t>(b); }
};
template <> struct WasmType<uint64_t> {
  static constexpr ValKind kind = ValKind::kI64;
  static uint64_t to_slot(uint64_t v) { return v; }
  static uint64_t from_slot(uint64_t b, uint64_t) { return b; }
};
template <> struct WasmType<float> {
  static constexpr ValKind kind = ValKind::kF32;
  static uint64_t to_slot(float v) { return std::bit_cast<uint32_t>(v); }
  static float from_slot(uint64_t b, uint64_t) { return std::bit_cast<float>(static_cast<uint32_t>(b)); }
};
template <> struct WasmType<double> {
  static constexpr ValKind kind = ValKind::kF64;
  static uint64_t to_slot(double v) { return std::bit_cast<uint64_t>(v); }
  static double from_slot(uint64_t b, uint64_t) { return std::bit_cast<double>(b); }
};
template <> struct WasmType<ExternRef> {
  static constexpr ValKind kind = ValKind::kExternRef;
  static uint64_t to_slot(ExternRef v) { return reinterpret_cast<uintptr_t>(v.ptr); }
  static ExternRef from_slot(uint64_t b, uint64_t) { return ExternRef{reinterpret_cast<void*>(b)}; }
};
template <> struct WasmType<Func> {
  static constexpr ValKind kind = ValKind::kFuncRef;
  static uint64_t to_slot(const Func& f) { return func_to_slot(f); }
  static Func from_slot(uint64_t b, uint64_t store_id) { return func_from_slot(b, store_id); }
};
/// A v128 takes two slots (low half first); see slot_units in module/types.h.
template <> struct WasmType<V128> {
  static constexpr ValKind kind = ValKind::kV128;
};

template <class T> using Bare = std::remove_cvref_t<T>;

/// Slots (8-byte units) a value of T takes, and the position of each of
/// T... in a positional slot array.
template <class T> inline constexpr size_t kUnits = std::is_same_v<Bare<T>, V128> ? 2 : 1;
template <class... T> constexpr std::array<size_t, sizeof...(T) + 1> unit_offsets() {
  std::array<size_t, sizeof...(T) + 1> out{};
  size_t units[] = {kUnits<T>..., 0};
  for (size_t i = 0; i < sizeof...(T); ++i) out[i + 1] = out[i] + units[i];
  return out;
}
template <class... T> inline constexpr size_t kTotalUnits = unit_offsets<T...>()[sizeof...(T)];

template <class T> void put_slot(uint64_t* at, const T& v) {
  if constexpr (std::is_same_v<Bare<T>, V128>) {
    at[0] = v.lo;
    at[1] = v.hi;
  } else {
    at[0] = WasmType<Bare<T>>::to_slot(v);
  }
}
template <class T> Bare<T> get_slot(const uint64_t* at, uint64_t store_id) {
  if constexpr (std::is_same_v<Bare<T>, V128>) return V128{at[0], at[1]};
  else return WasmType<Bare<T>>::from_slot(at[0], store_id);
}

/// The Wasm results of a C++ return type: void, T, std::tuple<T...>.
template <class R> struct Results {
  static std::vector<ValKind> kinds() { return {WasmType<R>::kind}; }
  static constexpr size_t count = 1;
  static constexpr size_t units = kUnits<R>;
  static void store(uint64_t* slots, const R& r) { put_slot<R>(slots, r); }
  static R load(const uint64_t* slots, uint64_t id) { return get_slot<R>(slots, id); }
};
template <> struct Results<void> {
  static std::vector<ValKind> kinds() { return {}; }
  static constexpr size_t count = 0;
  static constexpr size_t units = 0;
};
template <class... T> struct Results<std::tuple<T...>> {
  static std::vector<ValKind> kinds() { return {WasmType<Bare<T>>::kind...}; }
  static constexpr size_t count = sizeof...(T);
  static constexpr size_t units = kTotalUnits<T...>;
  static void store(uint64_t* slots, const std::tuple<T...>& r) {
    constexpr auto at = unit_offsets<T...>();
    [&]<size_t... I>(std::index_sequence<I...>) {
      (put_slot<T>(slots + at[I], std::get<I>(r)), ...);
    }(std::index_sequence_for<T...>{});
  }
  static std::tuple<T...> load(const uint64_t* slots, uint64_t id) {
    constexpr auto at = unit_offsets<T...>();
    return [&]<size_t... I>(std::index_sequence<I...>) {
      return std::tuple<T...>(get_slot<T>(slots + at[I], id)...);
    }(std::index_sequence_for<T...>{});
  }
};

template <class... A> std::vector<ValKind> param_kinds() { return {WasmType<Bare<A>>::kind...}; }

}  // namespace detail
}  // namespace brisk

#endif  // BRISK_API_WASM_TYPE_H_
