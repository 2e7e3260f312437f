// The handler runs on an alternate stack (so stack exhaustion outside our
// explicit checks is still handled), recognises Brisk code by PC through
// CodeMemory::lookup, maps the PC to a trap code via the chunk's trap-site
// table and resumes at the chunk's unwind stub through the backend's
// SignalContextOps. The stub unwinds to the innermost entry trampoline.
#include "runtime/signals.h"

#include <signal.h>
#include <string.h>
#include <sys/mman.h>

#include <atomic>
#include <mutex>

#include "runtime/code_memory.h"
#include "runtime/trap.h"
#include "runtime/vmcontext.h"

namespace brisk::runtime {
namespace {

constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
struct sigaction g_previous[4];
SignalContextOps g_ops;  // set once, before the handlers are installed

int slot_of(int sig) {
  for (int i = 0; i < 4; ++i) {
    if (kSignals[i] == sig) return i;
  }
  return -1;
}

void forward(int sig, siginfo_t* info, void* uctx) {
  int i = slot_of(sig);
  const struct sigaction& prev = g_previous[i];
  if (prev.sa_flags & SA_SIGINFO) {
    if (prev.sa_sigaction) {
      prev.sa_sigaction(sig, info, uctx);
      return;
    }
  } else if (prev.sa_handler == SIG_IGN) {
    return;
  } else if (prev.sa_handler != SIG_DFL && prev.sa_handler) {
    prev.sa_handler(sig);
    return;
  }
  // Default action: restore it and return; the fault repeats and kills us.
  signal(sig, SIG_DFL);
}

void handler(int sig, siginfo_t* info, void* uctx) {
  uintptr_t pc = g_ops.pc(uctx);
  const CodeChunk* chunk = CodeMemory::lookup(pc);
  TrapCode code = chunk ? chunk->trap_at(pc) : TrapCode::kNone;
  if (code == TrapCode::kNone) {
    forward(sig, info, uctx);
    return;
  }
  g_ops.store(uctx)->trap_pc = pc;
  g_ops.resume_at_unwind(uctx, static_cast<uint32_t>(code), pc, chunk->unwind_stub());
}

constexpr size_t kAltStackSize = 128 * 1024;
std::atomic<size_t> g_alt_stack_bytes{0};

// The calling thread's alternate signal stack, released at thread exit: a
// thread_local's destructor runs when the thread ends, while signals can
// still arrive, so the stack is disabled before it is unmapped.
struct AltStack {
  void* mem = nullptr;
  bool done = false;
  ~AltStack() {
    if (!mem) return;
    stack_t ss{};
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, nullptr);
    munmap(mem, kAltStackSize);
    g_alt_stack_bytes.fetch_sub(kAltStackSize, std::memory_order_relaxed);
  }
};

void install_alt_stack() {
  thread_local AltStack alt;
  if (alt.done) return;
  alt.done = true;
  stack_t current;
  if (sigaltstack(nullptr, &current) == 0 && !(current.ss_flags & SS_DISABLE) && current.ss_size >= 64 * 1024) {
    return;  // the host already gave this thread a large enough one
  }
  void* mem = mmap(nullptr, kAltStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return;
  stack_t ss{};
  ss.ss_sp = mem;
  ss.ss_size = kAltStackSize;
  if (sigaltstack(&ss, nullptr) != 0) {
    munmap(mem, kAltStackSize);
    return;
  }
  alt.mem = mem;
  g_alt_stack_bytes.fetch_add(kAltStackSize, std::memory_order_relaxed);
}

}  // namespace

void install_signal_handlers(const SignalContextOps& ops) {
  static std::once_flag once;
  std::call_once(once, [&ops] {
    g_ops = ops;
    for (int i = 0; i < 4; ++i) {
      struct sigaction sa;
      memset(&sa, 0, sizeof sa);
      sa.sa_sigaction = handler;
      sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
      sigemptyset(&sa.sa_mask);
      sigaction(kSignals[i], &sa, &g_previous[i]);
    }
  });
}

void ensure_signal_handlers(const SignalContextOps& ops) {
  install_signal_handlers(ops);
  install_alt_stack();
}

size_t alt_stack_bytes_in_use() { return g_alt_stack_bytes.load(std::memory_order_relaxed); }

}  // namespace brisk::runtime
