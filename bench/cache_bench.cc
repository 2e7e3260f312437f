// Code cache timings: compile vs serialize vs deserialize (bytes and file),
// best and median of N runs, wall and CPU time.
//   bazel run -c opt //bench:cache_bench -- FILE.wasm [RUNS]
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "brisk/brisk.h"

namespace {

double cpu_ms() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
double wall_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

template <class F>
void measure(const char* what, int runs, F f) {
  std::vector<double> wall, cpu;
  for (int i = 0; i < runs; ++i) {
    double w0 = wall_ms(), c0 = cpu_ms();
    f();
    wall.push_back(wall_ms() - w0);
    cpu.push_back(cpu_ms() - c0);
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  printf("%-22s wall best %8.3f ms median %8.3f ms | cpu median %8.3f ms\n", what, wall[0], wall[runs / 2],
         cpu[runs / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  int runs = argc > 2 ? atoi(argv[2]) : 20;
  std::ifstream in(argv[1], std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  brisk::Config single;
  single.compile_threads = 1;
  brisk::Engine engine(single), parallel;
  auto m = brisk::Module::compile(engine, bytes).value();
  auto art = m.serialize().value();
  std::string path = "/tmp/brisk_cache_bench.cwasm";
  FILE* f = fopen(path.c_str(), "wb");
  fwrite(art.data(), 1, art.size(), f);
  fclose(f);
  printf("%s: %zu bytes of Wasm, %zu bytes serialized\n", argv[1], s.size(), art.size());
  measure("compile (1 thread)", runs, [&] { (void)brisk::Module::compile(engine, bytes).value(); });
  measure("compile (parallel)", runs, [&] { (void)brisk::Module::compile(parallel, bytes).value(); });
  measure("serialize", runs, [&] { (void)m.serialize().value(); });
  measure("deserialize (bytes)", runs, [&] { (void)brisk::Module::deserialize(engine, art).value(); });
  measure("deserialize (file)", runs, [&] { (void)brisk::Module::deserialize_file(engine, path).value(); });
  remove(path.c_str());
  return 0;
}
