// Names of types and functions, for messages and the text forms.
#include "module/module.h"

#include <algorithm>

namespace brisk::wasm {

const char* val_type_name(ValType t) {
  switch (t) {
    case ValType::kI32: return "i32";
    case ValType::kI64: return "i64";
    case ValType::kF32: return "f32";
    case ValType::kF64: return "f64";
    case ValType::kV128: return "v128";
    case ValType::kFuncRef: return "funcref";
    case ValType::kExternRef: return "externref";
    case ValType::kBottom: return "<unknown>";
  }
  return "?";
}

const char* extern_kind_name(ExternKind k) {
  switch (k) {
    case ExternKind::kFunc: return "func";
    case ExternKind::kTable: return "table";
    case ExternKind::kMemory: return "memory";
    case ExternKind::kGlobal: return "global";
  }
  return "?";
}

std::string FuncType::to_string() const {
  std::string s = "[";
  for (size_t i = 0; i < params.size(); ++i) s += (i ? " " : "") + std::string(val_type_name(params[i]));
  s += "] -> [";
  for (size_t i = 0; i < results.size(); ++i) s += (i ? " " : "") + std::string(val_type_name(results[i]));
  return s + "]";
}

std::optional<std::string_view> Module::func_name(uint32_t func_index) const {
  auto it = std::lower_bound(func_names.begin(), func_names.end(), func_index,
                             [](const FuncName& n, uint32_t i) { return n.func_index < i; });
  if (it == func_names.end() || it->func_index != func_index) return std::nullopt;
  return std::string_view(reinterpret_cast<const char*>(bytes.data()) + it->offset, it->size);
}

std::string Module::func_display_name(uint32_t func_index) const {
  if (auto n = func_name(func_index)) return std::string(*n);
  return "func[" + std::to_string(func_index) + "]";
}

}  // namespace brisk::wasm
