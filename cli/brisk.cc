// The `brisk` command line:
//   brisk inspect FILE.wasm              imports, exports, function counts (validates)
//   brisk compile FILE.wasm              validates and compiles; prints size and time
//   brisk run FILE.wasm FUNC [ARG ...]   calls an export of a module without imports;
//                                        arguments are parsed by the parameter types
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "brisk/brisk.h"
#include "cli/values.h"
#include "compiler/decode/module_decoder.h"

namespace {

using brisk::compiler::ExternKind;
using brisk::compiler::Module;

int usage() {
  fprintf(stderr,
          "usage: brisk inspect FILE.wasm\n"
          "       brisk compile FILE.wasm\n"
          "       brisk run FILE.wasm FUNC [ARG ...]\n"
          "  inspect   validate a module and print its imports, exports and functions\n"
          "  compile   validate and compile a module, print code size and time\n"
          "  run       call an exported function of a module without imports\n");
  return 2;
}

int compile(const char* path) {
  brisk::Engine engine;
  auto t0 = std::chrono::steady_clock::now();
  auto m = brisk::Module::from_file(engine, path);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!m) {
    fprintf(stderr, "brisk: %s: %s\n", path, m.status().to_string().c_str());
    return 1;
  }
  printf("%s: compiled in %.2f ms\n", path, ms);
  return 0;
}

int run(const char* path, const char* func, int argc, char** argv) {
  brisk::Engine engine;
  auto m = brisk::Module::from_file(engine, path);
  if (!m) {
    fprintf(stderr, "brisk: %s: %s\n", path, m.status().to_string().c_str());
    return 1;
  }
  brisk::Store store(engine);
  brisk::Linker linker(engine);
  auto inst = linker.instantiate(store, *m);
  if (!inst) {
    fprintf(stderr, "brisk: %s: %s\n", path, inst.status().to_string().c_str());
    return 1;
  }
  auto f = inst->get_func(store, func);
  if (!f) {
    fprintf(stderr, "brisk: %s exports no function \"%s\"\n", path, func);
    return 1;
  }
  brisk::FuncType type = f->type(store);
  if (static_cast<size_t>(argc) != type.params.size()) {
    fprintf(stderr, "brisk: %s takes %zu arguments\n", func, type.params.size());
    return 2;
  }
  std::vector<brisk::Val> args(type.params.size());
  for (int i = 0; i < argc; ++i) {
    auto v = brisk::cli::parse_value(type.params[i], argv[i]);
    if (!v) {
      fprintf(stderr, "brisk: argument %d: %s\n", i, v.status().message().c_str());
      return 2;
    }
    args[i] = *v;
  }
  auto r = f->call(store, args);
  if (!r) {
    fprintf(stderr, "brisk: %s\n%s", r.status().to_string().c_str(), r.status().trace().c_str());
    return 1;
  }
  for (const auto& v : *r) printf("%s\n", brisk::cli::format_value(v).c_str());
  return 0;
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
  if (argc == 3 && std::string(argv[1]) == "compile") return compile(argv[2]);
  if (argc >= 4 && std::string(argv[1]) == "run") return run(argv[2], argv[3], argc - 4, argv + 4);
  return usage();
}
