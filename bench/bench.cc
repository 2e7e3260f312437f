// Runs compute kernels through the public API and reports compile time and
// run time, in the same format as node_bench.js, for compare.sh.
//   bench [--runs=N] [--interruptible] FILE.wasm ...
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "brisk/brisk.h"

namespace {

double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  std::vector<std::string> files;
  brisk::Config config;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--runs=", 0) == 0) runs = std::stoi(a.substr(7));
    else if (a == "--interruptible") config.interruptible = true;  // epoch checks compiled in
    else files.push_back(a);
  }
  brisk::Engine engine(config);
  for (const std::string& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string bytes = ss.str();
    std::span<const uint8_t> span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    // Compile time: best of many compiles (small modules compile in
    // microseconds). Each copy gets a distinct custom section so that no
    // engine can serve it from a cache (V8 would).
    double best_compile = 1e100;
    std::optional<brisk::Module> module;
    double budget_end = now_ms() + 3000;  // at most ~3 s of compiling
    for (int i = 0; i < 200 && (i < 3 || now_ms() < budget_end); ++i) {
      std::string copy = bytes;
      std::string tag = "bench" + std::to_string(i);
      copy += '\0';
      copy += static_cast<char>(tag.size() + 1);
      copy += static_cast<char>(tag.size());
      copy += tag;
      std::span<const uint8_t> cspan(reinterpret_cast<const uint8_t*>(copy.data()), copy.size());
      double t0 = now_ms();
      auto m = brisk::Module::compile(engine, cspan);
      double t1 = now_ms();
      if (!m) {
        fprintf(stderr, "%s: %s\n", path.c_str(), m.status().to_string().c_str());
        return 1;
      }
      best_compile = std::min(best_compile, t1 - t0);
      module = *m;
    }
    brisk::Store store(engine);
    brisk::Linker linker(engine);
    std::string name = path.substr(path.find_last_of('/') + 1);
    auto inst = linker.instantiate(store, *module);
    if (!inst) {  // e.g. a module with imports: report compile time only
      printf("%s run_ms=0 compile_ms=%.4f bytes=%zu result=0\n", name.c_str(), best_compile, bytes.size());
      continue;
    }
    auto run = inst->get_func(store, "run");
    double best = 1e100;
    int32_t result = 0;
    for (int i = 0; i < runs + 1; ++i) {
      double t0 = now_ms();
      auto r = run->call(store, {});
      double t1 = now_ms();
      if (!r) {
        fprintf(stderr, "%s: %s\n", path.c_str(), r.status().to_string().c_str());
        return 1;
      }
      result = (*r)[0].i32();
      if (i > 0) best = std::min(best, t1 - t0);  // the first run warms up
    }
    printf("%s run_ms=%.3f compile_ms=%.4f bytes=%zu result=%d\n", name.c_str(), best, best_compile, bytes.size(),
           result);
  }
  return 0;
}
