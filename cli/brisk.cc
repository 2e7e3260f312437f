// The `brisk` command line. For now: `brisk inspect FILE.wasm` prints a
// module's imports, exports and function counts after full validation.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "compiler/decode/module_decoder.h"

namespace {

using brisk::compiler::ExternKind;
using brisk::compiler::Module;

int usage() {
  fprintf(stderr,
          "usage: brisk inspect FILE.wasm\n"
          "  inspect   validate a module and print its imports, exports and functions\n");
  return 2;
}

std::string describe_import(const Module& m, const brisk::compiler::Import& imp) {
  switch (imp.kind) {
    case ExternKind::kFunc:
      return "func " + m.types[imp.type_index].to_string();
    case ExternKind::kTable:
      return std::string("table ") + brisk::compiler::val_type_name(imp.table.elem) + " min " +
             std::to_string(imp.table.limits.min);
    case ExternKind::kMemory:
      return "memory min " + std::to_string(imp.memory.limits.min) + " pages";
    case ExternKind::kGlobal:
      return std::string("global ") + (imp.global.mut ? "mut " : "") + brisk::compiler::val_type_name(imp.global.type);
  }
  return "?";
}

int inspect(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    fprintf(stderr, "brisk: cannot read %s\n", path);
    return 1;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string bytes = ss.str();
  auto decoded = brisk::compiler::decode_and_validate(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  if (!decoded) {
    fprintf(stderr, "brisk: %s: %s\n", path, decoded.status().to_string().c_str());
    return 1;
  }
  const Module& m = **decoded;
  printf("%s: %zu bytes, valid\n", path, bytes.size());
  printf("functions: %u imported, %u defined\n", m.num_imported_funcs, m.num_defined_funcs());
  printf("imports (%zu):\n", m.imports.size());
  for (const auto& imp : m.imports) {
    printf("  %s.%s: %s\n", imp.module.c_str(), imp.name.c_str(), describe_import(m, imp).c_str());
  }
  printf("exports (%zu):\n", m.exports.size());
  for (const auto& e : m.exports) {
    std::string what = brisk::compiler::extern_kind_name(e.kind);
    if (e.kind == ExternKind::kFunc) what += " " + m.func_type(e.index).to_string();
    printf("  %s: %s\n", e.name.c_str(), what.c_str());
  }
  if (!m.memories.empty()) printf("memory: min %llu pages\n", static_cast<unsigned long long>(m.memories[0].limits.min));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "inspect") return inspect(argv[2]);
  return usage();
}
