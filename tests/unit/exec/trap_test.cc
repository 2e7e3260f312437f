// Traps are values: each kind comes back with the spec's message, the store
// and other instances keep working, and faults outside Brisk code still
// reach the handler that was installed before Brisk's.
#include <gtest/gtest.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "brisk/brisk.h"
#include "runtime/signals.h"
#include "runtime/trap.h"
#include "tests/unit/exec/exec_util.h"

namespace brisk {
namespace {

class Traps : public testing::TestWithParam<bool> {
 protected:
  Traps() : engine_(test::config_for(GetParam())), store_(engine_), linker_(engine_) {
    module_ = test::load(engine_, "traps");
  }
  Instance instantiate() {
    auto inst = linker_.instantiate(store_, module_);
    EXPECT_TRUE(inst) << inst.status().to_string();
    return *inst;
  }
  Status trap_of(Instance& inst, const char* name, std::initializer_list<Val> args = {}) {
    auto r = inst.get_func(store_, name)->call(store_, args);
    EXPECT_FALSE(r) << name << " returned";
    return r ? Status::ok() : r.take_status();
  }
  Engine engine_;
  Store store_;
  Linker linker_;
  Module module_;
};

TEST_P(Traps, EachKindHasTheSpecMessage) {
  Instance inst = instantiate();
  struct Case { const char* name; std::vector<Val> args; const char* message; runtime::TrapCode code; };
  const Case cases[] = {
      {"unreachable", {}, "unreachable", runtime::TrapCode::kUnreachable},
      {"div0", {Val::i32(0)}, "integer divide by zero", runtime::TrapCode::kIntegerDivideByZero},
      {"overflow", {}, "integer overflow", runtime::TrapCode::kIntegerOverflow},
      {"oob", {Val::i32(65534)}, "out of bounds memory access", runtime::TrapCode::kMemoryOutOfBounds},
      {"oob_far", {}, "out of bounds memory access", runtime::TrapCode::kMemoryOutOfBounds},
      {"recurse", {Val::i32(0)}, "call stack exhausted", runtime::TrapCode::kStackOverflow},
      {"null_call", {}, "uninitialized element 1", runtime::TrapCode::kUninitializedElement},
      {"bad_sig", {}, "indirect call type mismatch", runtime::TrapCode::kIndirectCallTypeMismatch},
      {"trunc", {Val::f64(1e300)}, "integer overflow", runtime::TrapCode::kIntegerOverflow},
  };
  for (const Case& c : cases) {
    auto r = inst.get_func(store_, c.name)->call(store_, c.args);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.status().kind(), ErrorKind::kTrap) << c.name;
    EXPECT_EQ(r.status().message(), c.message) << c.name;
    EXPECT_EQ(trap_code(r.status()), static_cast<uint32_t>(c.code)) << c.name;
  }
}

TEST_P(Traps, TrapsCarryAWasmBacktraceWithNames) {
  Instance inst = instantiate();
  Status s = trap_of(inst, "outer", {Val::i32(0)});
  EXPECT_EQ(s.message(), "integer divide by zero");
  // innermost first, with names from the name section (wat2wasm keeps $names)
  EXPECT_EQ(s.trace(), "#0 inner (func[12])\n#1 middle (func[13])\n#2 (func[14])\n") << s.trace();
  Status oob = trap_of(inst, "oob", {Val::i32(-1)});
  EXPECT_NE(oob.trace().find("(func[4])"), std::string::npos) << oob.trace();
}

TEST_P(Traps, TheStoreKeepsWorkingAfterATrap) {
  Instance inst = instantiate();
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(trap_of(inst, "oob", {Val::i32(-1)}).message(), "out of bounds memory access");
    EXPECT_EQ(trap_of(inst, "recurse", {Val::i32(0)}).message(), "call stack exhausted");
    auto ok = inst.get_func(store_, "ok")->call(store_, {});
    ASSERT_TRUE(ok);
    EXPECT_EQ((*ok)[0].i32(), 42);
  }
}

TEST_P(Traps, ATrapInOneInstanceLeavesOthersWorking) {
  Instance a = instantiate();
  Instance b = instantiate();
  EXPECT_EQ(trap_of(a, "div0", {Val::i32(0)}).kind(), ErrorKind::kTrap);
  auto r = b.get_func(store_, "div0")->call(store_, {Val::i32(1)});
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].i32(), 1);
  // And another store on the same thread.
  Store other(engine_);
  Linker l(engine_);
  auto c = l.instantiate(other, module_);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->get_func(other, "ok")->call(other, {}));
}

