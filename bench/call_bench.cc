// Host -> Wasm call overhead: calls an empty function and a two-argument add
// many times through Func::call (allocating and non-allocating forms).
//   bazel run -c opt //bench:call_bench
#include <chrono>
#include <cstdio>

#include "brisk/brisk.h"

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  brisk::Engine engine;
  auto module = brisk::Module::from_file(engine, argv[1]);
  if (!module) return 1;
  brisk::Store store(engine);
  brisk::Linker linker(engine);
  auto inst = linker.instantiate(store, *module).value();
  auto nop = inst.get_func(store, "nop").value();
  auto add = inst.get_func(store, "add").value();
  constexpr int kN = 2'000'000;
  for (int round = 0; round < 2; ++round) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kN; ++i) (void)nop.call(store, {});
    auto t1 = std::chrono::steady_clock::now();
    int32_t acc = 0;
    for (int i = 0; i < kN; ++i) acc += (*add.call(store, {brisk::Val::i32(i), brisk::Val::i32(1)}))[0].i32();
    auto t2 = std::chrono::steady_clock::now();
    brisk::Val args[2], result[1];
    for (int i = 0; i < kN; ++i) {
      args[0] = brisk::Val::i32(i);
      args[1] = brisk::Val::i32(1);
      (void)add.call(store, args, result);
      acc += result[0].i32();
    }
    auto t3 = std::chrono::steady_clock::now();
    auto ns = [](auto a, auto b) { return std::chrono::duration<double, std::nano>(b - a).count() / kN; };
    printf("nop %.1f ns, add (vector results) %.1f ns, add (span results) %.1f ns (acc %d)\n", ns(t0, t1),
           ns(t1, t2), ns(t2, t3), acc);
  }
  return 0;
}
