// Wasm value types, function types, limits and the other small type records:
// the module representation shared by the compiler, the runtime and the API.
#ifndef BRISK_MODULE_TYPES_H_
#define BRISK_MODULE_TYPES_H_

#include <cstdint>
#include <string>
#include <vector>

namespace brisk::wasm {

/// Value types by their binary encoding. kBottom never appears in a module:
/// the validator uses it for the unknown operands of unreachable code.
enum class ValType : uint8_t {
  kBottom = 0,
  kI32 = 0x7f,
  kI64 = 0x7e,
  kF32 = 0x7d,
  kF64 = 0x7c,
  kV128 = 0x7b,
  kFuncRef = 0x70,
  kExternRef = 0x6f,
};

inline bool is_ref(ValType t) { return t == ValType::kFuncRef || t == ValType::kExternRef; }
inline bool is_num(ValType t) {
  return t == ValType::kI32 || t == ValType::kI64 || t == ValType::kF32 || t == ValType::kF64;
}
const char* val_type_name(ValType t);

/// 8-byte units a value takes where values travel in order: a call's
/// outgoing area, the host's argument/result slots. Two for a v128 (low
/// half first), one for every other type.
constexpr uint32_t slot_units(ValType t) { return t == ValType::kV128 ? 2 : 1; }

/// [params] -> [results]. Equality is structural.
struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
  std::string to_string() const;
  /// Units (slot_units) of all parameters, of all results.
  uint32_t param_units() const { return units(params); }
  uint32_t result_units() const { return units(results); }
  static uint32_t units(const std::vector<ValType>& ts) {
    uint32_t n = 0;
    for (ValType t : ts) n += slot_units(t);
    return n;
  }
};

/// Limits in units of pages (memories) or elements (tables).
struct Limits {
  uint64_t min = 0;
  uint64_t max = 0;
  bool has_max = false;
};

struct TableType {
  ValType elem = ValType::kFuncRef;
  Limits limits;
};

struct MemoryType {
  Limits limits;
};

struct GlobalType {
  ValType type = ValType::kI32;
  bool mut = false;
};

enum class ExternKind : uint8_t { kFunc = 0, kTable = 1, kMemory = 2, kGlobal = 3 };
const char* extern_kind_name(ExternKind k);

inline constexpr uint32_t kMaxMemoryPages = 65536;  // 4 GiB of 64 KiB pages
/// Implementation limit on table sizes and element segment lengths
/// (wasmparser's MAX_WASM_TABLE_ENTRIES): table.grow fails beyond it.
inline constexpr uint32_t kMaxTableElements = 10'000'000;
inline constexpr uint32_t kPageSize = 65536;
/// Implementation limit on a function's parameters plus locals, as in V8.
inline constexpr uint32_t kMaxLocals = 50000;
/// Implementation limit on one function body, as in V8.
inline constexpr uint32_t kMaxFunctionBodySize = 7654321;

}  // namespace brisk::wasm

#endif  // BRISK_MODULE_TYPES_H_
