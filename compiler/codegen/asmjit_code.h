// What both backends do with an asmjit CodeHolder outside instruction
// selection: keep asmjit's first error, and publish finished code into an
// executable chunk. ISA-neutral (asmjit's core only).
#ifndef BRISK_COMPILER_CODEGEN_ASMJIT_CODE_H_
#define BRISK_COMPILER_CODEGEN_ASMJIT_CODE_H_

#include <asmjit/core.h>

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

/// Resolves `code` and copies it into a new executable chunk whose unwind
/// stub is at `unwind`.
Result<std::unique_ptr<runtime::CodeChunk>> publish_code(asmjit::CodeHolder& code,
                                                         std::vector<runtime::TrapSite> trap_sites,
                                                         asmjit::Label unwind);

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CODEGEN_ASMJIT_CODE_H_
