// Drives FuncCompiler<X64Masm> over a module and publishes the code.
#include "compiler/module_compiler.h"

#include <asmjit/x86.h>

#include "compiler/codegen/func_compiler.h"
#include "compiler/validate/func_validator.h"
#include "compiler/x64/masm_x64.h"
#include "runtime/vmcontext.h"

namespace brisk::compiler {

namespace {

class AsmErrors : public asmjit::ErrorHandler {
 public:
  void handleError(asmjit::Error err, const char* message, asmjit::BaseEmitter*) override {
    if (!error) {
      error = err;
      text = message;
    }
  }
  asmjit::Error error = asmjit::kErrorOk;
  std::string text;
};

}  // namespace

Result<CompiledModule> compile_module(const Module& module, std::span<const uint32_t> type_ids,
                                      const RuntimeHelpers& helpers, const CompileOptions& options) {
  asmjit::CodeHolder code;
  code.init(asmjit::Environment(asmjit::Arch::kX64));
  AsmErrors errors;
  code.setErrorHandler(&errors);
  asmjit::x86::Assembler a(&code);

  std::vector<runtime::TrapSite> trap_sites;
  asmjit::Label unwind = a.newLabel();
  a.bind(unwind);
  x64::X64Masm::emit_unwind_stub(a);

  uint32_t n = module.num_defined_funcs();
  std::vector<asmjit::Label> labels(n);
  for (auto& l : labels) l = a.newLabel();
  runtime::VMLayout layout(module);
  CompileEnv<x64::X64Masm> env{module, layout, type_ids, labels, helpers};

  Status unsupported;
  for (uint32_t i = 0; i < n; ++i) {
    const FuncBody& body = module.bodies[i];
    Reader r(module.bytes.data() + body.offset, module.bytes.data() + body.offset + body.size, body.offset,
             true);
    a.align(asmjit::AlignMode::kCode, 16);
    a.bind(labels[i]);
    x64::X64Masm masm(a, trap_sites, options.explicit_bounds);
    masm.set_unwind_label(unwind);
    FuncCompiler<x64::X64Masm> fc(env, masm, module.num_imported_funcs + i);
    Status s = fc.compile(r);
    if (s.is_ok()) {
      if (errors.error != asmjit::kErrorOk) {
        return Status(ErrorKind::kUnsupported, "code generation failed in " + module.func_display_name(
                                                   module.num_imported_funcs + i) + ": " + errors.text);
      }
      continue;
    }
    if (s.kind() == ErrorKind::kMalformed) return s;
    // Invalid or not compilable: the rest must still be checked, and a
    // malformed body later on wins (decoding precedes validation).
    if (s.kind() == ErrorKind::kInvalid) {
      for (uint32_t j = i; j < n; ++j) BRISK_TRY(scan_function_body(module, j));
      return s;
    }
    if (unsupported.is_ok()) unsupported = s;
    BRISK_TRY(validate_functions(module));
    return unsupported;
  }

  if (errors.error != asmjit::kErrorOk) return Status(ErrorKind::kUnsupported, "code generation failed: " + errors.text);
  CompiledModule out;
  BRISK_ASSIGN_OR_RETURN(out.code, x64::publish_code(code, std::move(trap_sites), unwind));
  out.func_offsets.resize(n);
  for (uint32_t i = 0; i < n; ++i) out.func_offsets[i] = static_cast<uint32_t>(code.labelOffsetFromBase(labels[i]));
  return out;
}

}  // namespace brisk::compiler
