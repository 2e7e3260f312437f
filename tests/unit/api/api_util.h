// Shared set-up of the API tests: the test module and a linker that
// defines every import it needs.
#ifndef BRISK_TESTS_UNIT_API_API_UTIL_H_
#define BRISK_TESTS_UNIT_API_API_UTIL_H_

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "brisk/brisk.h"

namespace brisk::test {

inline std::vector<uint8_t> api_wasm() {
  std::ifstream in("tests/unit/api/api.wasm", std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return std::vector<uint8_t>(s.begin(), s.end());
}

inline Module api_module(const Engine& engine) {
  auto m = Module::compile(engine, api_wasm());
  EXPECT_TRUE(m) << m.status().to_string();
  return m ? m.value() : Module{};
}

/// Defines host.* the way an embedder would: typed callables.
inline void define_host(Linker& linker) {
  ASSERT_TRUE(linker.func_wrap("host", "add_i32", [](int32_t a, int32_t b) { return a + b; }));
  ASSERT_TRUE(linker.func_wrap("host", "mix", [](int64_t a, float b, double c) { return double(a) + b * 2 + c * 3; }));
  ASSERT_TRUE(linker.func_wrap("host", "pair", [](int32_t x) { return std::make_tuple(x + 1, int64_t{x} << 40); }));
  ASSERT_TRUE(linker.func_wrap("host", "fail", [](int32_t x) -> Result<int32_t> {
    if (x < 0) return Status(ErrorKind::kTrap, "negative: " + std::to_string(x));
    return x * 10;
  }));
  ASSERT_TRUE(linker.func_wrap("host", "poke", [](Caller& c, uint32_t addr, int32_t v) -> Status {
    auto mem = c.memory();
    if (!mem) return Status(ErrorKind::kTrap, "no memory");
    return mem->write_value(c.store(), addr, v);
  }));
  ASSERT_TRUE(linker.func_wrap("host", "echo_ref", [](ExternRef r) { return r; }));
}

}  // namespace brisk::test

#endif  // BRISK_TESTS_UNIT_API_API_UTIL_H_
