// libFuzzer target: decode, validate and compile (x86-64) any byte string.
// Generated code is published but never run; compiling must not crash.
#include <cstddef>
#include <cstdint>

#include "brisk/brisk.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static brisk::Engine engine;
  auto m = brisk::Module::compile(engine, std::span<const uint8_t>(data, size));
  (void)m;
  return 0;
}
