// Register exhaustion (or any internal limit) fails the function with an
// error naming it; it never hands out a register that holds a live value.
#include <gtest/gtest.h>

#include <asmjit/x86.h>

#include "compiler/codegen/func_compiler.h"
#include "compiler/decode/module_decoder.h"
#include "compiler/validate/func_validator.h"
#include "compiler/x64/masm_x64.h"
#include "runtime/vmcontext.h"

namespace brisk::compiler {
namespace {

// The x64 MacroAssembler with only the given general registers allocatable
// (and xmm1, xmm2): a binary operator needs two registers at once.
template <uint32_t kGp>
class TinyMasm : public x64::X64Masm {
 public:
  using X64Masm::X64Masm;
  static constexpr RegSet kAllocatable{kGp, 0b110};
  // The calling convention over the registers it has (rbx, xmm1).
  static constexpr Reg kIntArgRegs[] = {{3, RegClass::kGp}};
  static constexpr Reg kFloatArgRegs[] = {{1, RegClass::kFp}};
  static constexpr Reg kIntResultReg{3, RegClass::kGp};
  static constexpr Reg kFloatResultReg{1, RegClass::kFp};
};
constexpr uint32_t kRbx = 1u << 3, kRsi = 1u << 6;
static_assert(MacroAssembler<TinyMasm<kRbx>>);

template <uint32_t kGp>
Status compile_with_tiny_masm(const std::vector<uint8_t>& wasm) {
  using Tiny = TinyMasm<kGp>;
  auto m = decode_and_validate(wasm.data(), wasm.size());
  EXPECT_TRUE(m) << m.status().to_string();
  const Module& module = **m;
  runtime::VMLayout layout(module);
  CompileEnv<Tiny> env{module, layout, false};
  asmjit::CodeHolder code;
  code.init(asmjit::Environment(asmjit::Arch::kX64));
  asmjit::x86::Assembler a(&code);
  std::vector<runtime::TrapSite> sites;
  std::vector<Relocation> fixups;
  Tiny masm(a, sites, fixups, false);
  masm.set_unwind_label(a.newLabel());
  const FuncBody& body = module.bodies[0];
  Reader r(module.bytes.data() + body.offset, module.bytes.data() + body.offset + body.size, body.offset, true);
  FuncCompiler<Tiny> fc(env, masm, module.num_imported_funcs);
  return fc.compile(r);
}

// (module (func $pick (param i32 i32 i32 i32) (result i32) BODY))
std::vector<uint8_t> module_with_body(std::vector<uint8_t> body) {
  std::vector<uint8_t> code = {0x00};  // no locals
  code.insert(code.end(), body.begin(), body.end());
  std::vector<uint8_t> out = {0x00, 'a', 's', 'm', 1, 0, 0, 0,
                              0x01, 0x09, 0x01, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f,
                              0x03, 0x02, 0x01, 0x00,
                              0x0a};
  std::vector<uint8_t> section = {0x01, static_cast<uint8_t>(code.size())};
  section.insert(section.end(), code.begin(), code.end());
  out.push_back(static_cast<uint8_t>(section.size()));
  out.insert(out.end(), section.begin(), section.end());
  return out;
}

TEST(Bailout, CodeFitsInTwoRegisters) {
  // (select (i32.add p0 p1) (i32.add p2 p3) (i32.eqz p0))
  Status s = compile_with_tiny_masm<kRbx | kRsi>(module_with_body(
      {0x20, 0x00, 0x20, 0x01, 0x6a, 0x20, 0x02, 0x20, 0x03, 0x6a, 0x20, 0x00, 0x45, 0x1b, 0x0b}));
  EXPECT_TRUE(s.is_ok()) << s.to_string();
}

TEST(Bailout, RegisterExhaustionFailsTheFunctionByName) {
  // The same with one register: i32.add needs two at once.
  Status s = compile_with_tiny_masm<kRbx>(module_with_body(
      {0x20, 0x00, 0x20, 0x01, 0x6a, 0x20, 0x02, 0x20, 0x03, 0x6a, 0x20, 0x00, 0x45, 0x1b, 0x0b}));
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.kind(), ErrorKind::kUnsupported);
  EXPECT_EQ(s.message(), "code generation bailed out in func[0]: no register left to allocate");
  EXPECT_GT(s.offset(), 0);
}

}  // namespace
}  // namespace brisk::compiler
