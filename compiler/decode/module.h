// The compiler's names for the decoded module of //module.
#ifndef BRISK_COMPILER_DECODE_MODULE_H_
#define BRISK_COMPILER_DECODE_MODULE_H_

#include "compiler/decode/types.h"
#include "module/module.h"

namespace brisk::compiler {

using wasm::ConstExpr;
using wasm::DataSegment;
using wasm::ElemItem;
using wasm::ElemSegment;
using wasm::Export;
using wasm::FuncBody;
using wasm::Import;
using wasm::Module;
using wasm::SegmentMode;

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_DECODE_MODULE_H_
