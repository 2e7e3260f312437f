// LinearMemory: reservations, growth, and the guard regions on both sides.
#include "runtime/linear_memory.h"

#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace brisk::runtime {
namespace {

// The protection of the mapping that contains `addr`, from /proc/self/maps
// ("rw-p", "---p"), or "" if nothing is mapped there.
std::string protection_at(const void* addr) {
  FILE* f = fopen("/proc/self/maps", "r");
  if (!f) return "?";
  auto a = reinterpret_cast<uintptr_t>(addr);
  char line[512];
  std::string result;
  while (fgets(line, sizeof line, f)) {
    uintptr_t lo, hi;
    char prot[8];
    if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %7s", &lo, &hi, prot) == 3 && a >= lo && a < hi) {
      result = prot;
      break;
    }
  }
  fclose(f);
  return result;
}

class LinearMemoryTest : public testing::TestWithParam<BoundsMode> {};

TEST_P(LinearMemoryTest, RegionBelowTheBaseIsReservedAndInaccessible) {
  auto m = LinearMemory::create(1, 10, GetParam());
  ASSERT_TRUE(m) << m.status().to_string();
  LinearMemory& mem = **m;
  uint64_t below = mem.guard_before();
  EXPECT_GE(below, wasm::kPageSize);
  if (GetParam() == BoundsMode::kGuardPages) {
    EXPECT_EQ(below, uint64_t{1} << 31);
  }
  EXPECT_EQ(protection_at(mem.base()), "rw-p");
  // The byte just below, the far end of the guard, and a page in between
  // belong to our PROT_NONE reservation (nothing else can be mapped there).
  EXPECT_EQ(protection_at(mem.base() - 1), "---p");
  EXPECT_EQ(protection_at(mem.base() - below), "---p");
  EXPECT_EQ(protection_at(mem.base() - below / 2), "---p");
  EXPECT_EQ(protection_at(mem.base() + mem.size_bytes()), "---p");
}

TEST_P(LinearMemoryTest, TouchingTheByteBelowTheBaseFaults) {
  auto m = LinearMemory::create(1, 1, GetParam());
  ASSERT_TRUE(m);
  volatile uint8_t* base = (*m)->base();
  base[0] = 1;  // accessible
  EXPECT_DEATH(base[-1] = 1, "");
  EXPECT_DEATH((void)base[-static_cast<int64_t>((*m)->guard_before())], "");
}

TEST_P(LinearMemoryTest, GrowCommitsPagesUpToTheMaximum) {
  auto m = LinearMemory::create(0, 2, GetParam());
  ASSERT_TRUE(m);
  EXPECT_EQ((*m)->grow(1), 0);
  EXPECT_EQ((*m)->grow(1), 1);
  EXPECT_EQ((*m)->grow(1), -1);
  EXPECT_EQ((*m)->pages(), 2u);
  memset((*m)->base(), 0xab, (*m)->size_bytes());
}

INSTANTIATE_TEST_SUITE_P(BothModes, LinearMemoryTest,
                         testing::Values(BoundsMode::kGuardPages, BoundsMode::kExplicit),
                         [](const testing::TestParamInfo<BoundsMode>& i) {
                           return i.param == BoundsMode::kGuardPages ? "GuardPages" : "Explicit";
                         });

}  // namespace
}  // namespace brisk::runtime
