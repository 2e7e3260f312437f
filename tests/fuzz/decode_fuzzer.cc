// libFuzzer target: any byte string must decode+validate to a value or a
// clean error, never a crash, hang or sanitizer report.
#include <cstddef>
#include <cstdint>

#include "compiler/decode/module_decoder.h"
#include "compiler/validate/func_validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto m = brisk::compiler::decode_and_validate(data, size);
  if (m) {
    // Touch what the compiler will read so a bogus index would show up.
    const auto& mod = **m;
    for (const auto& e : mod.exports) (void)e.name.size();
    for (uint32_t i = 0; i < mod.funcs.size(); ++i) (void)mod.func_type(i).params.size();
  }
  return 0;
}
