// RawX64 against asmjit: every form over every register, width, and a
// spread of displacements and immediates must give asmjit's bytes.
#include <gtest/gtest.h>

#include <asmjit/x86.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "compiler/x64/raw_x64.h"

namespace brisk::compiler::x64 {
namespace {

namespace x86 = asmjit::x86;
using Emit = std::function<void(x86::Assembler&)>;

std::vector<uint8_t> bytes_of(const std::function<void(x86::Assembler&)>& f) {
  asmjit::CodeHolder code;
  code.init(asmjit::Environment(asmjit::Arch::kX64));
  x86::Assembler a(&code);
  a.nop();  // asmjit allocates the buffer: RawX64 only writes where there is room
  f(a);
  asmjit::CodeBuffer& buf = code.textSection()->buffer();
  return std::vector<uint8_t>(buf.data() + 1, buf.data() + buf.size());
}

x86::Gp gp(int code, bool w64) { return w64 ? x86::Gp(x86::gpq(code)) : x86::Gp(x86::gpd(code)); }

const int32_t kDisps[] = {0, 1, -1, 8, -8, 127, -128, 128, -129, 0x10, -0x7ff0, 0x12345678, INT32_MIN};
const int32_t kImms[] = {0, 1, -1, 127, -128, 128, -129, 255, 0x10000, -0x10000, INT32_MAX, INT32_MIN};

TEST(RawX64, RegisterRegisterFormsMatchAsmjit) {
  struct Op { uint8_t opcode; asmjit::InstId id; } ops[] = {
      {RawX64::kMovStore, x86::Inst::kIdMov}, {RawX64::kAdd, x86::Inst::kIdAdd}, {RawX64::kSub, x86::Inst::kIdSub},
      {RawX64::kAnd, x86::Inst::kIdAnd}, {RawX64::kOr, x86::Inst::kIdOr}, {RawX64::kXor, x86::Inst::kIdXor},
      {RawX64::kCmp, x86::Inst::kIdCmp}, {RawX64::kTest, x86::Inst::kIdTest}};
  int n = 0;
  for (const Op& op : ops) {
    for (bool w : {false, true}) {
      for (int d = 0; d < 16; ++d) {
        for (int s = 0; s < 16; ++s) {
          auto want = bytes_of([&](x86::Assembler& a) { a.emit(op.id, gp(d, w), gp(s, w)); });
          auto got = bytes_of([&](x86::Assembler& a) { ASSERT_TRUE(RawX64(a).rr(op.opcode, w, d, s)); });
          ASSERT_EQ(got, want) << "opcode " << int(op.opcode) << " w64 " << w << " dst " << d << " src " << s;
          ++n;
        }
      }
    }
  }
  EXPECT_EQ(n, 8 * 2 * 16 * 16);
  for (int d = 0; d < 16; ++d) {
    for (int s = 0; s < 16; ++s) {
      auto want = bytes_of([&](x86::Assembler& a) { a.movsxd(x86::gpq(d), x86::gpd(s)); });
      auto got = bytes_of([&](x86::Assembler& a) { ASSERT_TRUE(RawX64(a).rr(RawX64::kMovsxd, true, s, d)); });
      ASSERT_EQ(got, want) << "movsxd dst " << d << " src " << s;
    }
  }
}

TEST(RawX64, MemoryFormsMatchAsmjit) {
  for (bool w : {false, true}) {
    for (int r = 0; r < 16; ++r) {
      for (int b = 0; b < 16; ++b) {
        for (int32_t disp : kDisps) {
          x86::Mem m = w ? x86::qword_ptr(x86::gpq(b), disp) : x86::dword_ptr(x86::gpq(b), disp);
          auto load = bytes_of([&](x86::Assembler& a) { a.mov(gp(r, w), m); });
          auto raw_load = bytes_of([&](x86::Assembler& a) { ASSERT_TRUE(RawX64(a).rm(RawX64::kMovLoad, w, r, b, disp)); });
          ASSERT_EQ(raw_load, load) << "load w64 " << w << " reg " << r << " base " << b << " disp " << disp;
          auto store = bytes_of([&](x86::Assembler& a) { a.mov(m, gp(r, w)); });
          auto raw_store = bytes_of([&](x86::Assembler& a) { ASSERT_TRUE(RawX64(a).rm(RawX64::kMovStore, w, r, b, disp)); });
          ASSERT_EQ(raw_store, store) << "store w64 " << w << " reg " << r << " base " << b << " disp " << disp;
        }
      }
    }
  }
}

TEST(RawX64, ImmediateFormsMatchAsmjit) {
  struct Op { uint8_t digit; asmjit::InstId id; } ops[] = {
      {RawX64::kAddDigit, x86::Inst::kIdAdd}, {RawX64::kOrDigit, x86::Inst::kIdOr}, {RawX64::kAndDigit, x86::Inst::kIdAnd},
      {RawX64::kSubDigit, x86::Inst::kIdSub}, {RawX64::kXorDigit, x86::Inst::kIdXor}, {RawX64::kCmpDigit, x86::Inst::kIdCmp}};
  for (const Op& op : ops) {
    for (bool w : {false, true}) {
      for (int r = 0; r < 16; ++r) {
        for (int32_t imm : kImms) {
          auto want = bytes_of([&](x86::Assembler& a) { a.emit(op.id, gp(r, w), asmjit::Imm(imm)); });
          auto got = bytes_of([&](x86::Assembler& a) { ASSERT_TRUE(RawX64(a).ri(op.digit, w, r, imm)); });
          ASSERT_EQ(got, want) << "digit " << int(op.digit) << " w64 " << w << " reg " << r << " imm " << imm;
        }
      }
    }
  }
  for (int r = 0; r < 16; ++r) {
    for (int32_t imm : kImms) {
      auto want = bytes_of([&](x86::Assembler& a) { a.mov(x86::gpd(r), asmjit::Imm(static_cast<uint32_t>(imm))); });
      auto got = bytes_of([&](x86::Assembler& a) { ASSERT_TRUE(RawX64(a).mov_ri32(r, static_cast<uint32_t>(imm))); });
      ASSERT_EQ(got, want) << "mov r32 " << r << ", " << imm;
    }
  }
}

TEST(RawX64, IndexedMemoryFormsMatchAsmjit) {
  struct Case {
    RawX64::MemOp op;
    std::function<void(x86::Assembler&, int reg, const x86::Mem&)> emit;
    uint32_t size;
    const char* name;
  } cases[] = {
      {raw::kLoad32, [](x86::Assembler& a, int r, const x86::Mem& m) { a.mov(x86::gpd(r), m); }, 4, "load32"},
      {raw::kLoad64, [](x86::Assembler& a, int r, const x86::Mem& m) { a.mov(x86::gpq(r), m); }, 8, "load64"},
      {raw::kStore32, [](x86::Assembler& a, int r, const x86::Mem& m) { a.mov(m, x86::gpd(r)); }, 4, "store32"},
      {raw::kStore64, [](x86::Assembler& a, int r, const x86::Mem& m) { a.mov(m, x86::gpq(r)); }, 8, "store64"},
      {raw::kStore16, [](x86::Assembler& a, int r, const x86::Mem& m) { a.mov(m, x86::gpw(r)); }, 2, "store16"},
      {raw::kStore8, [](x86::Assembler& a, int r, const x86::Mem& m) { a.mov(m, x86::gpb(r)); }, 1, "store8"},
      {raw::kMovzx8, [](x86::Assembler& a, int r, const x86::Mem& m) { a.movzx(x86::gpd(r), m); }, 1, "movzx8"},
      {raw::kMovzx16, [](x86::Assembler& a, int r, const x86::Mem& m) { a.movzx(x86::gpd(r), m); }, 2, "movzx16"},
      {raw::kMovsx8, [](x86::Assembler& a, int r, const x86::Mem& m) { a.movsx(x86::gpd(r), m); }, 1, "movsx8"},
      {raw::kMovsx16, [](x86::Assembler& a, int r, const x86::Mem& m) { a.movsx(x86::gpd(r), m); }, 2, "movsx16"},
      {raw::kMovsx8To64, [](x86::Assembler& a, int r, const x86::Mem& m) { a.movsx(x86::gpq(r), m); }, 1, "movsx8q"},
      {raw::kMovsx16To64, [](x86::Assembler& a, int r, const x86::Mem& m) { a.movsx(x86::gpq(r), m); }, 2, "movsx16q"},
      {raw::kMovsxd, [](x86::Assembler& a, int r, const x86::Mem& m) { a.movsxd(x86::gpq(r), m); }, 4, "movsxd"},
  };
  for (const Case& c : cases) {
    for (int r = 0; r < 16; ++r) {
      for (int base : {15, 13, 12, 5, 0}) {
        for (int index = 0; index < 16; ++index) {
          if (index == 4) continue;  // rsp cannot be an index
          for (int32_t disp : kDisps) {
            x86::Mem m = x86::ptr(x86::gpq(base), x86::gpq(index), 0, disp);
            m.setSize(c.size);
            auto want = bytes_of([&](x86::Assembler& a) { c.emit(a, r, m); });
            auto got = bytes_of([&](x86::Assembler& a) { ASSERT_TRUE(RawX64(a).mem_index(c.op, r, base, index, disp)); });
            ASSERT_EQ(got, want) << c.name << " reg " << r << " base " << base << " index " << index << " disp " << disp;
          }
        }
      }
    }
  }
}

TEST(RawX64, LeaShiftStoreImmediateAndSelfAddressMatchAsmjit) {
  for (bool w : {false, true}) {
    for (int r = 0; r < 16; ++r) {
      for (int b = 0; b < 16; ++b) {
        for (int32_t disp : kDisps) {
          auto want = bytes_of([&](x86::Assembler& a) { a.lea(gp(r, w), x86::ptr(x86::gpq(b), disp)); });
          auto got = bytes_of([&](x86::Assembler& a) { ASSERT_TRUE(RawX64(a).rm(RawX64::kLea, w, r, b, disp)); });
          ASSERT_EQ(got, want) << "lea w64 " << w << " reg " << r << " base " << b << " disp " << disp;
        }
      }
    }
  }
  struct Shift { uint8_t digit; asmjit::InstId id; } shifts[] = {
      {RawX64::kShlDigit, x86::Inst::kIdShl}, {RawX64::kShrDigit, x86::Inst::kIdShr}, {RawX64::kSarDigit, x86::Inst::kIdSar},
      {RawX64::kRolDigit, x86::Inst::kIdRol}, {RawX64::kRorDigit, x86::Inst::kIdRor}};
  for (const Shift& sh : shifts) {
    for (bool w : {false, true}) {
      for (int r = 0; r < 16; ++r) {
        for (int count = 0; count < (w ? 64 : 32); ++count) {
          auto want = bytes_of([&](x86::Assembler& a) { a.emit(sh.id, gp(r, w), asmjit::Imm(count)); });
          auto got = bytes_of([&](x86::Assembler& a) { ASSERT_TRUE(RawX64(a).shift_ri(sh.digit, w, r, count)); });
          ASSERT_EQ(got, want) << "shift digit " << int(sh.digit) << " w64 " << w << " reg " << r << " count " << count;
        }
      }
    }
  }
  const int64_t imms[] = {0, 1, -1, 127, -128, 255, 0x7fff, -0x8000, 0xffff, 0x12345678, INT32_MIN, INT32_MAX};
  for (uint32_t size : {1u, 2u, 4u, 8u}) {
    for (int base : {15, 13, 12, 5}) {
      for (int index = 0; index < 16; ++index) {
        if (index == 4) continue;
        for (int32_t disp : kDisps) {
          for (int64_t imm : imms) {
            int64_t v = size == 1 ? int8_t(imm) : size == 2 ? int16_t(imm) : size == 4 ? int32_t(imm) : imm;
            x86::Mem m = x86::ptr(x86::gpq(base), x86::gpq(index), 0, disp);
            m.setSize(size);
            auto want = bytes_of([&](x86::Assembler& a) { a.mov(m, asmjit::Imm(v)); });
            auto got = bytes_of([&](x86::Assembler& a) { ASSERT_TRUE(RawX64(a).store_imm_index(size, base, index, disp, v)); });
            ASSERT_EQ(got, want) << "store imm size " << size << " base " << base << " index " << index << " disp " << disp
                                 << " imm " << v;
          }
        }
      }
    }
  }
  auto want = bytes_of([&](x86::Assembler& a) {
    asmjit::Label here = a.newLabel();
    a.bind(here);
    a.lea(x86::r10, x86::ptr(here));
  });
  asmjit::CodeHolder code;
  code.init(asmjit::Environment(asmjit::Arch::kX64));
  x86::Assembler a(&code);
  a.nop();
  asmjit::Label here = a.newLabel();
  a.bind(here);
  a.lea(x86::r10, x86::ptr(here));
  ASSERT_EQ(code.flatten(), asmjit::kErrorOk);
  ASSERT_EQ(code.resolveUnresolvedLinks(), asmjit::kErrorOk);
  std::vector<uint8_t> resolved(code.textSection()->buffer().data() + 1,
                                code.textSection()->buffer().data() + code.textSection()->buffer().size());
  auto got = bytes_of([&](x86::Assembler& a2) { ASSERT_TRUE(RawX64(a2).lea_r10_self()); });
  EXPECT_EQ(got, resolved);
  (void)want;
}

TEST(RawX64, AFullBufferFallsBackWithoutWriting) {
  asmjit::CodeHolder code;
  code.init(asmjit::Environment(asmjit::Arch::kX64));
  x86::Assembler a(&code);
  // A fresh holder has no buffer yet: no room, nothing written.
  EXPECT_FALSE(RawX64(a).rr(RawX64::kAdd, false, 0, 1));
  EXPECT_EQ(a.offset(), 0u);
  a.nop();  // asmjit allocates; now there is room
  EXPECT_TRUE(RawX64(a).rr(RawX64::kAdd, false, 0, 1));
  EXPECT_EQ(a.offset(), 3u);
  EXPECT_EQ(code.textSection()->buffer().size(), 3u);
}

}  // namespace
}  // namespace brisk::compiler::x64
