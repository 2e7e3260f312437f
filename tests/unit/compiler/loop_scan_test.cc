// LoopScan: per-loop local-use summaries, nested loops, the size bound, and
// next-use distances.
#include "compiler/codegen/loop_scan.h"

#include <gtest/gtest.h>

#include <map>

#include "wasm_builder.h"

namespace brisk::compiler {
namespace {

using test::Bytes;

std::map<uint32_t, uint32_t> uses_of(LoopScan& s, const LoopScan::Loop& l) {
  std::map<uint32_t, uint32_t> out;
  for (const LoopScan::Use& u : s.uses(l)) out[u.local] = u.count;
  return out;
}

TEST(LoopScan, NestedLoopUsesCountForTheOuterLoopToo) {
  // loop            ;; A: local 0 once, plus B's
  //   local.get 0 drop
  //   loop          ;; B: local 1 twice, a call
  //     local.get 1 drop local.get 1 drop call 0
  //   end
  // end
  Bytes body{0x03, 0x40, 0x20, 0x00, 0x1a, 0x03, 0x40, 0x20, 0x01, 0x1a, 0x20, 0x01, 0x1a, 0x10, 0x00,
             0x0b, 0x0b, 0x0b};
  LoopScan s;
  s.scan_loop(Reader(body.data() + 2, body.data() + body.size(), 102, true), 2, false);
  ASSERT_EQ(s.num_loops(), 2u);
  const LoopScan::Loop* a = s.find(102);
  ASSERT_NE(a, nullptr);
  const LoopScan::Loop* b = s.find(107);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(uses_of(s, *a), (std::map<uint32_t, uint32_t>{{0, 1}, {1, 2}}));
  EXPECT_EQ(uses_of(s, *b), (std::map<uint32_t, uint32_t>{{1, 2}}));
  EXPECT_TRUE(a->calls);  // the nested loop calls
  EXPECT_TRUE(b->calls);
  EXPECT_EQ(s.find(108), nullptr);
}

TEST(LoopScan, ScanningOneLoopStopsAtItsEnd) {
  // block            ;; outside any loop: never scanned
  //   loop           ;; A (body at 104): local 0
  //     local.get 0 drop
  //   end
  //   loop           ;; B (body at 110): local 1 twice
  //     local.get 1 drop local.get 1 drop
  //   end
  // end end
  Bytes body{0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x1a, 0x0b, 0x03, 0x40, 0x20, 0x01, 0x1a, 0x20, 0x01, 0x1a,
             0x0b, 0x0b, 0x0b};
  LoopScan s;
  s.scan_loop(Reader(body.data() + 4, body.data() + body.size(), 104, true), 2, false);
  ASSERT_EQ(s.num_loops(), 1u);
  const LoopScan::Loop* a = s.find(104);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(uses_of(s, *a), (std::map<uint32_t, uint32_t>{{0, 1}}));
  EXPECT_EQ(s.find(110), nullptr);  // B is not inside A: not scanned yet
  s.scan_loop(Reader(body.data() + 10, body.data() + body.size(), 110, true), 2, false);
  ASSERT_EQ(s.num_loops(), 2u);
  const LoopScan::Loop* b = s.find(110);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(uses_of(s, *b), (std::map<uint32_t, uint32_t>{{1, 2}}));
}

TEST(LoopScan, KeepsTheMostUsedLocalsWhenALoopTouchesMany) {
  // One loop touching 100 locals: local i read i+1 times.
  Bytes body{0x03, 0x40};
  for (uint32_t i = 0; i < 100; ++i) {
    for (uint32_t k = 0; k <= i; ++k) body.insert(body.end(), {0x20, static_cast<uint8_t>(0x80 | (i & 0x7f)), 0x00, 0x1a});
  }
  body.insert(body.end(), {0x0b, 0x0b});
  LoopScan s;
  s.scan_loop(Reader(body.data() + 2, body.data() + body.size(), 2, true), 100, false);
  const LoopScan::Loop* l = s.find(2);
  ASSERT_NE(l, nullptr);
  auto u = uses_of(s, *l);
  EXPECT_EQ(u.size(), LoopScan::kMaxUses);
  EXPECT_EQ(u.begin()->first, 100 - LoopScan::kMaxUses);  // the least used kept
  EXPECT_EQ(u.rbegin()->second, 100u);
}

TEST(LoopScan, DeepNestingStaysLinear) {
  // 80,000 nested loops around two local.gets (the hostile module of issue
  // 6, which took minutes when every loop header rescanned its body): each
  // loop's summary has the one local, and the total is one entry per loop.
  constexpr uint32_t kDepth = 80000;
  Bytes body;
  for (uint32_t i = 0; i < kDepth; ++i) body.insert(body.end(), {0x03, 0x40});
  body.insert(body.end(), {0x20, 0x00, 0x1a, 0x20, 0x00, 0x1a});
  body.insert(body.end(), kDepth + 1, 0x0b);
  LoopScan s;
  s.scan_loop(Reader(body.data() + 2, body.data() + body.size(), 2, true), 1, false);
  ASSERT_EQ(s.num_loops(), kDepth);
  const LoopScan::Loop* outer = s.find(2);
  ASSERT_NE(outer, nullptr);
  EXPECT_EQ(uses_of(s, *outer), (std::map<uint32_t, uint32_t>{{0, 2}}));
  const LoopScan::Loop* inner = s.find(2 * kDepth);
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(uses_of(s, *inner), (std::map<uint32_t, uint32_t>{{0, 2}}));
}

// A loop with calls longer than kGiveUpBytes: given up on at its first call
// past that length, nothing kept; a loop inside it is scanned on its own
// when asked, and a short loop with a call keeps its summary.
TEST(LoopScan, GivesUpOnALongLoopWithCalls) {
  // loop                 ;; A (body at 2): B, padding, then a call
  //   loop               ;; B (body at 4): local 0 twice, no call
  //     local.get 0 drop local.get 0 drop
  //   end
  //   (nop) * N  call 0  ;; the call comes past kGiveUpBytes
  // end
  Bytes body{0x03, 0x40, 0x03, 0x40, 0x20, 0x00, 0x1a, 0x20, 0x00, 0x1a, 0x0b};
  body.insert(body.end(), LoopScan::kGiveUpBytes, 0x01);
  body.insert(body.end(), {0x10, 0x00, 0x0b, 0x0b});
  LoopScan s;
  s.reset();
  EXPECT_FALSE(s.scan_loop(Reader(body.data() + 2, body.data() + body.size(), 2, true), 1, false));
  EXPECT_EQ(s.num_loops(), 0u);
  EXPECT_EQ(s.find(2), nullptr);
  EXPECT_EQ(s.next_use(0, 4, 2), LoopScan::kNever);  // nothing indexed
  EXPECT_TRUE(s.scan_loop(Reader(body.data() + 4, body.data() + body.size(), 4, true), 1, false));
  const LoopScan::Loop* b = s.find(4);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(uses_of(s, *b), (std::map<uint32_t, uint32_t>{{0, 2}}));
  EXPECT_FALSE(b->calls);

  // The same with the call before kGiveUpBytes: kept, calls and all.
  Bytes short_body{0x03, 0x40, 0x20, 0x00, 0x1a, 0x10, 0x00, 0x0b, 0x0b};
  LoopScan t;
  t.reset();
  EXPECT_TRUE(t.scan_loop(Reader(short_body.data() + 2, short_body.data() + short_body.size(), 2, true), 1, false));
  const LoopScan::Loop* a = t.find(2);
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->calls);
  EXPECT_EQ(uses_of(t, *a), (std::map<uint32_t, uint32_t>{{0, 1}}));
}

// Giving up is paid from a budget of the function's bytes: 80,000 nested
// loops around a call give up once (at the outermost), and the next scan,
// past the budget, runs in full: the bytes are scanned twice, not 80,000
// times.
TEST(LoopScan, GivingUpStaysLinear) {
  constexpr uint32_t kDepth = 80000;
  Bytes body;
  for (uint32_t i = 0; i < kDepth; ++i) body.insert(body.end(), {0x03, 0x40});
  body.insert(body.end(), {0x20, 0x00, 0x1a, 0x10, 0x00});
  body.insert(body.end(), kDepth + 1, 0x0b);
  LoopScan s;
  s.reset();
  EXPECT_FALSE(s.scan_loop(Reader(body.data() + 2, body.data() + body.size(), 2, true), 1, false));
  EXPECT_TRUE(s.scan_loop(Reader(body.data() + 4, body.data() + body.size(), 4, true), 1, false));
  EXPECT_EQ(s.num_loops(), kDepth - 1);
  const LoopScan::Loop* inner = s.find(2 * kDepth);
  ASSERT_NE(inner, nullptr);
  EXPECT_TRUE(inner->calls);
  // A new function has a budget of its own.
  s.reset();
  EXPECT_FALSE(s.scan_loop(Reader(body.data() + 2, body.data() + body.size(), 2, true), 1, false));
}

TEST(LoopScan, NextUseIsTheDistanceToTheNextAccess) {
  // loop                 ;; body at 2 (scan offsets below are from there)
  //   local.get 0 drop   ;; 0
  //   local.get 1 drop   ;; 3
  //   i32.const 0        ;; 6
  //   local.set 2        ;; 8
  //   local.get 0 drop   ;; 10
  // end                  ;; 13
  // end
  Bytes body{0x03, 0x40, 0x20, 0x00, 0x1a, 0x20, 0x01, 0x1a, 0x41, 0x00, 0x21, 0x02, 0x20, 0x00, 0x1a, 0x0b, 0x0b};
  LoopScan s;
  s.scan_loop(Reader(body.data() + 2, body.data() + body.size(), 2, true), 4, false);
  // Just after the first local.get 0 (offset 2 + 1).
  EXPECT_EQ(s.next_use(0, 3, 2), 9u);
  EXPECT_EQ(s.next_use(1, 3, 2), 2u);
  EXPECT_EQ(s.next_use(2, 3, 2), LoopScan::kDead);  // overwritten before it is read
  EXPECT_EQ(s.next_use(3, 3, 2), LoopScan::kNever);
  EXPECT_EQ(s.next_use(7, 3, 2), LoopScan::kNever);  // not a local of this scan
  // Just after the last local.get 0 (offset 2 + 11): the next iteration's
  // first accesses, past the loop's end at 13.
  EXPECT_EQ(s.next_use(0, 13, 2), 2u + 0u);
  EXPECT_EQ(s.next_use(1, 13, 2), 2u + 3u);
  EXPECT_EQ(s.next_use(2, 13, 2), LoopScan::kDead);
  // Outside the loop nothing wraps: none is used again.
  EXPECT_EQ(s.next_use(0, 13, 0), LoopScan::kNever);
}

TEST(LoopScan, NextUseWrapsToTheInnermostLoop) {
  // loop                 ;; A, body at 2 (scan offsets below are from there)
  //   local.get 0 drop   ;; 0
  //   loop               ;; B, body at 5
  //     local.get 1 drop ;; 5
  //     local.get 2 drop ;; 8
  //   end                ;; 11
  //   local.get 1 drop   ;; 12
  // end                  ;; 15
  // end
  Bytes body{0x03, 0x40, 0x20, 0x00, 0x1a, 0x03, 0x40, 0x20, 0x01, 0x1a, 0x20, 0x02, 0x1a, 0x0b,
             0x20, 0x01, 0x1a, 0x0b, 0x0b};
  LoopScan s;
  s.scan_loop(Reader(body.data() + 2, body.data() + body.size(), 2, true), 3, false);
  // After local.get 2 (offset 2 + 9), in B: B's next iteration comes first.
  EXPECT_EQ(s.next_use(1, 11, 7), (11u - 9u) + 0u);
  EXPECT_EQ(s.next_use(2, 11, 7), (11u - 9u) + 3u);
  // Straight-line otherwise: A's next iteration is not looked at.
  EXPECT_EQ(s.next_use(0, 11, 7), LoopScan::kNever);
  // At A's end (offset 2 + 15): A's next iteration, B's accesses in it too.
  EXPECT_EQ(s.next_use(0, 17, 2), 0u);
  EXPECT_EQ(s.next_use(1, 17, 2), 5u);
  EXPECT_EQ(s.next_use(2, 17, 2), 8u);
}

TEST(LoopScan, NextUseForgetsTheLoopScannedBefore) {
  // Two loops one after the other (as in ScanningOneLoopStopsAtItsEnd): A
  // (body at 104) reads local 0, B (body at 110) local 1 twice.
  Bytes body{0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x1a, 0x0b, 0x03, 0x40, 0x20, 0x01, 0x1a, 0x20, 0x01, 0x1a,
             0x0b, 0x0b, 0x0b};
  LoopScan s;
  s.scan_loop(Reader(body.data() + 4, body.data() + body.size(), 104, true), 2, false);
  EXPECT_EQ(s.next_use(0, 104, 104), 0u);
  EXPECT_EQ(s.next_use(1, 104, 104), LoopScan::kNever);
  s.scan_loop(Reader(body.data() + 10, body.data() + body.size(), 110, true), 2, false);
  EXPECT_EQ(s.next_use(0, 110, 110), LoopScan::kNever);
  EXPECT_EQ(s.next_use(1, 110, 110), 0u);
  EXPECT_EQ(s.next_use(1, 111, 110), 2u);
  s.reset();  // a new function: nothing is known
  EXPECT_EQ(s.next_use(1, 111, 110), LoopScan::kNever);
}

TEST(LoopScan, SkipsEveryImmediateForm) {
  // Operators whose immediates the scan skips unread, in their long forms,
  // then a loop with a type-index block type: every local access after
  // them is found at its offset, and the nested loop at its body.
  // loop                              ;; body at 2 (offsets from there)
  //   i32.const -1 (5 bytes) drop     ;; 0
  //   i64.const 2^40 (7 bytes) drop   ;; 7
  //   i32.const 0 i32.load a=2 o=2^20 ;; 15: memarg of 1 + 3 bytes
  //   drop
  //   call 200 (2 bytes)              ;; 23
  //   f64.const 0 drop                ;; 26: 8 bytes, decoded
  //   block (type 0)                  ;; 36
  //     br 0                          ;; 38
  //   end                             ;; 40
  //   loop (type 1)                   ;; 41, body at 2 + 43
  //     local.get 200 (2 bytes) drop  ;; 43
  //   end                             ;; 47
  //   local.set 1                     ;; 48
  // end
  Bytes body{0x03, 0x40,
             0x41, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x1a,
             0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x1a,
             0x41, 0x00, 0x28, 0x02, 0x80, 0x80, 0x40, 0x1a,
             0x10, 0xc8, 0x01,
             0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x1a,
             0x02, 0x00, 0x0c, 0x00, 0x0b,
             0x03, 0x01, 0x20, 0xc8, 0x01, 0x1a, 0x0b,
             0x21, 0x01,
             0x0b, 0x0b};
  LoopScan s;
  s.scan_loop(Reader(body.data() + 2, body.data() + body.size(), 2, true), 201, false);
  ASSERT_EQ(s.num_loops(), 2u);
  const LoopScan::Loop* a = s.find(2);
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->calls);
  EXPECT_EQ(uses_of(s, *a), (std::map<uint32_t, uint32_t>{{1, 1}, {200, 1}}));
  const LoopScan::Loop* b = s.find(2 + 43);
  ASSERT_NE(b, nullptr);
  EXPECT_FALSE(b->calls);
  EXPECT_EQ(b->end_offset, 2u + 47u);
  EXPECT_EQ(a->end_offset, 2u + 50u);
  EXPECT_EQ(s.next_use(200, 2 + 0, 2), 43u);
  EXPECT_EQ(s.next_use(1, 2 + 0, 2), LoopScan::kDead);
  EXPECT_EQ(s.next_use(1, 2 + 47, 2), LoopScan::kDead);
}

