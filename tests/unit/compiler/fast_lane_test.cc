// walk_body's fast lane (the commonest operators decoded, validated and
// emitted without an Instr) against the way every other operator goes.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "compiler/decode/module_decoder.h"
#include "compiler/module_compiler.h"
#include "compiler/validate/func_validator.h"
#include "tests/unit/compiler/wasm_builder.h"

namespace brisk::compiler {
namespace {

using test::Bytes;

constexpr uint8_t I32 = 0x7f;
const Bytes kMemory = {0x05, 0x03, 0x01, 0x00, 0x01};                    // memory 1 page
const Bytes kGlobal = {0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x05, 0x0b};  // (global (mut i32) (i32.const 5))
const Bytes kLocals = {0x01, 0x02, I32};                                 // two i32 locals after the params

// The fast lane takes one-byte indices and alignments, and constants and
// memory offsets of up to 32 bits (LEB128 of up to 5 bytes); overlong, the
// same indices in two bytes and i64 constants in ten go the other way.
struct Body {
  bool overlong;
  Bytes b;
  void u(uint32_t v) {  // v < 64
    if (overlong) b.insert(b.end(), {static_cast<uint8_t>(0x80 | v), 0x00});
    else b.push_back(static_cast<uint8_t>(v));
  }
  void s(int32_t v) {  // -64 <= v < 64
    uint8_t low = static_cast<uint8_t>(v & 0x7f);
    if (overlong) b.insert(b.end(), {static_cast<uint8_t>(0x80 | low), static_cast<uint8_t>(v < 0 ? 0x7f : 0x00)});
    else b.push_back(low);
  }
  void sleb(int64_t v, size_t overlong_len = 5) {  // shortest; overlong: overlong_len bytes
    size_t len = 0;
    for (;;) {
      uint8_t byte = static_cast<uint8_t>(v & 0x7f);
      v >>= 7;
      ++len;
      bool last = ((v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40))) && (!overlong || len >= overlong_len);
      b.push_back(last ? byte : static_cast<uint8_t>(byte | 0x80));
      if (last) return;
    }
  }
  void op(uint8_t code) { b.push_back(code); }
  void op(uint8_t code, uint32_t index) { op(code), u(index); }
  void mem(uint8_t code, uint32_t align, uint32_t offset) {
    op(code);
    u(align);
    uleb(offset);
  }
  void uleb(uint32_t v) {  // shortest; overlong: 5 bytes
    for (size_t len = 1;; ++len) {
      bool last = v < 0x80 && (!overlong || len >= 5);
      b.push_back(last ? static_cast<uint8_t>(v) : static_cast<uint8_t>(0x80 | (v & 0x7f)));
      if (last) return;
      v >>= 7;
    }
  }
};

// Every operator of the fast lane, also after a comparison whose flags are
// still pending (which it must materialise first, as the other way does).
Bytes mixed_body(bool overlong) {
  Body f{overlong, {}};
  f.op(0x20, 0), f.op(0x20, 1), f.op(0x6a), f.op(0x22, 2);  // local.get 0 1; i32.add; local.tee 2
  f.op(0x23, 0), f.op(0x6b), f.op(0x21, 3);                 // global.get 0; i32.sub; local.set 3
  f.op(0x20, 3), f.op(0x41), f.s(-5), f.op(0x6c), f.op(0x45);  // local.get 3; i32.const -5; i32.mul; i32.eqz
  f.op(0x20, 2), f.op(0x6a);                                // local.get 2; i32.add
  f.op(0x20, 0), f.mem(0x28, 2, 8), f.op(0x6a);             // local.get 0; i32.load offset=8; i32.add
  f.op(0x20, 1), f.op(0x20, 3), f.mem(0x36, 2, 16);         // local.get 1 3; i32.store offset=16
  f.op(0x20, 2), f.op(0xb7), f.op(0xaa), f.op(0x6a);        // f64.convert_i32_s; i32.trunc_f64_s; i32.add
  f.op(0x20, 0), f.op(0x20, 1), f.op(0x48), f.op(0x21, 3);  // i32.lt_s pending; local.set 3
  f.op(0x20, 0), f.op(0x45), f.op(0x23, 0), f.op(0x6a);     // i32.eqz pending; global.get 0; i32.add
  f.op(0x20, 1), f.op(0x20, 0), f.op(0x4a), f.op(0x22, 2);  // i32.gt_s pending; local.tee 2
  f.op(0x41), f.sleb(1000), f.op(0x6a), f.op(0x41), f.sleb(-100000), f.op(0x6a);  // i32.const of 2, 3 bytes
  f.op(0x41), f.sleb(0x12345678), f.op(0x6a), f.op(0x41), f.sleb(INT32_MIN), f.op(0x6a);  // of 5 bytes
  f.op(0x42), f.sleb(70000, 10), f.op(0x42), f.sleb(-3, 10), f.op(0x7c);               // i64.const; i64.add
  f.op(0x42), f.sleb(INT32_MIN, 10), f.op(0x7c), f.op(0x42), f.sleb(int64_t{1} << 40, 10), f.op(0x7c);
  f.op(0xa7), f.op(0x6a);                                                               // i32.wrap_i64; i32.add
  f.op(0x20, 0), f.op(0x41), f.sleb(7), f.mem(0x36, 2, 0x10000000);  // i32.store of a 5-byte offset
  f.op(0x6a), f.op(0x6a), f.op(0x20, 3), f.op(0x6a), f.op(0x0b);
  return f.b;
}

std::vector<uint8_t> compiled(const Bytes& module) {
  auto m = decode_and_validate(module.data(), module.size());
  EXPECT_TRUE(m) << m.status().to_string();
  if (!m) return {};
  CompileOptions options;
  options.max_threads = 1;
  auto c = compile_module(**m, {}, options);
  EXPECT_TRUE(c) << c.status().to_string();
  if (!c) return {};
  return {c->code->base(), c->code->base() + c->code->size()};
}

TEST(FastLane, EmitsWhatTheOtherWayEmits) {
  Bytes fast = test::one_func_module({I32, I32}, {I32}, mixed_body(false), kLocals, test::cat({kMemory, kGlobal}));
  Bytes slow = test::one_func_module({I32, I32}, {I32}, mixed_body(true), kLocals, test::cat({kMemory, kGlobal}));
  ASSERT_GT(slow.size(), fast.size() + 20);
  std::vector<uint8_t> a = compiled(fast), b = compiled(slow);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b);
}