TEST_P(Traps, HostFunctionErrorsBecomeTrapsWithTheirMessage) {
  auto wat_free_module = test::load(engine_, "codegen");
  Linker l(engine_);
  ASSERT_TRUE(l.define("host", "add", Func::create(store_, FuncType{{ValKind::kI32, ValKind::kI32}, {ValKind::kI32}},
                                       [](std::span<const Val>, std::span<Val>) {
                                         return Status(ErrorKind::kIo, "disk on fire");
                                       })));
  ASSERT_TRUE(l.define("host", "reenter", Func::create(store_, FuncType{{ValKind::kI32}, {ValKind::kI32}},
                                           [](std::span<const Val>, std::span<Val> r) {
                                             r[0] = Val::i32(0);
                                             return Status::ok();
                                           })));
  auto inst = l.instantiate(store_, wat_free_module);
  ASSERT_TRUE(inst);
  auto r = inst->get_func(store_, "call_import")->call(store_, {Val::i32(1), Val::i32(2)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().kind(), ErrorKind::kTrap);
  EXPECT_EQ(r.status().message(), "disk on fire");
}

INSTANTIATE_TEST_SUITE_P(BothBoundsModes, Traps, testing::Bool(), test::bounds_name);

TEST(Threads, StoresOnSeveralThreadsTrapIndependently) {
  // One engine and module shared; one store per thread; faults (signals) and
  // explicit traps interleave across threads.
  Engine engine;
  Module module = test::load(engine, "traps");
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Store store(engine);
      Linker linker(engine);
      auto inst = linker.instantiate(store, module);
      if (!inst) { ++failures; return; }
      for (int i = 0; i < 200; ++i) {
        auto oob = inst->get_func(store, "oob")->call(store, {Val::i32(-1 - t)});
        if (oob || oob.status().message() != "out of bounds memory access") ++failures;
        auto div = inst->get_func(store, "div0")->call(store, {Val::i32(i % 2)});
        if (i % 2 == 0 && (div || div.status().message() != "integer divide by zero")) ++failures;
        if (i % 2 == 1 && (!div || (*div)[0].i32() != 1)) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(Interrupt, AnotherThreadStopsAnInfiniteLoop) {
  Config c;
  c.interruptible = true;
  Engine engine(c);
  Store store(engine);
  Linker linker(engine);
  auto inst = linker.instantiate(store, test::load(engine, "traps"));
  ASSERT_TRUE(inst);
  InterruptHandle handle = store.interrupt_handle();
  // Again every 10 ms: an interrupt that lands before the call has entered
  // Wasm is dropped, and under qemu or on a loaded machine that may take 50 ms.
  std::atomic<bool> done{false};
  std::thread stopper([handle, &done] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (; !done.load(); std::this_thread::sleep_for(std::chrono::milliseconds(10))) handle.interrupt();
  });
  auto r = inst->get_func(store, "spin")->call(store, {});
  done = true;
  stopper.join();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message(), "interrupted");
  EXPECT_EQ(trap_code(r.status()), static_cast<uint32_t>(runtime::TrapCode::kInterrupted));
  // The flag is consumed by the trap: the store runs normally afterwards.
  auto ok = inst->get_func(store, "ok")->call(store, {});
  ASSERT_TRUE(ok);
  EXPECT_EQ((*ok)[0].i32(), 42);
}

void previous_handler(int, siginfo_t*, void*) { _exit(7); }

// Runs in a child process (a death test) so the handlers it installs do not
// leak into the other tests.
void fault_outside_after_a_wasm_trap() {
  struct sigaction sa {};
  sa.sa_sigaction = previous_handler;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, nullptr);
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  auto inst = linker.instantiate(store, test::load(engine, "traps"));
  if (!inst) _exit(1);
  // Brisk's handler is installed now, and still recognises its own faults.
  auto r = inst->get_func(store, "oob")->call(store, {Val::i32(-1)});
  if (r || r.status().message() != "out of bounds memory access") _exit(2);
  void* page = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  *static_cast<volatile int*>(page) = 1;  // a fault in plain C++ code
  _exit(3);
}

TEST(SignalChainDeathTest, FaultsOutsideBriskCodeReachThePreviousHandler) {
  testing::FLAGS_gtest_death_test_style = "threadsafe";
  EXPECT_EXIT(fault_outside_after_a_wasm_trap(), testing::ExitedWithCode(7), "");
}

}  // namespace
}  // namespace brisk
