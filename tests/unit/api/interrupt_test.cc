// Interruption (interrupt handles, epoch deadlines) and per-thread runtime
// state: the four problems of issue 14, each with the test that failed before.
#include <gtest/gtest.h>

#include <atomic>
#include <signal.h>
#include <sys/mman.h>

#include <cstdio>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "brisk/brisk.h"
#include "runtime/signals.h"

namespace brisk {
namespace {

using Clock = std::chrono::steady_clock;

Module load(const Engine& engine) {
  auto m = Module::from_file(engine, "tests/unit/api/interrupt.wasm");
  EXPECT_TRUE(m) << m.status().to_string();
  return m ? m.value() : Module{};
}

Config interruptible() {
  Config c;
  c.interruptible = true;
  return c;
}

/// A store with the test module; `reenter` is what the host import does.
struct Env {
  Engine engine;
  Store store;
  Instance instance;
  std::function<Status(Caller&)> reenter = [](Caller&) { return Status::ok(); };
  explicit Env(Config c = interruptible()) : engine(c), store(engine) {
    Linker linker(engine);
    EXPECT_TRUE(linker.func_wrap("host", "reenter", [this](Caller& c) { return reenter(c); }));
    instance = linker.instantiate(store, load(engine)).value();
  }
  TypedFunc<void()> func(const char* name) { return instance.typed_func<void()>(store, name).value(); }
};

/// Interrupts `h` after `delay` and then every 10 ms until destroyed. An
/// interrupt that lands before the call under test has entered Wasm is
/// dropped by design (InterruptBetweenCallsIsDropped), and on a loaded
/// machine or under qemu the call may take longer than `delay` to get there.
class Watchdog {
 public:
  Watchdog(InterruptHandle h, std::chrono::milliseconds delay)
      : thread_([this, h, delay] {
          std::unique_lock<std::mutex> lock(mu_);
          for (auto wait = delay; !cv_.wait_for(lock, wait, [this] { return done_; });) {
            h.interrupt();
            wait = std::chrono::milliseconds(10);
          }
        }) {}
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

/// Interrupts `h` once, as soon as `in_host` is set: from a host function
/// called by Wasm, so the interrupt lands inside the outermost call.
std::thread interrupt_when(InterruptHandle h, const std::atomic<bool>& in_host) {
  return std::thread([h, &in_host] {
    while (!in_host.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    h.interrupt();
  });
}

TEST(InterruptTest, StopsARunawayLoop) {
  Env s;
  Status st;
  {
    Watchdog w(s.store.interrupt_handle(), std::chrono::milliseconds(20));
    st = s.func("spin").call(s.store);
  }
  ASSERT_FALSE(st);
  EXPECT_EQ(trap_code_of(st), TrapCode::kInterrupted);
  EXPECT_EQ(st.message(), "interrupted");
  EXPECT_EQ(s.instance.typed_func<int32_t(int32_t)>(s.store, "count")->call(s.store, 100).value(), 100);
}

// Problem 1: the handle wrote into the freed store (ASan: heap-use-after-free).
TEST(InterruptTest, HandleMayOutliveItsStore) {
  Engine engine(interruptible());
  std::vector<InterruptHandle> handles;
  for (int i = 0; i < 100; ++i) {
    Store store(engine);
    handles.push_back(store.interrupt_handle());
  }
  for (auto& h : handles) h.interrupt();  // the stores are gone: nothing happens
  // The same race with a watchdog firing while stores come and go.
  std::atomic<bool> stop{false};
  std::vector<InterruptHandle> shared(64);
  std::mutex mu;
  std::thread watchdog([&] {
    while (!stop.load()) {
      std::lock_guard<std::mutex> lock(mu);
      for (auto& h : shared) h.interrupt();
    }
  });
  for (int i = 0; i < 2000; ++i) {
    auto store = std::make_unique<Store>(engine);
    {
      std::lock_guard<std::mutex> lock(mu);
      shared[i % shared.size()] = store->interrupt_handle();
    }
  }
  stop = true;
  watchdog.join();
}

// Problem 2a: the inner call ate the interrupt; the outer loop ran on.
TEST(InterruptTest, ReentryIgnoredByTheHostStillStopsTheOuterCall) {
  Env s;
  Status inner;
  std::atomic<bool> in_host{false};
  s.reenter = [&](Caller& c) {
    auto spin = c.instance()->typed_func<void()>(c.store(), "spin").value();
    in_host = true;
    inner = spin.call(c.store());
    return Status::ok();  // the host ignores the inner trap
  };
  // Should the outer loop not stop, the epoch deadline ends it after 1.5 s
  // and the elapsed time shows the failure (instead of a hang).
  s.store.set_epoch_deadline(1);
  std::thread fallback([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    s.engine.increment_epoch();
  });
  auto t = interrupt_when(s.store.interrupt_handle(), in_host);  // one interrupt only
  auto t0 = Clock::now();
  Status outer = s.func("outer").call(s.store);
  auto elapsed = Clock::now() - t0;
  t.join();
  ASSERT_FALSE(inner);
  EXPECT_EQ(trap_code_of(inner), TrapCode::kInterrupted);
  ASSERT_FALSE(outer);
  EXPECT_EQ(trap_code_of(outer), TrapCode::kInterrupted);
  EXPECT_LT(elapsed, std::chrono::milliseconds(1000)) << "the outer call ran on after the interrupt";
  fallback.join();
}

// Problem 2b: a propagated inner interrupt came out as "host function error".
TEST(InterruptTest, PropagatedInnerInterruptKeepsItsCode) {
  Env s;
  std::atomic<bool> in_host{false};
  s.reenter = [&](Caller& c) {
    in_host = true;
    return c.instance()->typed_func<void()>(c.store(), "spin")->call(c.store());
  };
  auto t = interrupt_when(s.store.interrupt_handle(), in_host);
  Status outer = s.func("outer").call(s.store);
  t.join();
  ASSERT_FALSE(outer);
  EXPECT_EQ(trap_code_of(outer), TrapCode::kInterrupted);
  EXPECT_EQ(outer.message(), "interrupted");
}

// Problem 3: an interrupt that came after a call returned killed the next call.
TEST(InterruptTest, InterruptBetweenCallsIsDropped) {
  Env s;
  auto count = s.instance.typed_func<int32_t(int32_t)>(s.store, "count").value();
  EXPECT_EQ(count.call(s.store, 10).value(), 10);
  s.store.interrupt_handle().interrupt();  // no call is running
  EXPECT_EQ(count.call(s.store, 10).value(), 10);
  EXPECT_EQ(s.instance.typed_func<int32_t()>(s.store, "leaf")->call(s.store).value(), 1);
}

TEST(InterruptTest, NonInterruptibleEngineIgnoresInterrupts) {
  Env s(Config{});
  s.store.interrupt_handle().interrupt();
  s.store.set_epoch_deadline(0);
  s.engine.increment_epoch();
  EXPECT_EQ(s.instance.typed_func<int32_t(int32_t)>(s.store, "count")->call(s.store, 1000).value(), 1000);
}

TEST(EpochTest, DeadlineStopsLoopsAndFunctionEntries) {
  Env s;
  s.store.set_epoch_deadline(2);
  std::thread ticker([&] {
    for (int i = 0; i < 2; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      s.engine.increment_epoch();
    }
  });
  Status st = s.func("spin").call(s.store);
  ticker.join();
  ASSERT_FALSE(st);
  EXPECT_EQ(trap_code_of(st), TrapCode::kInterrupted);
  EXPECT_GE(s.engine.epoch(), 2u);
  // The deadline stays: a function without loops traps at its entry.
  auto leaf = s.instance.typed_func<int32_t()>(s.store, "leaf").value();
  EXPECT_EQ(trap_code_of(leaf.call(s.store).status()), TrapCode::kInterrupted);
  s.store.set_epoch_deadline(5);
  EXPECT_EQ(leaf.call(s.store).value(), 1);
  s.store.clear_epoch_deadline();
  for (int i = 0; i < 10; ++i) s.engine.increment_epoch();
  EXPECT_EQ(leaf.call(s.store).value(), 1);
}

TEST(EpochTest, HostFunctionCanExtendTheDeadline) {
  Env s;
  s.store.set_epoch_deadline(1);
  s.reenter = [&](Caller& c) {
    s.engine.increment_epoch();      // the deadline passes while the host runs ...
    c.store().set_epoch_deadline(100);  // ... and the host extends it
    return Status::ok();
  };
  auto t0 = Clock::now();
  Status st;
  {
    Watchdog w(s.store.interrupt_handle(), std::chrono::milliseconds(50));
    st = s.func("outer").call(s.store);  // runs until the interrupt, not the old deadline
  }
  EXPECT_EQ(trap_code_of(st), TrapCode::kInterrupted);
  EXPECT_GE(Clock::now() - t0, std::chrono::milliseconds(40));
}

// Whether the page at `p` is mapped (msync fails with ENOMEM if not).
bool mapped(void* p) { return msync(p, 4096, MS_ASYNC) == 0; }

TEST(EpochTest, DeadlineCallbackExtendsOrStops) {
  Env s;
  int asked = 0;
  s.store.set_epoch_deadline(1);
  s.store.set_epoch_deadline_callback([&](Store& store) -> Result<uint64_t> {
    EXPECT_EQ(&store, &s.store);
    if (++asked < 3) return uint64_t{1};  // go on until the next tick
    return Status(ErrorKind::kTrap, "enough");
  });
  std::atomic<bool> stop{false};
  std::thread ticker([&] {
    while (!stop) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      s.engine.increment_epoch();
    }
  });
  // Live registers across the stub: a loop with float and integer state.
  Status st = s.func("spin").call(s.store);
  EXPECT_EQ(trap_code_of(st), TrapCode::kInterrupted);
  EXPECT_EQ(asked, 3);
  // An interrupt is never put to the callback.
  asked = 0;
  s.store.set_epoch_deadline_callback([&](Store&) -> Result<uint64_t> { ++asked; return uint64_t{1}; });
  s.store.set_epoch_deadline(1000000);
  {
    Watchdog w(s.store.interrupt_handle(), std::chrono::milliseconds(20));
    st = s.func("spin").call(s.store);
  }
  EXPECT_EQ(trap_code_of(st), TrapCode::kInterrupted);
  EXPECT_EQ(asked, 0);
  stop = true;
  ticker.join();
}

TEST(EpochTest, RegistersSurviveTheEpochStub) {
  Env s;
  s.store.set_epoch_deadline(0);  // every check goes to the stub ...
  int asked = 0;
  s.store.set_epoch_deadline_callback([&](Store&) -> Result<uint64_t> {
    ++asked;
    return uint64_t{0};  // ... and the callback keeps it that way
  });
  auto sum = s.instance.typed_func<double(int32_t)>(s.store, "float_loop").value();
  EXPECT_EQ(sum.call(s.store, 1000).value(), 1000.0 * 1001 / 2 * 1.5);
  EXPECT_GE(asked, 1000);
}

// Problem 4: 128 KiB of alternate signal stack leaked by every thread.
TEST(ThreadTest, ThreadsGiveTheirSignalStackBack) {
  Env s(Config{});
  auto count = s.instance.typed_func<int32_t(int32_t)>(s.store, "count").value();
  (void)count.call(s.store, 1);  // this thread's stack exists now
  size_t before = runtime::alt_stack_bytes_in_use();
  std::vector<void*> stacks;  // each thread's alternate signal stack
  std::mutex mu;  // a store is used by one thread at a time
  for (int round = 0; round < 50; ++round) {
    std::vector<std::thread> threads;
    for (int i = 0; i < 20; ++i) {
      threads.emplace_back([&] {
        std::lock_guard<std::mutex> lock(mu);
        EXPECT_EQ(count.call(s.store, 5).value(), 5);
        stack_t ss;
        if (sigaltstack(nullptr, &ss) == 0 && !(ss.ss_flags & SS_DISABLE)) stacks.push_back(ss.ss_sp);
      });
    }
    for (auto& t : threads) t.join();
  }
  EXPECT_EQ(runtime::alt_stack_bytes_in_use(), before) << "1000 threads exited";
  // After the threads are gone their stacks are unmapped (a few addresses may
  // have been mapped again since, by later threads or malloc).
  ASSERT_EQ(stacks.size(), 1000u);
  size_t still = 0;
  for (void* p : stacks) still += mapped(p);
  EXPECT_LT(still, 100u) << still << " of 1000 exited threads' signal stacks are still mapped";
}

}  // namespace
}  // namespace brisk
