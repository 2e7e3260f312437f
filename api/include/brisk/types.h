/// \file Wasm types and values as the embedder API sees them.
#ifndef BRISK_API_TYPES_H_
#define BRISK_API_TYPES_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <variant>
#include <vector>

namespace brisk {

/// Value types.
enum class ValKind : uint8_t { kI32, kI64, kF32, kF64, kV128, kFuncRef, kExternRef };

/// A function signature: [params] -> [results].
struct FuncType {
  std::vector<ValKind> params;
  std::vector<ValKind> results;
  bool operator==(const FuncType&) const = default;
};

/// Limits in pages (memories) or elements (tables).
struct Limits {
  uint64_t min = 0;
  uint64_t max = 0;
  bool has_max = false;
  bool operator==(const Limits&) const = default;
};

struct MemoryType {
  Limits limits;
  bool operator==(const MemoryType&) const = default;
};

struct TableType {
  ValKind element = ValKind::kFuncRef;
  Limits limits;
  bool operator==(const TableType&) const = default;
};

struct GlobalType {
  ValKind kind = ValKind::kI32;
  bool mut = false;
  bool operator==(const GlobalType&) const = default;
};

/// The type of an import or export.
using ExternType = std::variant<FuncType, TableType, MemoryType, GlobalType>;

struct ImportType {
  std::string module, name;
  ExternType type;
};

struct ExportType {
  std::string name;
  ExternType type;
};

/// "func", "table", "memory" or "global".
const char* extern_kind_name(const ExternType& t);
/// Text form: "[i32 i32] -> [i32]", "funcref min 1", "min 1 pages", "mut i32".
std::string to_string(const ExternType& t);
std::string to_string(const FuncType& t);

/// A 128-bit vector value, lanes little-endian (lane 0 in the low bits of `lo`).
struct V128 {
  uint64_t lo = 0, hi = 0;
  bool operator==(const V128&) const = default;
};

/// An externref as a typed host-function parameter or result: any host
/// pointer, nullptr for ref.null extern.
struct ExternRef {
  void* ptr = nullptr;
  bool operator==(const ExternRef&) const = default;
};

class Func;

/// A Wasm value. References are opaque: a funcref is a Func handle's
/// identity, an externref any host pointer (nullptr is ref.null).
namespace detail { struct Access; }

class Val {
 public:
  Val() = default;
  static Val i32(int32_t v) { Val x(ValKind::kI32); x.bits_ = static_cast<uint32_t>(v); return x; }
  static Val i64(int64_t v) { Val x(ValKind::kI64); x.bits_ = static_cast<uint64_t>(v); return x; }
  static Val f32(float v) { Val x(ValKind::kF32); uint32_t b; memcpy(&b, &v, 4); x.bits_ = b; return x; }
  static Val f64(double v) { Val x(ValKind::kF64); memcpy(&x.bits_, &v, 8); return x; }
  static Val f32_bits(uint32_t b) { Val x(ValKind::kF32); x.bits_ = b; return x; }
  static Val f64_bits(uint64_t b) { Val x(ValKind::kF64); x.bits_ = b; return x; }
  static Val externref(void* p) { Val x(ValKind::kExternRef); x.bits_ = reinterpret_cast<uintptr_t>(p); return x; }
  static Val null_funcref() { return Val(ValKind::kFuncRef); }
  /// A v128 from its two little-endian 64-bit halves (lanes 0.. in `lo`).
  static Val v128(uint64_t lo, uint64_t hi) { Val x(ValKind::kV128); x.bits_ = lo; x.hi_ = hi; return x; }
  static Val v128(V128 v) { return v128(v.lo, v.hi); }
  /// Raw construction from the 8-byte slot representation. 32-bit kinds keep
  /// only the low half, so bits() always has a zero upper half for them: the
  /// form generated code relies on (docs/BACKENDS.md).
  static Val from_bits(ValKind k, uint64_t bits) {
    Val x(k);
    x.bits_ = k == ValKind::kI32 || k == ValKind::kF32 ? bits & 0xffffffffu : bits;
    return x;
  }

  ValKind kind() const { return kind_; }
  int32_t i32() const { return static_cast<int32_t>(bits_); }
  int64_t i64() const { return static_cast<int64_t>(bits_); }
  float f32() const { float f; uint32_t b = static_cast<uint32_t>(bits_); memcpy(&f, &b, 4); return f; }
  double f64() const { double d; memcpy(&d, &bits_, 8); return d; }
  void* externref() const { return reinterpret_cast<void*>(static_cast<uintptr_t>(bits_)); }
  uint64_t v128_lo() const { return bits_; }
  uint64_t v128_hi() const { return hi_; }
  V128 v128() const { return V128{bits_, hi_}; }
  bool is_null_ref() const { return bits_ == 0; }
  /// The slot representation (i32 zero-extended, float bit patterns, ref pointers).
  uint64_t bits() const { return bits_; }

 private:
  friend struct detail::Access;
  explicit Val(ValKind k) : kind_(k) {}
  ValKind kind_ = ValKind::kI32;
  uint64_t bits_ = 0;
  uint64_t hi_ = 0;  ///< the upper half of a v128; a non-null funcref's store id
};

const char* val_kind_name(ValKind k);

}  // namespace brisk

#endif  // BRISK_API_TYPES_H_
