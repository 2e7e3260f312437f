// Module code is position-independent: no absolute host address or engine
// type id is compiled in; every such place is a relocation, and the same
// bytes relinked at another address differ only at those places.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

#include "compiler/backend.h"
#include "compiler/module_compiler.h"
#include "compiler/validate/func_validator.h"
#include "runtime/code_memory.h"
#include "runtime/helpers.h"
#include "tests/unit/compiler/wasm_builder.h"

namespace brisk::compiler {
namespace {

struct Compiled {
  std::unique_ptr<Module> module;
  CompiledModule code;
};

Compiled compile(std::span<const uint32_t> type_ids, CompileOptions options = {}) {
  std::ifstream in("tests/unit/compiler/pic.wasm", std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto m = decode_and_validate(bytes.data(), bytes.size());
  EXPECT_TRUE(m) << m.status().to_string();
  options.cpu = CpuFeatures::all();
  auto c = compile_module(**m, type_ids, options);
  EXPECT_TRUE(c) << c.status().to_string();
  return {std::move(*m), std::move(*c)};
}

uint32_t read32(const uint8_t* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

TEST(Relocations, CodeHoldsNoAbsoluteHostAddress) {
  const uint32_t ids[] = {1234};
  Compiled c = compile(ids);
  const uint8_t* code = c.code.code->base();
  size_t size = c.code.code->size();
  std::set<uint64_t> forbidden;
  for (const void* h : runtime::runtime_helpers()) forbidden.insert(reinterpret_cast<uintptr_t>(h));
  forbidden.insert(reinterpret_cast<uintptr_t>(&runtime::brisk_capture_backtrace));
  auto lo = reinterpret_cast<uintptr_t>(code), hi = lo + size;
  for (size_t i = 0; i + 8 <= size; ++i) {
    uint64_t v;
    memcpy(&v, code + i, 8);
    EXPECT_EQ(forbidden.count(v), 0u) << "a helper's address at offset " << i;
    EXPECT_FALSE(v >= lo && v < hi) << "an address inside the code at offset " << i;
  }
}

TEST(Relocations, CallsGoToBodiesAndTypeIdsArePatchedAtLink) {
  const uint32_t ids[] = {1234};
  Compiled c = compile(ids);
  const uint8_t* code = c.code.code->base();
  int slots = 0, type_ids = 0;
  for (const Relocation& r : c.code.relocations) {
#if defined(__aarch64__)
    // movz/movk halves for the type id; bl and b with imm26 for calls and slots.
    auto imm26 = [](uint32_t w) { return static_cast<int64_t>(static_cast<int32_t>(w << 6) >> 6) * 4; };
    if (r.kind == RelocKind::kTypeId) {
      ++type_ids;
      EXPECT_EQ(r.index, 0u);
      uint32_t lo = read32(code + r.offset), hi = read32(code + r.offset + 4);
      EXPECT_EQ(((lo >> 5) & 0xffff) | (((hi >> 5) & 0xffff) << 16), 1234u);
    } else {
      ++slots;
      uint32_t bl = read32(code + r.offset);
      ASSERT_EQ(bl & 0xfc000000u, 0x94000000u);
      EXPECT_EQ(static_cast<int64_t>(r.offset) + imm26(bl), c.code.func_offsets[r.index]);
      int64_t slot = c.code.entry_table_offset + 8 * r.index;
      uint32_t b = read32(code + slot);
      ASSERT_EQ(b & 0xfc000000u, 0x14000000u);
      EXPECT_EQ(slot + imm26(b), c.code.func_offsets[r.index]);
    }
    continue;
#endif
    if (r.kind == RelocKind::kTypeId) {
      ++type_ids;
      EXPECT_EQ(r.index, 0u);
      EXPECT_EQ(read32(code + r.offset), 1234u);
    } else {
      ++slots;
      // call rel32 lands on the callee's body; its slot jumps there too.
      int64_t target = static_cast<int64_t>(r.offset) + 4 + static_cast<int32_t>(read32(code + r.offset));
      EXPECT_EQ(target, c.code.func_offsets[r.index]);
      int64_t slot = c.code.entry_table_offset + 8 * r.index;
      ASSERT_EQ(code[slot], 0xE9);
      int64_t body = slot + 5 + static_cast<int32_t>(read32(code + slot + 1));
      EXPECT_EQ(body, c.code.func_offsets[r.index]);
    }
  }
  EXPECT_EQ(slots, 2);      // call $inc, call $double
  EXPECT_EQ(type_ids, 1);   // one call_indirect
}

// Where the direct call at `site`, or the slot or veneer at `at`, jumps
// (this host's encodings).
#if defined(__aarch64__)
int64_t imm26_target(const uint8_t* code, int64_t at) {
  uint32_t w = read32(code + at);
  return at + static_cast<int64_t>(static_cast<int32_t>(w << 6) >> 6) * 4;
}
int64_t call_target(const uint8_t* code, uint32_t site) {
  EXPECT_EQ(read32(code + site) & 0xfc000000u, 0x94000000u) << "bl";
  return imm26_target(code, site);
}
int64_t jump_target(const uint8_t* code, int64_t at) {
  EXPECT_EQ(read32(code + at) & 0xfc000000u, 0x14000000u) << "b";
  return imm26_target(code, at);
}
// adrp x16, page; add x16, x16, #lo12; br x16 (the chunk is page-aligned).
int64_t veneer_target(const uint8_t* code, int64_t at) {
  uint32_t adrp = read32(code + at), add = read32(code + at + 4), br = read32(code + at + 8);
  EXPECT_EQ(adrp & 0x9f00001fu, 0x90000010u) << "adrp x16";
  EXPECT_EQ(add & 0xffc003ffu, 0x91000210u) << "add x16, x16, #imm";
  EXPECT_EQ(br, 0xd61f0200u) << "br x16";
  int64_t pages = static_cast<int64_t>(static_cast<int32_t>((((adrp >> 5) & 0x7ffff) << 2 | ((adrp >> 29) & 3)) << 11) >> 11);
  return ((at >> 12) + pages) * 4096 + ((add >> 10) & 0xfff);
}
#else
int64_t call_target(const uint8_t* code, uint32_t site) {
  EXPECT_EQ(code[site - 1], 0xE8) << "call rel32";
  return static_cast<int64_t>(site) + 4 + static_cast<int32_t>(read32(code + site));
}
int64_t jump_target(const uint8_t* code, int64_t at) {
  EXPECT_EQ(code[at], 0xE9) << "jmp rel32";
  return at + 5 + static_cast<int32_t>(read32(code + at + 1));
}
int64_t veneer_target(const uint8_t* code, int64_t at) { return jump_target(code, at); }
#endif

// The layout of a chunk beyond the direct reach (AArch64: 128 MiB), forced
// on a small module: calls and slots land on veneers that reach the bodies.
TEST(Relocations, FarLayoutCallsAndSlotsGoThroughVeneers) {
  const uint32_t ids[] = {1234};
  CompileOptions options;
  options.force_veneers = true;
  CompileStats stats;
  options.stats = &stats;
  Compiled c = compile(ids, options);
  const uint8_t* code = c.code.code->base();
  ASSERT_EQ(reinterpret_cast<uintptr_t>(code) % 4096, 0u) << "veneers count pages from the chunk's base";
  std::set<int64_t> veneers;
  int calls = 0;
  for (const Relocation& r : c.code.relocations) {
    if (r.kind != RelocKind::kDirectCall) continue;
    ++calls;
    int64_t v = call_target(code, r.offset);
    EXPECT_NE(v, c.code.func_offsets[r.index]) << "a direct call in the far layout";
    EXPECT_EQ(veneer_target(code, v), c.code.func_offsets[r.index]);
    veneers.insert(v);
  }
  EXPECT_EQ(calls, 2);
  for (uint32_t i = 0; i < c.code.func_offsets.size(); ++i) {
    int64_t slot = c.code.entry_table_offset + int64_t{Backend::BatchAssembler::kSlotSize} * i;
    int64_t v = jump_target(code, slot);
    EXPECT_EQ(veneer_target(code, v), c.code.func_offsets[i]) << "slot " << i;
    veneers.insert(v);
  }
  // One veneer per slot and per distinct callee of the (only) piece.
  EXPECT_EQ(veneers.size(), c.code.func_offsets.size() + 2);
  EXPECT_EQ(stats.veneers, veneers.size());
}

TEST(Relocations, NearLayoutHasNoVeneers) {
  const uint32_t ids[] = {1234};
  CompileOptions options;
  CompileStats stats;
  options.stats = &stats;
  Compiled c = compile(ids, options);
  EXPECT_EQ(stats.veneers, 0u);
  for (const Relocation& r : c.code.relocations) {
    if (r.kind != RelocKind::kDirectCall) continue;
    EXPECT_EQ(call_target(c.code.code->base(), r.offset), c.code.func_offsets[r.index]);
  }
}

// A module of several MiB of code: f0(x) = x + 500, fi(x) = f(i-1)(x + 500).
std::vector<uint8_t> chain_module(uint32_t funcs) {
  using test::Bytes;
  Bytes type = {0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f};
  Bytes decls;
  test::put_u32(decls, funcs);
  for (uint32_t i = 0; i < funcs; ++i) decls.push_back(0x00);
  Bytes code;
  test::put_u32(code, funcs);
  for (uint32_t i = 0; i < funcs; ++i) {
    Bytes body = {0x00, 0x20, 0x00};
    for (int k = 0; k < 500; ++k) body.insert(body.end(), {0x41, 0x01, 0x6a});  // i32.const 1; i32.add
    if (i > 0) {
      body.push_back(0x10);
      test::put_u32(body, i - 1);
    }
    body.push_back(0x0b);
    test::put_u32(code, static_cast<uint32_t>(body.size()));
    code.insert(code.end(), body.begin(), body.end());
  }
  return test::cat({test::header(), test::section(1, type), test::section(3, decls), test::section(10, code)});
}

// Large pieces are moved into the chunk page by page (mremap) rather than
// copied: they start on page boundaries, calls between them still land on
// their targets, and the padding after each is zero, so the same module
// compiles to the same bytes every time.
TEST(Relocations, LargePiecesMoveIntoTheChunk) {
  std::vector<uint8_t> bytes = chain_module(3000);  // 4.5 MB of Wasm: three pieces
  auto m = decode_and_validate(bytes.data(), bytes.size());
  ASSERT_TRUE(m) << m.status().to_string();
  std::vector<uint8_t> first;
  for (int round = 0; round < 2; ++round) {
    CompileOptions options;
    options.max_threads = 1;
    CompileStats stats;
    options.stats = &stats;
    auto c = compile_module(**m, {}, options);
    ASSERT_TRUE(c) << c.status().to_string();
    EXPECT_GE(stats.pieces_moved, 2u);
    const uint8_t* code = c->code->base();
    int calls = 0;
    for (const Relocation& r : c->relocations) {
      if (r.kind != RelocKind::kDirectCall) continue;
      ++calls;
      ASSERT_EQ(call_target(code, r.offset), c->func_offsets[r.index]);
    }
    EXPECT_EQ(calls, 2999);
    std::vector<uint8_t> now(code, code + c->code->size());
    if (round == 0) first = std::move(now);
    else EXPECT_TRUE(now == first) << "the same module, other bytes";
  }
}

// Every function starts at the backend's alignment in memory, whichever
// layout placed its piece (near, far with islands, moved page by page) and
// however many batches compiled it: the alignment inside a piece holds only
// if the piece's own offset keeps it.
TEST(Relocations, FunctionsStartAtTheBackendAlignment) {
  constexpr uintptr_t kAlign = Backend::BatchAssembler::kFunctionAlign;
  auto check = [](const CompiledModule& c, const char* what) {
    auto base = reinterpret_cast<uintptr_t>(c.code->base());
    for (size_t i = 0; i < c.func_offsets.size(); ++i) {
      ASSERT_EQ((base + c.func_offsets[i]) % kAlign, 0u) << what << ": function " << i;
    }
  };
  std::vector<uint8_t> bytes = chain_module(3000);
  auto m = decode_and_validate(bytes.data(), bytes.size());
  ASSERT_TRUE(m) << m.status().to_string();
  for (bool far : {false, true}) {
    CompileOptions options;
    options.max_threads = 2;
    options.force_veneers = far;
    auto c = compile_module(**m, {}, options);
    ASSERT_TRUE(c) << c.status().to_string();
    check(*c, far ? "far layout" : "near layout");
  }
  const uint32_t ids[] = {1234};
  CompileOptions options;
  options.force_veneers = true;
  check(compile(ids, options).code, "small module, far layout");
  check(compile(ids).code, "small module");
}

struct Relink {
  const CompiledModule* from;
  std::span<const uint32_t> type_ids;
  static bool write(void* ctx, uint8_t* dst, uint64_t) {
    auto* self = static_cast<Relink*>(ctx);
    memcpy(dst, self->from->code->base(), self->from->code->size());
    for (const Relocation& r : self->from->relocations) {
      if (r.kind == RelocKind::kTypeId) Backend::BatchAssembler::apply(dst, r, 0, self->type_ids[r.index]);
    }
    return true;
  }
};

TEST(Relocations, RelinkedElsewhereTheBytesDifferOnlyAtTypeIdSites) {
  const uint32_t ids[] = {1234}, other[] = {99};
  Compiled c = compile(ids);
  Relink relink{&c.code, other};
  auto copy = runtime::CodeMemory::publish(c.code.code->size(), &Relink::write, &relink, {}, 0);
  ASSERT_TRUE(copy);
  ASSERT_NE((*copy)->base(), c.code.code->base());
  std::set<uint32_t> sites;
  for (const Relocation& r : c.code.relocations) {
    if (r.kind == RelocKind::kTypeId) {
      // The id's field: an imm32 on x86-64, a movz/movk pair on AArch64.
#if defined(__aarch64__)
      for (uint32_t k = 0; k < 8; ++k) sites.insert(r.offset + k);
#else
      for (uint32_t k = 0; k < 4; ++k) sites.insert(r.offset + k);
#endif
    }
  }
  for (size_t i = 0; i < c.code.code->size(); ++i) {
    if (!sites.count(static_cast<uint32_t>(i))) {
      ASSERT_EQ((*copy)->base()[i], c.code.code->base()[i]) << "offset " << i;
    }
  }
  for (const Relocation& r : c.code.relocations) {
    if (r.kind == RelocKind::kTypeId) {
#if defined(__aarch64__)
      uint32_t lo = read32((*copy)->base() + r.offset), hi = read32((*copy)->base() + r.offset + 4);
      EXPECT_EQ(((lo >> 5) & 0xffff) | (((hi >> 5) & 0xffff) << 16), 99u);
#else
      EXPECT_EQ(read32((*copy)->base() + r.offset), 99u);
#endif
    }
  }
}

}  // namespace
}  // namespace brisk::compiler
