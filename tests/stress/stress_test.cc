// Stress: one engine shared by many threads (concurrent compiles, one module
// in many stores, traps on every thread, interrupts at random times,
// instance and thread churn). Runs normally in `bazel test`, and under
// --config=tsan and --config=asan with tests/stress/sanitizers.sh.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "brisk/brisk.h"

namespace brisk {
namespace {

std::vector<uint8_t> stress_wasm() {
  std::ifstream in("tests/stress/stress.wasm", std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return {s.begin(), s.end()};
}

// Sanitizers make everything 5-20x slower: the sizes shrink with them.
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
constexpr int kScale = 1;
#else
constexpr int kScale = 20;
#endif
constexpr int kThreads = 4;

int32_t expected_work(int32_t n) {
  int32_t acc = 0;
  for (int32_t i = 0; i < n; ++i) acc += i;
  return acc;
}

Linker host_linker(const Engine& engine) {
  Linker linker(engine);
  EXPECT_TRUE(linker.func_wrap("host", "add", [](int32_t a, int32_t b) { return a + b; }));
  return linker;
}

void run_threads(int n, const std::function<void(int)>& body) {
  std::vector<std::thread> threads;
  for (int t = 0; t < n; ++t) threads.emplace_back(body, t);
  for (auto& t : threads) t.join();
}

TEST(StressTest, ConcurrentCompilesInOneEngine) {
  Engine engine;
  auto bytes = stress_wasm();
  run_threads(kThreads, [&](int) {
    for (int i = 0; i < 5 * kScale; ++i) {
      auto m = Module::compile(engine, bytes);
      ASSERT_TRUE(m) << m.status().to_string();
      Store store(engine);
      auto inst = host_linker(engine).instantiate(store, *m);
      ASSERT_TRUE(inst);
      EXPECT_EQ(inst->typed_func<int32_t(int32_t)>(store, "work")->call(store, 100).value(), expected_work(100));
    }
  });
}

TEST(StressTest, OneModuleManyStoresTrapsOnEveryThread) {
  Engine engine;
  auto m = Module::compile(engine, stress_wasm()).value();
  auto pre = host_linker(engine).instantiate_pre(m).value();
  run_threads(kThreads, [&](int t) {
    for (int i = 0; i < 25 * kScale; ++i) {
      Store store(engine);
      auto inst = pre.instantiate(store).value();
      auto work = inst.typed_func<int32_t(int32_t)>(store, "work").value();
      auto oob = inst.typed_func<int32_t(int32_t)>(store, "oob").value();
      auto unreachable = inst.typed_func<void()>(store, "unreachable").value();
      auto div = inst.typed_func<int32_t(int32_t, int32_t)>(store, "div").value();
      auto deep = inst.typed_func<int32_t(int32_t)>(store, "deep").value();
      for (int round = 0; round < 4; ++round) {
        EXPECT_EQ(trap_code_of(oob.call(store, 65536 + t).status()), TrapCode::kMemoryOutOfBounds);
        EXPECT_EQ(trap_code_of(unreachable.call(store)), TrapCode::kUnreachable);
        EXPECT_EQ(trap_code_of(div.call(store, 1, 0).status()), TrapCode::kIntegerDivideByZero);
        EXPECT_EQ(trap_code_of(div.call(store, INT32_MIN, -1).status()), TrapCode::kIntegerOverflow);
        EXPECT_EQ(trap_code_of(deep.call(store, 10000000).status()), TrapCode::kStackOverflow);
        EXPECT_EQ(work.call(store, 50 + round).value(), expected_work(50 + round));
      }
    }
  });
}

TEST(StressTest, InterruptsAtRandomTimes) {
  Config c;
  c.interruptible = true;
  Engine engine(c);
  auto m = Module::compile(engine, stress_wasm()).value();
  auto pre = host_linker(engine).instantiate_pre(m).value();
  std::vector<InterruptHandle> handles(kThreads);
  std::mutex mu;
  std::atomic<int> finished{0};
  std::thread watchdog([&] {
    std::mt19937 rng(20261201);
    while (finished.load() < kThreads) {
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % 2000));
      std::lock_guard<std::mutex> lock(mu);
      handles[rng() % kThreads].interrupt();
    }
  });
  run_threads(kThreads, [&](int t) {
    for (int i = 0; i < 10 * kScale; ++i) {
      auto store = std::make_unique<Store>(engine);
      {
        std::lock_guard<std::mutex> lock(mu);
        handles[t] = store->interrupt_handle();  // the old store's handle dies here, maybe mid-interrupt
      }
      auto inst = pre.instantiate(*store).value();
      auto spin = inst.typed_func<void()>(*store, "spin").value();
      auto work = inst.typed_func<int32_t(int32_t)>(*store, "work").value();
      EXPECT_EQ(trap_code_of(spin.call(*store)), TrapCode::kInterrupted);
      auto r = work.call(*store, 20000);  // finishes, or is interrupted: never a wrong value
      if (r) EXPECT_EQ(*r, expected_work(20000));
      else EXPECT_EQ(trap_code_of(r.status()), TrapCode::kInterrupted);
    }
    finished.fetch_add(1);
  });
  watchdog.join();
}

TEST(StressTest, InstanceChurn) {
  Engine engine;
  auto m = Module::compile(engine, stress_wasm()).value();
  auto pre = host_linker(engine).instantiate_pre(m).value();
  run_threads(kThreads, [&](int) {
    for (int i = 0; i < 50 * kScale; ++i) {  // a store per request
      Store store(engine);
      auto inst = pre.instantiate(store).value();
      EXPECT_EQ(inst.typed_func<int32_t(int32_t)>(store, "work")->call(store, 10).value(), expected_work(10));
    }
    Store big(engine);  // many instances in one store
    for (int i = 0; i < 100 * kScale; ++i) ASSERT_TRUE(pre.instantiate(big));
  });
}

TEST(StressTest, ThreadChurn) {
  Engine engine;
  auto m = Module::compile(engine, stress_wasm()).value();
  auto pre = host_linker(engine).instantiate_pre(m).value();
  for (int round = 0; round < 10 * kScale; ++round) {
    run_threads(8, [&](int) {  // short-lived threads, each with its own store and one call
      Store store(engine);
      auto inst = pre.instantiate(store).value();
      EXPECT_EQ(trap_code_of(inst.typed_func<void()>(store, "unreachable")->call(store)), TrapCode::kUnreachable);
    });
  }
}

}  // namespace
}  // namespace brisk
