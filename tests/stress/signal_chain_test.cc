// Signal chaining: a host that installed its own SIGSEGV handler before the
// engine keeps getting its own faults (outside Wasm code), on every thread,
// while faults in Wasm code stay traps. Its own binary: the handler order
// matters, and nothing else may have created an engine first.
#include <gtest/gtest.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>

#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "brisk/brisk.h"

namespace brisk {
namespace {

thread_local sigjmp_buf host_recover;
std::atomic<int> host_faults{0};

void host_handler(int, siginfo_t*, void*) {
  host_faults.fetch_add(1);
  siglongjmp(host_recover, 1);
}

// A fault in host code the host's handler recovers from.
bool host_fault(volatile uint8_t* page) {
  if (sigsetjmp(host_recover, 1) == 0) {
    (void)*page;
    return false;
  }
  return true;
}

TEST(SignalChainTest, HostFaultsReachTheHostHandlerWasmFaultsAreTraps) {
  struct sigaction sa {};
  sa.sa_sigaction = host_handler;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  ASSERT_EQ(sigaction(SIGSEGV, &sa, nullptr), 0);
  auto* page = static_cast<uint8_t*>(mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(page, MAP_FAILED);

  Engine engine;  // installs Brisk's handlers, chained to the host's
  std::ifstream in("tests/stress/stress.wasm", std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  auto m = Module::compile(engine, std::vector<uint8_t>(s.begin(), s.end())).value();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      Store store(engine);
      Linker linker(engine);
      EXPECT_TRUE(linker.func_wrap("host", "add", [](int32_t a, int32_t b) { return a + b; }));
      auto inst = linker.instantiate(store, m).value();
      auto oob = inst.typed_func<int32_t(int32_t)>(store, "oob").value();
      for (int i = 0; i < 200; ++i) {
        EXPECT_EQ(trap_code_of(oob.call(store, 70000).status()), TrapCode::kMemoryOutOfBounds);
        EXPECT_TRUE(host_fault(page));
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(host_faults.load(), 800);
  munmap(page, 4096);
}

}  // namespace
}  // namespace brisk
