// The decoded (and module-level validated) form of a Wasm binary. Function
// bodies stay as byte ranges: the fused validate-and-compile pass reads them.
#ifndef BRISK_MODULE_MODULE_H_
#define BRISK_MODULE_MODULE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "module/types.h"

namespace brisk::wasm {

/// A constant expression. Wasm 2.0 allows exactly one instruction before
/// `end`: a constant, ref.null, ref.func or global.get.
struct ConstExpr {
  enum class Kind : uint8_t { kI32, kI64, kF32, kF64, kV128, kRefNull, kRefFunc, kGlobalGet };
  Kind kind = Kind::kI32;
  ValType type = ValType::kI32;  ///< the value's type (for kGlobalGet, the global's)
  uint32_t index = 0;            ///< function (kRefFunc) or global (kGlobalGet) index
  uint64_t bits[2] = {0, 0};     ///< constant bits, little-endian lanes for v128
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::kFunc;
  uint32_t type_index = 0;  ///< kFunc
  TableType table;          ///< kTable
  MemoryType memory;        ///< kMemory
  GlobalType global;        ///< kGlobal
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::kFunc;
  uint32_t index = 0;
};

enum class SegmentMode : uint8_t { kActive, kPassive, kDeclarative };

/// One element segment item in 4 bytes (a 10M-item segment costs 40 MB, not
/// the 240 MB of a ConstExpr each): ref.func f, ref.null, or global.get g.
/// Indices are below kMaxIndex (an index past it is invalid anyway: no
/// module within the size limits declares that many functions or globals).
struct ElemItem {
  enum class Kind : uint8_t { kRefFunc, kRefNull, kGlobalGet };
  static constexpr uint32_t kMaxIndex = (1u << 30) - 1;
  uint32_t bits = 1u << 30;  // ref.null
  static ElemItem ref_func(uint32_t f) { return {f & kMaxIndex}; }
  static ElemItem ref_null() { return {1u << 30}; }
  static ElemItem global_get(uint32_t g) { return {(2u << 30) | (g & kMaxIndex)}; }
  Kind kind() const { return static_cast<Kind>(bits >> 30); }
  uint32_t index() const { return bits & kMaxIndex; }
};

struct ElemSegment {
  SegmentMode mode = SegmentMode::kActive;
  uint32_t table = 0;
  ConstExpr offset;               ///< kActive only
  ValType type = ValType::kFuncRef;
  std::vector<ElemItem> items;    ///< function-index forms become ref.func items
};

struct DataSegment {
  SegmentMode mode = SegmentMode::kActive;
  uint32_t memory = 0;
  ConstExpr offset;        ///< kActive only
  uint32_t bytes_offset = 0;  ///< where the bytes start in Module::bytes
  uint32_t size = 0;
};

/// A function body: [offset, offset + size) of Module::bytes, starting with
/// the local declarations.
struct FuncBody {
  uint32_t offset = 0;
  uint32_t size = 0;
};

struct Module {
  std::vector<uint8_t> bytes;  ///< the binary; bodies and data point into it

  std::vector<FuncType> types;
  std::vector<Import> imports;

  // Index spaces, imports first.
  std::vector<uint32_t> funcs;  ///< type index of every function
  std::vector<TableType> tables;
  std::vector<MemoryType> memories;
  std::vector<GlobalType> globals;
  uint32_t num_imported_funcs = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;

  std::vector<ConstExpr> global_inits;  ///< one per defined global
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  std::optional<uint32_t> data_count;
  std::vector<FuncBody> bodies;  ///< one per defined function

  /// C.refs of the spec: functions that ref.func may name inside bodies
  /// (those referenced from exports, globals or element segments).
  std::vector<bool> declared_funcs;

  /// From the `name` custom section, when present and well-formed.
  std::string module_name;
  /// A function's name: where it is in `bytes` (no copy: biome names 35,881
  /// functions in 7.7 MB). Sorted by function index, one per index.
  struct FuncName {
    uint32_t func_index;
    uint32_t offset;
    uint32_t size;
  };
  std::vector<FuncName> func_names;
  /// The name section's name for a function, if it has one.
  std::optional<std::string_view> func_name(uint32_t func_index) const;

  const FuncType& func_type(uint32_t func_index) const { return types[funcs[func_index]]; }
  uint32_t num_defined_funcs() const { return static_cast<uint32_t>(bodies.size()); }
  /// Name for messages and backtraces: the name section's, or "func[N]".
  std::string func_display_name(uint32_t func_index) const;
};

}  // namespace brisk::wasm

#endif  // BRISK_MODULE_MODULE_H_
