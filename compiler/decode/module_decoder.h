// Binary module decoding (every Wasm 2.0 section) plus the module-level
// validation rules; function bodies are validated by compiler/validate.
#ifndef BRISK_COMPILER_DECODE_MODULE_DECODER_H_
#define BRISK_COMPILER_DECODE_MODULE_DECODER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "brisk/status.h"
#include "compiler/decode/module.h"

namespace brisk::compiler {

/// Decodes `bytes` and validates everything outside function bodies. A
/// malformed error wins over an invalid one found earlier, since the spec
/// decodes the whole binary before validating it.
Result<std::unique_ptr<Module>> decode_module(const uint8_t* bytes, size_t size);
/// The same, keeping `bytes` as the module's copy of the binary (the caller
/// may have allocated it where it likes: huge pages for a big module).
Result<std::unique_ptr<Module>> decode_module(std::vector<uint8_t> bytes);

/// Decodes a body without validating it (to find malformedness after a
/// validation error).
Status scan_function_body(const Module& module, uint32_t defined_index);

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_DECODE_MODULE_DECODER_H_
