// The `brisk` command line:
//   brisk inspect FILE.wasm              imports, exports, function counts (validates)
//   brisk compile FILE.wasm [-o OUT.cwasm]  validates and compiles; prints the time;
//                                        with -o, writes the compiled module (code cache)
//   brisk run [--dir HOST[::GUEST]]... [--env K[=V]]... [--invoke NAME]
//             [-W timeout=T] [-W max-memory-size=N] [--] FILE [ARG ...]
//                                        runs a WASI command (ARGs are its argv after FILE),
//                                        or --invoke NAME with ARGs parsed by its parameter
//                                        types; exits with the program's code (a trap: its
//                                        message and backtrace on stderr, exit 134);
//                                        FILE: .wasm, or a .cwasm from compile -o
//   brisk --version
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "brisk/brisk.h"
#include "brisk/wasi.h"
#include "cli/values.h"

namespace {

int usage() {
  fprintf(stderr,
          "usage: brisk inspect FILE.wasm\n"
          "       brisk compile FILE.wasm [-o OUT.cwasm]\n"
          "       brisk run [--dir HOST[::GUEST]]... [--env K[=V]]... [--invoke NAME]\n"
          "                 [-W timeout=T] [-W max-memory-size=N] [--] FILE.wasm|FILE.cwasm [ARG ...]\n"
          "       brisk --version\n"
          "  inspect   validate a module and print its imports, exports and functions\n"
          "  compile   validate and compile a module, print the time; -o writes the\n"
          "            compiled code, which run loads without compiling again\n"
          "  run       run a WASI command (ARGs are its arguments), or --invoke an export\n"
          "            with ARGs as its parameters; --dir preopens a host directory (as\n"
          "            GUEST, or under its own name), --env sets (or with K alone passes\n"
          "            on) a variable; -W timeout=T (500ms, 2s) stops it with \"interrupted\",\n"
          "            -W max-memory-size=N (bytes, K, M, G) caps each linear memory\n");
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

struct RunOptions {
  std::vector<std::pair<std::string, std::string>> dirs;  // host, guest
  std::vector<std::string> env;                          // K=V or K (inherit K)
  std::string invoke;
  uint64_t timeout_ms = 0;
  uint64_t max_memory = 0;
  std::string file;
  std::vector<std::string> args;  // after FILE
};

// The run: a WASI command (_start with args as argv), or --invoke NAME with
// args parsed by the function's parameter types.
int run(const RunOptions& o) {
  brisk::Config config;
  config.interruptible = o.timeout_ms != 0;  // epoch checks only when asked for
  brisk::Engine engine(config);
  auto m = load(engine, o.file.c_str());
  if (!m) {
    fprintf(stderr, "brisk: %s: %s\n", o.file.c_str(), m.status().to_string().c_str());
    return 1;
  }
  brisk::Store store(engine);
  if (o.max_memory) {
    brisk::StoreLimits limits;
    limits.memory_size = o.max_memory;
    store.set_limits(limits);
  }
  brisk::wasi::WasiConfig wc;
  wc.args.push_back(o.file);  // argv[0] is FILE as given
  if (o.invoke.empty()) wc.args.insert(wc.args.end(), o.args.begin(), o.args.end());
  for (const std::string& e : o.env) {
    size_t eq = e.find('=');
    if (eq != std::string::npos) {
      wc.env.emplace_back(e.substr(0, eq), e.substr(eq + 1));
    } else if (const char* v = getenv(e.c_str())) {
      wc.env.emplace_back(e, v);
    }
  }
  for (const auto& [host, guest] : o.dirs) wc.preopens.push_back({host, guest, false});
  auto wasi = brisk::wasi::WasiCtx::create(wc);
  if (!wasi) {
    fprintf(stderr, "brisk: %s\n", wasi.status().message().c_str());
    return 1;
  }
  brisk::Linker linker(engine);
  if (auto st = brisk::wasi::add_to_linker(linker, *wasi); !st) {
    fprintf(stderr, "brisk: %s\n", st.to_string().c_str());
    return 1;
  }
  auto inst = linker.instantiate(store, *m);
  if (!inst) {
    fprintf(stderr, "brisk: %s: %s\n", o.file.c_str(), inst.status().to_string().c_str());
    if (inst.status().kind() == brisk::ErrorKind::kTrap) fprintf(stderr, "%s", inst.status().trace().c_str());
    return 1;
  }

  // The timeout: one epoch tick after T, with the deadline one tick away.
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  std::thread watchdog;
  if (o.timeout_ms) {
    store.set_epoch_deadline(1);
    watchdog = std::thread([&] {
      std::unique_lock<std::mutex> lock(mu);
      if (!done_cv.wait_for(lock, std::chrono::milliseconds(o.timeout_ms), [&] { return done; })) {
        engine.increment_epoch();
      }
    });
  }
  auto stop_watchdog = [&] {
    if (!watchdog.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mu);
      done = true;
    }
    done_cv.notify_one();
    watchdog.join();
  };
  auto report = [&](const brisk::Status& st) {
    std::string msg = st.to_string();
    if (brisk::trap_code_of(st) == brisk::TrapCode::kInterrupted && o.timeout_ms) {
      msg += " (the time limit of " + std::to_string(o.timeout_ms) + " ms was reached)";
    }
    fprintf(stderr, "brisk: %s\n%s", msg.c_str(), st.trace().c_str());
  };

  if (o.invoke.empty()) {
    brisk::Status trap;
    int code = brisk::wasi::run(store, *inst, **wasi, "", &trap);
    stop_watchdog();
    fflush(stdout);
    if (!trap.is_ok()) report(trap);
    return code;
  }
  // --invoke: a reactor's _initialize first, then the function with typed arguments.
  if (auto init = inst->get_func(store, "_initialize")) {
    auto r = init->call(store, std::span<const brisk::Val>());
    if (!r) {
      stop_watchdog();
      report(r.status());
      return (*wasi)->exit_code().value_or(134);
    }
  }
  auto f = inst->get_func(store, o.invoke);
  if (!f) {
    stop_watchdog();
    fprintf(stderr, "brisk: %s exports no function \"%s\"\n", o.file.c_str(), o.invoke.c_str());
    return 1;
  }
  brisk::FuncType type = f->type(store);
  if (o.args.size() != type.params.size()) {
    stop_watchdog();
    fprintf(stderr, "brisk: %s takes %zu arguments\n", o.invoke.c_str(), type.params.size());
    return 2;
  }
  std::vector<brisk::Val> args(type.params.size());
  for (size_t i = 0; i < o.args.size(); ++i) {
    auto v = brisk::cli::parse_value(type.params[i], o.args[i]);
    if (!v) {
      stop_watchdog();
      fprintf(stderr, "brisk: argument %zu: %s\n", i, v.status().message().c_str());
      return 2;
    }
    args[i] = *v;
  }
  auto r = f->call(store, args);
  stop_watchdog();
  fflush(stdout);
  if (!r) {
    if ((*wasi)->exit_code()) return *(*wasi)->exit_code();
    report(r.status());
    return 134;
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

// Bytes with an optional K, M or G suffix (powers of 1024).
bool parse_size(const std::string& text, uint64_t* out) {
  char* end = nullptr;
  unsigned long long v = strtoull(text.c_str(), &end, 10);
  if (end == text.c_str()) return false;
  std::string unit = end;
  uint64_t scale = unit.empty() ? 1 : unit == "K" || unit == "KiB" ? 1024 : unit == "M" || unit == "MiB" ? 1 << 20
                   : unit == "G" || unit == "GiB" ? 1ull << 30 : 0;
  if (!scale || v == 0 || v > UINT64_MAX / scale) return false;
  *out = v * scale;
  return true;
}

int run_command(int argc, char** argv) {
  RunOptions o;
  int i = 2;
  auto need = [&](const char* flag) -> const char* {
    if (i + 1 >= argc) {
      fprintf(stderr, "brisk: %s needs a value\n", flag);
      return nullptr;
    }
    return argv[++i];
  };
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a.empty() || a[0] != '-') break;
    std::string value;
    auto split = [&](const std::string& flag) {
      if (a.rfind(flag + "=", 0) == 0) {
        value = a.substr(flag.size() + 1);
        return true;
      }
      if (a == flag) {
        const char* v = need(flag.c_str());
        if (!v) return false;
        value = v;
        return true;
      }
      return false;
    };
    if (split("--dir")) {
      size_t sep = value.find("::");
      if (sep == std::string::npos) o.dirs.emplace_back(value, value);
      else o.dirs.emplace_back(value.substr(0, sep), value.substr(sep + 2));
    } else if (split("--env")) {
      o.env.push_back(value);
    } else if (split("--invoke")) {
      o.invoke = value;
    } else if (a == "-W" || a.rfind("-W", 0) == 0) {
      value = a.size() > 2 ? a.substr(2) : (need("-W") ? argv[i] : "");
      if (value.empty()) return 2;
      if (value.rfind("timeout=", 0) == 0) {
        auto t = brisk::cli::parse_duration_ms(value.substr(8));
        if (!t) {
          fprintf(stderr, "brisk: %s\n", t.status().message().c_str());
          return 2;
        }
        o.timeout_ms = *t;
      } else if (value.rfind("max-memory-size=", 0) == 0) {
        if (!parse_size(value.substr(16), &o.max_memory)) {
          fprintf(stderr, "brisk: invalid max-memory-size \"%s\" (bytes, or with K, M, G)\n", value.substr(16).c_str());
          return 2;
        }
      } else {
        fprintf(stderr, "brisk: unknown -W option \"%s\" (known: timeout=T, max-memory-size=N)\n", value.c_str());
        return 2;
      }
    } else {
      fprintf(stderr, "brisk: unknown option %s\n", a.c_str());
      return usage();
    }
  }
  if (i >= argc) return usage();
  o.file = argv[i++];
  for (; i < argc; ++i) o.args.push_back(argv[i]);
  return run(o);
}

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "inspect") return inspect(argv[2]);
  if (argc == 3 && std::string(argv[1]) == "compile") return compile(argv[2], nullptr);
  if (argc == 5 && std::string(argv[1]) == "compile" && std::string(argv[3]) == "-o") return compile(argv[2], argv[4]);
  if (argc >= 2 && std::string(argv[1]) == "run") return run_command(argc, argv);
  if (argc == 2 && (std::string(argv[1]) == "--version" || std::string(argv[1]) == "-V")) {
    printf("brisk 0.1.0\n");
    return 0;
  }
  return usage();
}
