// Test helper: assembles small Wasm binaries byte by byte.
#ifndef BRISK_TESTS_UNIT_COMPILER_WASM_BUILDER_H_
#define BRISK_TESTS_UNIT_COMPILER_WASM_BUILDER_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace brisk::test {

using Bytes = std::vector<uint8_t>;

inline void put_u32(Bytes& out, uint32_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if (v) b |= 0x80;
    out.push_back(b);
  } while (v);
}

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

/// A section: id, LEB128 size, contents.
inline Bytes section(uint8_t id, const Bytes& contents) {
  Bytes out{id};
  put_u32(out, static_cast<uint32_t>(contents.size()));
  out.insert(out.end(), contents.begin(), contents.end());
  return out;
}

inline Bytes header() { return {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}; }

/// A module with one type [params] -> [results] and one function with the
/// given locals declaration bytes and body (the final `end` included);
/// `between`: sections that go between the function and code sections
/// (memory, export...), whole and in order.
inline Bytes one_func_module(const Bytes& params, const Bytes& results, const Bytes& body,
                             const Bytes& locals = {0x00}, const Bytes& between = {}) {
  Bytes type{0x01, 0x60};
  put_u32(type, static_cast<uint32_t>(params.size()));
  type.insert(type.end(), params.begin(), params.end());
  put_u32(type, static_cast<uint32_t>(results.size()));
  type.insert(type.end(), results.begin(), results.end());
  Bytes code_body = cat({locals, body});
  Bytes code{0x01};
  put_u32(code, static_cast<uint32_t>(code_body.size()));
  code.insert(code.end(), code_body.begin(), code_body.end());
  return cat({header(), section(1, type), section(3, {0x01, 0x00}), between, section(10, code)});
}

}  // namespace brisk::test

#endif  // BRISK_TESTS_UNIT_COMPILER_WASM_BUILDER_H_
