// Compile speed per module and per phase, single-threaded unless --threads:
//   bazel run -c opt //bench:compile_speed -- [--runs=N] [--threads=N] FILE.wasm...
// Phases (best of N runs each, MB/s of code-section bytes):
//   module   decode_module: every section but the bodies' operators
//   decode   every body's operators decoded, nothing else (scan_function_body)
//   validate decode + validation of every body (validate_functions), less decode
//   codegen  the fused compile of every body (decode, validate, register
//            allocation, emission through asmjit), less decode + validate
//   finalize layout, relocation, copy into code memory, publication
// A measurement, not a test: compare runs of two commits on the same machine.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/cpu_features.h"
#include "compiler/decode/module_decoder.h"
#include "compiler/module_compiler.h"
#include "compiler/validate/func_validator.h"

namespace {

using namespace brisk;
using namespace brisk::compiler;
using Clock = std::chrono::steady_clock;

double ms(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

template <class F>
double best_of(int runs, F&& f) {
  double best = 1e300;
  for (int i = 0; i < runs; ++i) {
    auto t = Clock::now();
    f();
    best = std::min(best, ms(t));
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  unsigned threads = 1;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--runs=", 0) == 0) runs = std::max(1, std::stoi(a.substr(7)));
    else if (a.rfind("--threads=", 0) == 0) threads = static_cast<unsigned>(std::stoi(a.substr(10)));
    else files.push_back(a);
  }
  if (files.empty()) {
    fprintf(stderr, "usage: compile_speed [--runs=N] [--threads=N] FILE.wasm...\n");
    return 2;
  }
  printf("%-18s %9s | %14s %14s %14s %14s %14s | %14s\n", "module", "code MB", "module ms", "decode MB/s",
         "validate MB/s", "codegen MB/s", "finalize ms", "total MB/s");
  for (const std::string& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string bytes = ss.str();
    auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
    auto decoded = decode_module(data, bytes.size());
    if (!decoded) {
      fprintf(stderr, "%s: %s\n", path.c_str(), decoded.status().to_string().c_str());
      return 1;
    }
    const Module& m = **decoded;
    double code = 0;
    for (const FuncBody& b : m.bodies) code += b.size;
    double mb = code / 1e6;
    double t_module = best_of(runs, [&] { (void)decode_module(data, bytes.size()); });
    double t_decode = best_of(runs, [&] {
      for (uint32_t i = 0; i < m.num_defined_funcs(); ++i) (void)scan_function_body(m, i);
    });
    Status valid;
    double t_validate = best_of(runs, [&] { valid = validate_functions(m); });
    if (!valid.is_ok()) {
      fprintf(stderr, "%s: %s\n", path.c_str(), valid.to_string().c_str());
      return 1;
    }
    std::vector<uint32_t> ids(m.types.size());
    std::iota(ids.begin(), ids.end(), 1u);
    CompileStats stats, best{1e300, 1e300};
    CompileOptions options;
    options.max_threads = threads;
    options.stats = &stats;
    options.cpu = host_cpu_features();
    Status compiled;
    for (int i = 0; i < runs; ++i) {
      auto r = compile_module(m, ids, options);
      if (!r) compiled = r.take_status();
      best.batches_ms = std::min(best.batches_ms, stats.batches_ms);
      best.finalize_ms = std::min(best.finalize_ms, stats.finalize_ms);
    }
    if (!compiled.is_ok()) {
      fprintf(stderr, "%s: %s\n", path.c_str(), compiled.to_string().c_str());
      return 1;
    }
    std::string name = path.substr(path.find_last_of('/') + 1);
    double validate_only = std::max(1e-9, t_validate - t_decode);
    double codegen_only = std::max(1e-9, best.batches_ms - t_validate);
    double total = t_module + best.batches_ms + best.finalize_ms;
    printf("%-18s %9.2f | %14.2f %14.1f %14.1f %14.1f %14.2f | %14.1f\n", name.c_str(), mb, t_module,
           mb / (t_decode / 1e3), mb / (validate_only / 1e3), mb / (codegen_only / 1e3), best.finalize_ms,
           mb / (total / 1e3));
  }
  return 0;
}
