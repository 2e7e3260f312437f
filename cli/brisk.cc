// The `brisk` command line:
//   brisk inspect FILE.wasm              imports, exports, function counts (validates)
//   brisk compile FILE.wasm [-o OUT.cwasm]  validates and compiles; prints the time;
//                                        with -o, writes the compiled module (code cache)
//   brisk run [-W timeout=T] FILE FUNC [ARG ...]
//                                        calls an export of a module without imports
//                                        (timeout: e.g. 500ms, 2s; then it traps "interrupted")
//                                        (FILE: .wasm, or a .cwasm from compile -o);
//                                        arguments are parsed by the parameter types
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "brisk/brisk.h"
#include "cli/values.h"

namespace {

int usage() {
  fprintf(stderr,
          "usage: brisk inspect FILE.wasm\n"
          "       brisk compile FILE.wasm [-o OUT.cwasm]\n"
          "       brisk run [-W timeout=T] FILE.wasm|FILE.cwasm FUNC [ARG ...]\n"
          "  inspect   validate a module and print its imports, exports and functions\n"
          "  compile   validate and compile a module, print the time; -o writes the\n"
          "            compiled code, which run loads without compiling again\n"
          "  run       call an exported function of a module without imports;\n"
          "            -W timeout=T (500ms, 2s, 1m) stops it after T with \"interrupted\"\n");
  return 2;
}

int compile(const char* path, const char* out) {
  brisk::Engine engine;
  auto t0 = std::chrono::steady_clock::now();
  auto m = brisk::Module::from_file(engine, path);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!m) {
    fprintf(stderr, "brisk: %s: %s\n", path, m.status().to_string().c_str());
    return 1;
  }
  printf("%s: compiled in %.2f ms\n", path, ms);
  if (!out) return 0;
  auto bytes = m->serialize();
  if (!bytes) {
    fprintf(stderr, "brisk: %s\n", bytes.status().to_string().c_str());
    return 1;
  }
  FILE* f = fopen(out, "wb");
  if (!f || fwrite(bytes->data(), 1, bytes->size(), f) != bytes->size() || fclose(f) != 0) {
    fprintf(stderr, "brisk: cannot write %s\n", out);
    if (f) fclose(f);
    return 1;
  }
  printf("%s: %zu bytes\n", out, bytes->size());
  return 0;
}

// A .wasm is compiled, a serialized module (whatever its name) loaded.
brisk::Result<brisk::Module> load(const brisk::Engine& engine, const char* path) {
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  in.read(head, sizeof head);
  if (brisk::Module::is_serialized({reinterpret_cast<const uint8_t*>(head), static_cast<size_t>(in.gcount())})) {
    return brisk::Module::deserialize_file(engine, path);
  }
  return brisk::Module::from_file(engine, path);
}

int run(const char* path, const char* func, int argc, char** argv, uint64_t timeout_ms) {
  brisk::Config config;
  config.interruptible = timeout_ms != 0;  // epoch checks only when asked for
  brisk::Engine engine(config);
  auto m = load(engine, path);
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
  // The timeout: one epoch tick after T, with the deadline one tick away.
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  std::thread watchdog;
  if (timeout_ms) {
    store.set_epoch_deadline(1);
    watchdog = std::thread([&] {
      std::unique_lock<std::mutex> lock(mu);
      if (!done_cv.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return done; })) {
        engine.increment_epoch();
      }
    });
  }
  auto r = f->call(store, args);
  if (watchdog.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mu);
      done = true;
    }
    done_cv.notify_one();
    watchdog.join();
  }
  if (!r) {
    fprintf(stderr, "brisk: %s\n%s", r.status().to_string().c_str(), r.status().trace().c_str());
    return 1;
  }
  for (const auto& v : *r) printf("%s\n", brisk::cli::format_value(v).c_str());
  return 0;
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
  auto d = brisk::Module::describe(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  if (!d) {
    fprintf(stderr, "brisk: %s: %s\n", path, d.status().to_string().c_str());
    return 1;
  }
  printf("%s: %zu bytes, valid\n", path, bytes.size());
  printf("functions: %u imported, %u defined\n", d->imported_functions, d->defined_functions);
  printf("imports (%zu):\n", d->imports.size());
  for (const auto& i : d->imports) printf("  %s.%s: %s %s\n", i.module.c_str(), i.name.c_str(), brisk::extern_kind_name(i.type), brisk::to_string(i.type).c_str());
  printf("exports (%zu):\n", d->exports.size());
  for (const auto& e : d->exports) printf("  %s: %s %s\n", e.name.c_str(), brisk::extern_kind_name(e.type), brisk::to_string(e.type).c_str());
  if (d->memory_min_pages) printf("memory: min %llu pages\n", static_cast<unsigned long long>(*d->memory_min_pages));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "inspect") return inspect(argv[2]);
  if (argc == 3 && std::string(argv[1]) == "compile") return compile(argv[2], nullptr);
  if (argc == 5 && std::string(argv[1]) == "compile" && std::string(argv[3]) == "-o") return compile(argv[2], argv[4]);
  if (argc >= 2 && std::string(argv[1]) == "run") {
    int i = 2;
    uint64_t timeout_ms = 0;
    while (i + 1 < argc && std::string(argv[i]) == "-W") {
      std::string opt = argv[i + 1];
      if (opt.rfind("timeout=", 0) != 0) {
        fprintf(stderr, "brisk: unknown -W option \"%s\" (known: timeout=T)\n", opt.c_str());
        return 2;
      }
      auto t = brisk::cli::parse_duration_ms(opt.substr(8));
      if (!t) {
        fprintf(stderr, "brisk: %s\n", t.status().message().c_str());
        return 2;
      }
      timeout_ms = *t;
      i += 2;
    }
    if (argc - i >= 2) return run(argv[i], argv[i + 1], argc - i - 2, argv + i + 2, timeout_ms);
  }
  return usage();
}