TEST(LoopScan, OverwrittenFirstOnlyWithoutABranchBeforeTheWrite) {
  // loop                 ;; body at 2 (offsets below from there)
  //   local.get 0 drop   ;; 0
  //   i32.const 1        ;; 3
  //   local.set 0        ;; 5: written, straight-line from 0..5
  //   local.get 1 drop   ;; 7
  //   local.get 2        ;; 10
  //   br_if 0            ;; 12: a branch
  //   i32.const 2        ;; 14
  //   local.tee 1 drop   ;; 16: a write, but after the branch for offsets <= 12
  //   local.get 2 drop   ;; 19
  // end                  ;; 22
  // end
  Bytes body{0x03, 0x40, 0x20, 0x00, 0x1a, 0x41, 0x01, 0x21, 0x00, 0x20, 0x01, 0x1a, 0x20, 0x02, 0x0d, 0x00,
             0x41, 0x02, 0x22, 0x01, 0x1a, 0x20, 0x02, 0x1a, 0x0b, 0x0b};
  LoopScan s;
  s.scan_loop(Reader(body.data() + 2, body.data() + body.size(), 2, true), 3, false);
  auto dead = [&](uint32_t local, size_t at) {
    uint32_t l = local;
    return s.overwritten_first(at, &l, 1) == 1u;
  };
  const uint32_t both[2] = {1, 0};
  EXPECT_EQ(s.overwritten_first(2 + 3, both, 2), 2u);  // local 0's set comes first; local 1 is read
  EXPECT_TRUE(dead(0, 2 + 3));    // next: local.set 0, no branch between
  EXPECT_FALSE(dead(1, 2 + 3));   // next: local.get 1
  EXPECT_FALSE(dead(1, 2 + 10));  // next: local.tee 1, but br_if at 12 comes first
  EXPECT_EQ(s.next_use(1, 2 + 13, 2), LoopScan::kDead);  // a tee writes
  EXPECT_TRUE(dead(1, 2 + 14));   // past the branch
  EXPECT_FALSE(dead(2, 2 + 19));  // read next
  EXPECT_FALSE(dead(0, 2 + 20));  // no access left in the scan: not known
  EXPECT_FALSE(dead(7, 2 + 21));  // not a local of the scan
}

}  // namespace
}  // namespace brisk::compiler