// An operator the fast lane cannot take as it stands (an index out of
// range, operands of other types) is left to the other way, which reports
// it: the same error at the same offset whether the body is only validated
// or compiled (which validates as it goes).
TEST(FastLane, LeavesErrorsToTheOtherWay) {
  struct Case {
    Bytes body;
    bool memory;
    const char* message;
    int64_t at;  // offset of the failing operator in the body
  } cases[] = {
      {{0x20, 0x04, 0x1a, 0x0b}, true, "unknown local 4", 0},
      {{0x23, 0x01, 0x1a, 0x0b}, true, "unknown global 1", 0},
      {{0x42, 0x00, 0x21, 0x00, 0x0b}, true, "type mismatch", 2},         // local.set of an i64
      {{0x22, 0x00, 0x1a, 0x0b}, true, "type mismatch", 0},               // local.tee of nothing
      {{0x42, 0x00, 0x41, 0x00, 0x6a, 0x1a, 0x0b}, true, "type mismatch", 4},  // i32.add (i64, i32)
      {{0x41, 0x00, 0x28, 0x03, 0x00, 0x1a, 0x0b}, true, "alignment must not be larger than natural", 2},
      {{0x41, 0x00, 0x28, 0x02, 0x00, 0x1a, 0x0b}, false, "unknown memory 0", 2},
      {{0x00, 0x21, 0x00, 0x6a, 0x1a, 0x0b}, true, nullptr, 0},  // polymorphic after unreachable: valid
  };
  for (const Case& c : cases) {
    Bytes module = test::one_func_module({I32, I32}, {}, c.body, kLocals, c.memory ? test::cat({kMemory, kGlobal}) : kGlobal);
    size_t body_at = module.size() - c.body.size();
    auto v = decode_and_validate(module.data(), module.size());
    auto d = decode_module(module.data(), module.size());
    ASSERT_TRUE(d) << d.status().to_string();
    auto k = compile_module(**d, {}, CompileOptions{});
    if (c.message == nullptr) {
      EXPECT_TRUE(v) << v.status().to_string();
      EXPECT_TRUE(k) << k.status().to_string();
      continue;
    }
    ASSERT_FALSE(v);
    ASSERT_FALSE(k);
    EXPECT_EQ(v.status().kind(), ErrorKind::kInvalid);
    EXPECT_EQ(v.status().message(), c.message);
    EXPECT_EQ(v.status().offset(), static_cast<int64_t>(body_at + c.at));
    EXPECT_EQ(k.status().kind(), v.status().kind());
    EXPECT_EQ(k.status().message(), v.status().message());
    EXPECT_EQ(k.status().offset(), v.status().offset());
  }
}

}  // namespace
}  // namespace brisk::compiler
