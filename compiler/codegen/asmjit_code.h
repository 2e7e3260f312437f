// What both backends do with an asmjit CodeHolder outside instruction
// selection: keep asmjit's first error, and publish finished code into an
// executable chunk. ISA-neutral (asmjit's core only).
#ifndef BRISK_COMPILER_CODEGEN_ASMJIT_CODE_H_
#define BRISK_COMPILER_CODEGEN_ASMJIT_CODE_H_

#include <asmjit/core.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "brisk/status.h"
#include "runtime/code_memory.h"

namespace brisk::compiler {

/// asmjit's first error and its message (later ones are consequences).
class FirstError : public asmjit::ErrorHandler {
 public:
  void handleError(asmjit::Error err, const char* message, asmjit::BaseEmitter*) override {
    if (error == asmjit::kErrorOk) {
      error = err;
      text = message;
    }
  }
  asmjit::Error error = asmjit::kErrorOk;
  std::string text;
};

/// A function's 16-byte constants (SIMD): one label per distinct value,
/// emitted 16-byte aligned after the function's code.
class ConstantPool {
 public:
  /// The label of `bytes` (a new entry, or one of the first 64 with the
  /// same bytes).
  asmjit::Label get(asmjit::BaseEmitter& a, const uint8_t (&bytes)[16]);
  /// Binds and embeds every entry, then forgets them (the next function).
  void emit(asmjit::BaseEmitter& a);

 private:
  struct Entry {
    asmjit::Label label;
    uint8_t bytes[16];
  };
  std::vector<Entry> entries_;
};

/// Resolves `code` and copies it into a new executable chunk whose unwind
/// stub is at `unwind`.
Result<std::unique_ptr<runtime::CodeChunk>> publish_code(asmjit::CodeHolder& code,
                                                         std::vector<runtime::TrapSite> trap_sites,
                                                         asmjit::Label unwind);

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CODEGEN_ASMJIT_CODE_H_
