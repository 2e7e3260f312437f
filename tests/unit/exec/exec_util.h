// Test helpers: load a module built from a .wat next to the test, and the
// two bounds-check configurations every execution test runs under.
#ifndef BRISK_TESTS_UNIT_EXEC_EXEC_UTIL_H_
#define BRISK_TESTS_UNIT_EXEC_EXEC_UTIL_H_

#include <gtest/gtest.h>

#include <string>

#include "brisk/brisk.h"

namespace brisk::test {

inline Module load(const Engine& engine, const std::string& name) {
  auto m = Module::from_file(engine, "tests/unit/exec/" + name + ".wasm");
  EXPECT_TRUE(m) << m.status().to_string();
  return m ? m.value() : Module{};
}

inline Config config_for(bool explicit_bounds) {
  Config c;
  c.explicit_bounds_checks = explicit_bounds;
  return c;
}

inline std::string bounds_name(const testing::TestParamInfo<bool>& info) {
  return info.param ? "ExplicitBounds" : "GuardPages";
}

}  // namespace brisk::test

#endif  // BRISK_TESTS_UNIT_EXEC_EXEC_UTIL_H_
