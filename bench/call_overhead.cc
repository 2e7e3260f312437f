// Call overhead in both directions, typed and untyped (Google Benchmark):
//   bazel run -c opt //bench:call_overhead
// Host -> Wasm: one call of an empty export / a two-argument add per
// iteration. Wasm -> host: a Wasm loop calls a host `inc` 1000 times per
// iteration (reported per call via items_per_second), next to the same loop
// calling a Wasm function, whose cost is the loop's own.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "brisk/brisk.h"

namespace {

constexpr int32_t kInner = 1000;

struct Fixture {
  brisk::Engine engine;
  brisk::Store store{engine};
  brisk::Instance instance;
  explicit Fixture(bool typed_host) {
    auto module = brisk::Module::from_file(engine, "bench/calls.wasm");
    if (!module) {
      fprintf(stderr, "%s\n", module.status().to_string().c_str());
      abort();
    }
    brisk::Linker linker(engine);
    brisk::Status st;
    if (typed_host) {
      st = linker.func_wrap("host", "inc", [](int32_t x) { return x + 1; });
    } else {
      using K = brisk::ValKind;
      st = linker.func_new("host", "inc", brisk::FuncType{{K::kI32}, {K::kI32}},
                           [](std::span<const brisk::Val> a, std::span<brisk::Val> r) {
                             r[0] = brisk::Val::i32(a[0].i32() + 1);
                             return brisk::Status::ok();
                           });
    }
    if (!st) abort();
    instance = linker.instantiate(store, *module).value();
  }
};

void BM_HostToWasm_Typed_Nop(benchmark::State& state) {
  Fixture fx(true);
  auto nop = fx.instance.typed_func<void()>(fx.store, "nop").value();
  for (auto _ : state) benchmark::DoNotOptimize(nop.call(fx.store));
}

void BM_HostToWasm_Typed_Add(benchmark::State& state) {
  Fixture fx(true);
  auto add = fx.instance.typed_func<int32_t(int32_t, int32_t)>(fx.store, "add").value();
  int32_t acc = 0;
  for (auto _ : state) acc = add.call(fx.store, acc, 1).value();
  benchmark::DoNotOptimize(acc);
}

void BM_HostToWasm_Untyped_Add(benchmark::State& state) {
  Fixture fx(true);
  auto add = *fx.instance.get_func(fx.store, "add");
  brisk::Val args[2], result[1];
  int32_t acc = 0;
  for (auto _ : state) {
    args[0] = brisk::Val::i32(acc);
    args[1] = brisk::Val::i32(1);
    (void)add.call(fx.store, args, result);
    acc = result[0].i32();
  }
  benchmark::DoNotOptimize(acc);
}

void BM_HostToWasm_UntypedVector_Add(benchmark::State& state) {
  Fixture fx(true);
  auto add = *fx.instance.get_func(fx.store, "add");
  int32_t acc = 0;
  for (auto _ : state) acc = (*add.call(fx.store, {brisk::Val::i32(acc), brisk::Val::i32(1)}))[0].i32();
  benchmark::DoNotOptimize(acc);
}

void wasm_loop(benchmark::State& state, bool typed_host, const char* loop) {
  Fixture fx(typed_host);
  auto f = fx.instance.typed_func<int32_t(int32_t)>(fx.store, loop).value();
  for (auto _ : state) benchmark::DoNotOptimize(f.call(fx.store, kInner).value());
  state.SetItemsProcessed(state.iterations() * kInner);
}

void BM_WasmToHost_Typed(benchmark::State& state) { wasm_loop(state, true, "call_host"); }
void BM_WasmToHost_Untyped(benchmark::State& state) { wasm_loop(state, false, "call_host"); }
void BM_WasmToWasm(benchmark::State& state) { wasm_loop(state, true, "call_wasm"); }

BENCHMARK(BM_HostToWasm_Typed_Nop);
BENCHMARK(BM_HostToWasm_Typed_Add);
BENCHMARK(BM_HostToWasm_Untyped_Add);
BENCHMARK(BM_HostToWasm_UntypedVector_Add);
BENCHMARK(BM_WasmToHost_Typed);
BENCHMARK(BM_WasmToHost_Untyped);
BENCHMARK(BM_WasmToWasm);

}  // namespace

BENCHMARK_MAIN();
