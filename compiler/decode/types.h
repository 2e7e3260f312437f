// The compiler's names for the value and module types of //module (which the
// runtime and the API share without depending on the compiler).
#ifndef BRISK_COMPILER_DECODE_TYPES_H_
#define BRISK_COMPILER_DECODE_TYPES_H_

#include "module/types.h"

namespace brisk::compiler {

using wasm::ExternKind;
using wasm::FuncType;
using wasm::GlobalType;
using wasm::Limits;
using wasm::MemoryType;
using wasm::TableType;
using wasm::ValType;
using wasm::extern_kind_name;
using wasm::is_num;
using wasm::is_ref;
using wasm::kMaxFunctionBodySize;
using wasm::kMaxLocals;
using wasm::kMaxMemoryPages;
using wasm::kMaxTableElements;
using wasm::kPageSize;
using wasm::slot_units;
using wasm::val_type_name;

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_DECODE_TYPES_H_
