// Golden encodings for X64Masm operations: each case assembles one
// MacroAssembler operation and compares the bytes (checked once against
// objdump's disassembly, noted beside each case).
#include <gtest/gtest.h>

#include <asmjit/x86.h>

#include <functional>
#include <string>

#include "compiler/x64/masm_x64.h"

namespace brisk::compiler::x64 {
namespace {

constexpr Reg rax{0, RegClass::kGp}, rcx{1, RegClass::kGp}, rdx{2, RegClass::kGp}, rbx{3, RegClass::kGp},
    r12{12, RegClass::kGp};
constexpr Reg xmm0{0, RegClass::kFp}, xmm1{1, RegClass::kFp};

struct Assembled {
  std::string hex;
  std::vector<runtime::TrapSite> trap_sites;
  std::vector<Relocation> fixups;
};

Assembled assemble(const std::function<void(X64Masm&)>& emit, bool explicit_bounds = false,
                   bool debug_checks = false, CpuFeatures cpu = CpuFeatures::all()) {
  asmjit::CodeHolder code;
  code.init(asmjit::Environment(asmjit::Arch::kX64));
  asmjit::x86::Assembler a(&code);
  Assembled out;
  X64Masm masm(a, out.trap_sites, out.fixups, explicit_bounds);
  masm.set_unwind_label(a.newLabel());
  masm.set_debug_checks(debug_checks);
  masm.set_cpu_features(cpu);
  emit(masm);
  code.flatten();
  const asmjit::CodeBuffer& buf = code.textSection()->buffer();
  static const char* kHex = "0123456789abcdef";
  for (size_t i = 0; i < buf.size(); ++i) {
    if (i) out.hex += ' ';
    out.hex += kHex[buf.data()[i] >> 4];
    out.hex += kHex[buf.data()[i] & 15];
  }
  return out;
}

TEST(MasmX64, AddsRegistersIn32And64Bits) {
  // add ebx, ecx / add rbx, rcx (dst == lhs: no move)
  EXPECT_EQ(assemble([](X64Masm& m) { m.int_binop(IntBinop::kAdd, Width::k32, rbx, rbx, Operand::of(rcx)); }).hex,
            "01 cb");
  EXPECT_EQ(assemble([](X64Masm& m) { m.int_binop(IntBinop::kAdd, Width::k64, rbx, rbx, Operand::of(rcx)); }).hex,
            "48 01 cb");
}

TEST(MasmX64, UsesImmediatesForConstants) {
  // sub r12d, 5 / imul eax, eax, 1000
  EXPECT_EQ(assemble([](X64Masm& m) { m.int_binop(IntBinop::kSub, Width::k32, r12, r12, Operand::immediate(5)); }).hex,
            "41 83 ec 05");
  EXPECT_EQ(assemble([](X64Masm& m) { m.int_binop(IntBinop::kMul, Width::k32, rax, rax, Operand::immediate(1000)); }).hex,
            "69 c0 e8 03 00 00");
}

TEST(MasmX64, CompareThenSetCondition) {
  // cmp eax, edx; setl al; movzx eax, al
  EXPECT_EQ(assemble([](X64Masm& m) {
              m.compare(Cond::kLtS, Width::k32, rax, Operand::of(rdx));
              m.set_cond(Cond::kLtS, rax);
            }).hex,
            "39 d0 0f 9c c0 0f b6 c0");
}

TEST(MasmX64, LoadRecordsATrapSiteWithGuardPages) {
  // mov eax, [r15 + rcx + 16]
  Assembled a = assemble([](X64Masm& m) { m.load_mem(LoadKind::kI32, rax, rcx, 16, m.new_label()); });
  EXPECT_EQ(a.hex, "41 8b 44 0f 10");
  ASSERT_EQ(a.trap_sites.size(), 1u);
  EXPECT_EQ(a.trap_sites[0].offset, 0u);
  EXPECT_EQ(a.trap_sites[0].code, runtime::TrapCode::kMemoryOutOfBounds);
}

TEST(MasmX64, ExplicitBoundsChecksBeforeTheAccess) {
  // mov r11d, ecx            ; zero-extended index: its upper half is ignored
  // add r11, 20              ; + offset + size, 64-bit: cannot wrap
  // mov r10, [r14 + memory]
  // cmp r11, [r10 + size]
  // ja oob
  // mov eax, [r15 + r11 - 4] ; the access uses the checked sum
  Assembled a = assemble([](X64Masm& m) { m.load_mem(LoadKind::kI32, rax, rcx, 16, m.new_label()); }, true);
  EXPECT_TRUE(a.trap_sites.empty());
  EXPECT_EQ(a.hex, "41 89 cb 49 83 c3 14 4d 8b 56 10 4d 3b 5a 08 0f 87 00 00 00 00 43 8b 44 1f fc");
}

TEST(MasmX64, ExplicitBoundsCheckWithHugeOffsetUsesA64BitConstant) {
  // mov r11d, ecx; movabs r10, 0xfffffff8 + 8; add r11, r10; mov r10, [r14 + 16];
  // cmp r11, [r10 + 8]; ja oob; mov rax, [r15 + r11 - 8]
  Assembled a = assemble([](X64Masm& m) { m.load_mem(LoadKind::kI64, rax, rcx, 0xfffffff8u, m.new_label()); },
                         true);
  EXPECT_EQ(a.hex, "41 89 cb 49 ba 00 00 00 00 01 00 00 00 4d 01 d3 4d 8b 56 10 4d 3b 5a 08 0f 87 00 00 00 00 4b 8b 44 1f f8");
}

TEST(MasmX64, DebugChecksTrapOnAnAddressWithUpperBitsSet) {
  // mov r11d, ecx; cmp r11, rcx; je ok; mov eax, 14 (kInternalInvariant);
  // lea r10, [rip]; jmp unwind; ok: mov eax, [r15 + rcx + 16]
  Assembled a = assemble([](X64Masm& m) { m.load_mem(LoadKind::kI32, rax, rcx, 16, m.new_label()); }, false,
                         true);
  EXPECT_EQ(a.hex, "41 89 cb 49 39 cb 0f 84 11 00 00 00 b8 0e 00 00 00 4c 8d 15 f9 ff ff ff e9 00 00 00 00 41 8b 44 0f 10");
}

TEST(MasmX64, HelperResultsAreZeroExtended) {
  // mov rdi, r14; mov rax, [r14 + helpers]; call [rax + 8*id]; mov eax, eax
  // (the C ABI leaves rax's upper half undefined for a u32)
  HelperArg args[] = {HelperArg::vmctx()};
  Assembled a = assemble([&](X64Masm& m) { m.call_helper(HelperId::kMemoryGrow, args); });
  EXPECT_EQ(a.hex, "4c 89 f7 49 8b 46 28 ff 10 89 c0");
}

TEST(MasmX64, DirectCallsAreSlotRelocations) {
  Assembled a = assemble([](X64Masm& m) { m.call_direct(7); });
  EXPECT_EQ(a.hex, "e8 00 00 00 00");
  ASSERT_EQ(a.fixups.size(), 1u);
  EXPECT_EQ(a.fixups[0].offset, 1u);
  EXPECT_EQ(a.fixups[0].kind, RelocKind::kDirectCall);
  EXPECT_EQ(a.fixups[0].index, 7u);
}

TEST(MasmX64, SignatureChecksCarryATypeIdRelocation) {
  // The canonical id is not compiled in: the imm32 of the cmp is patched at link.
  Assembled a = assemble([](X64Masm& m) {
    m.call_indirect(64, rcx, 3, m.new_label(), m.new_label(), m.new_label());
  });
  ASSERT_EQ(a.fixups.size(), 1u);
  EXPECT_EQ(a.fixups[0].kind, RelocKind::kTypeId);
  EXPECT_EQ(a.fixups[0].index, 3u);
  // The 4 bytes at the relocation are the placeholder 0x7fffffff.
  std::string at = a.hex.substr(3 * a.fixups[0].offset, 11);
  EXPECT_EQ(at, "ff ff ff 7f");
}

TEST(MasmX64, FloatAddIsScalarSse) {
  // addsd xmm0, xmm1 / addss xmm0, xmm1
  EXPECT_EQ(assemble([](X64Masm& m) { m.float_binop(FloatBinop::kAdd, Width::k64, xmm0, xmm0, xmm1); }).hex,
            "f2 0f 58 c1");
  EXPECT_EQ(assemble([](X64Masm& m) { m.float_binop(FloatBinop::kAdd, Width::k32, xmm0, xmm0, xmm1); }).hex,
            "f3 0f 58 c1");
}

Assembled with_features(const char* spec, const std::function<void(X64Masm&)>& emit) {
  return assemble(emit, false, false, parse_cpu_features(spec).value());
}

TEST(MasmX64, BitCountsUseTheirInstructionsOnlyWhenTheCpuHasThem) {
  auto clz = [](X64Masm& m) { m.int_unop(IntUnop::kClz, Width::k32, rax, rcx); };
  auto ctz = [](X64Masm& m) { m.int_unop(IntUnop::kCtz, Width::k64, rax, rcx); };
  auto pop = [](X64Masm& m) { m.int_unop(IntUnop::kPopcnt, Width::k32, rax, rcx); };
  EXPECT_EQ(with_features("lzcnt", clz).hex, "f3 0f bd c1");        // lzcnt eax, ecx
  // mov r11d, 63; bsr eax, ecx; cmovz eax, r11d; xor eax, 31
  EXPECT_EQ(with_features("baseline", clz).hex, "41 bb 3f 00 00 00 0f bd c1 41 0f 44 c3 83 f0 1f");
  EXPECT_EQ(with_features("bmi1", ctz).hex, "f3 48 0f bc c1");      // tzcnt rax, rcx
  // mov r11, 64; bsf rax, rcx; cmovz rax, r11
  EXPECT_EQ(with_features("baseline", ctz).hex, "49 c7 c3 40 00 00 00 48 0f bc c1 49 0f 44 c3");
  EXPECT_EQ(with_features("popcnt", pop).hex, "f3 0f b8 c1");       // popcnt eax, ecx
  std::string swar = with_features("baseline", pop).hex;
  EXPECT_EQ(swar.find("f3 0f b8"), std::string::npos);               // no popcnt
  EXPECT_EQ(swar.substr(swar.size() - 8), "c1 e8 18");  // ends with shr eax, 24 (the sum in the top byte)
}

TEST(MasmX64, RoundingUsesSse41OnlyWhenPresent) {
  auto floor64 = [](X64Masm& m) { m.float_unop(FloatUnop::kFloor, Width::k64, xmm0, xmm1); };
  EXPECT_EQ(with_features("sse4.1", floor64).hex, "66 0f 3a 0b c1 01");  // roundsd xmm0, xmm1, 1
  std::string sse2 = with_features("baseline", floor64).hex;
  EXPECT_EQ(sse2.find("66 0f 3a 0b"), std::string::npos);
  EXPECT_EQ(sse2.find("66 0f 3a 0a"), std::string::npos);
}

TEST(CpuFeatures, ParsesMasksAndNamesThem) {
  EXPECT_EQ(parse_cpu_features("").value(), CpuFeatures::all());
  EXPECT_EQ(parse_cpu_features("baseline").value(), CpuFeatures::baseline());
  CpuFeatures two = parse_cpu_features("sse4.1,popcnt").value();
  EXPECT_TRUE(two.has(CpuFeature::kSse41));
  EXPECT_TRUE(two.has(CpuFeature::kPopcnt));
  EXPECT_FALSE(two.has(CpuFeature::kLzcnt));
  EXPECT_EQ(two.to_string(), "popcnt,sse4.1");
  EXPECT_FALSE(parse_cpu_features("sse4.1,,popcnt"));
  EXPECT_FALSE(parse_cpu_features("SSE4.1"));
  EXPECT_EQ(CpuFeatures::baseline().to_string(), "baseline");
}

TEST(CpuFeatures, EnvironmentVariableMasksWhatTheHostHas) {
  CpuFeatures host = host_cpu_features();
  setenv("BRISK_CPU_FEATURES", "baseline", 1);
  EXPECT_EQ(effective_cpu_features("").value(), CpuFeatures::baseline());
  setenv("BRISK_CPU_FEATURES", "lzcnt,popcnt", 1);
  EXPECT_EQ(effective_cpu_features("").value(), host & parse_cpu_features("lzcnt,popcnt").value());
  EXPECT_EQ(effective_cpu_features("popcnt").value(), host & parse_cpu_features("popcnt").value());
  setenv("BRISK_CPU_FEATURES", "turbo", 1);
  auto bad = effective_cpu_features("");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().message().rfind("BRISK_CPU_FEATURES: unknown CPU feature \"turbo\"", 0), 0u);
  unsetenv("BRISK_CPU_FEATURES");
  EXPECT_EQ(effective_cpu_features("").value(), host);
}

TEST(MasmX64, BranchesBackInReachAreShortOthersRel32) {
  // A loop header bound first: jmp/jcc back to it take the 2-byte forms
  // while in reach, the 5/6-byte ones beyond; forward ones are rel32,
  // patched at bind.
  Assembled a = assemble([](X64Masm& m) {
    auto top = m.new_label();
    auto end = m.new_label();
    m.bind(top);
    m.jump(top);                          // eb fe
    m.branch(Cond::kEq, top);             // 74 fc
    m.branch(Cond::kNe, end);             // 0f 85 rel32 -> end
    for (int i = 0; i < 64; ++i) m.int_binop(IntBinop::kAdd, Width::k32, rax, rax, Operand::of(rcx));
    m.jump(top);                          // e9 rel32 (out of short reach)
    m.bind(end);
    EXPECT_EQ(m.label_errors(), 0u);
  });
  std::string h = a.hex;
  EXPECT_EQ(h.substr(0, 17), "eb fe 74 fc 0f 85");
  // 0f 85 at offset 4: rel32 = end - 10; end = 10 + 128 + 5 = 143.
  EXPECT_EQ(h.substr(18, 11), "85 00 00 00");
  // jmp back at 138: e9, rel32 = 0 - 143 = 0xffffff71.
  EXPECT_EQ(h.substr(138 * 3, 14), "e9 71 ff ff ff");
}

TEST(MasmX64, LabelsNeverBoundOrBoundTwiceAreCounted) {
  assemble([](X64Masm& m) {
    auto l = m.new_label();
    m.jump(l);
    EXPECT_EQ(m.label_errors(), 1u);  // a branch waits for l
    m.bind(l);
    EXPECT_EQ(m.label_errors(), 0u);
    m.bind(l);
    EXPECT_EQ(m.label_errors(), 1u);  // bound twice
  });
}

TEST(MasmX64, JumpTableEntriesAreDeltasFromTheTable) {
  Assembled a = assemble([](X64Masm& m) {
    auto back = m.new_label();
    auto fwd = m.new_label();
    m.bind(back);
    m.int_binop(IntBinop::kAdd, Width::k32, rax, rax, Operand::of(rcx));  // 2 bytes
    std::vector<X64Masm::Label> targets = {back, fwd};
    m.jump_table(rax, targets);
    m.bind(fwd);
  });
  // add (2), cmp eax, 2 (3), jae rel32 (6), lea r11 (7), movsxd (4), add (3), jmp r10 (3): table at 28,
  // 10 bytes after the lea.
  std::string h = a.hex;
  EXPECT_EQ(h.substr(11 * 3, 20), "4c 8d 1d 0a 00 00 00");
  // Entries: back - 28 = -28 (e4 ff ff ff); fwd = 36, 36 - 28 = 8.
  EXPECT_EQ(h.substr(28 * 3), "e4 ff ff ff 08 00 00 00");
}

TEST(MasmX64, FrameSlotsAreRbpRelative) {
  // mov rbx, [rbp - 24] (i64) / mov [rbp - 24], rbx
  EXPECT_EQ(assemble([](X64Masm& m) { m.load_frame(rbx, ValType::kI64, -24); }).hex, "48 8b 5d e8");
  EXPECT_EQ(assemble([](X64Masm& m) { m.store_frame(-24, rbx, ValType::kI64); }).hex, "48 89 5d e8");
}

}  // namespace
}  // namespace brisk::compiler::x64
