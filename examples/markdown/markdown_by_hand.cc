// The markdown demo: a Rust Markdown renderer compiled to WebAssembly,
// driven from C++ through Brisk's API. The host provides the module's WASI
// imports as typed host functions (fd_write, random_get, environ_*,
// proc_exit), copies the text into the module's memory with the module's own
// allocator, calls render through typed calls, reads the HTML back and frees
// both buffers.
//
//   markdown_by_hand [--timing] [FILE.md]      (default: a one-line sample)
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>

#include "brisk/brisk.h"

namespace {

using brisk::Caller;
using brisk::Memory;
using brisk::Status;

constexpr const char* kSample =
    "# Hello, `.NET`! Welcome to **WebAssembly** with [Wasmtime](https://wasmtime.dev)!";

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// WASI errno values used here.
constexpr int32_t kSuccess = 0;
constexpr int32_t kBadf = 8;
constexpr int32_t kFault = 21;

// The calling instance's memory at [ptr, ptr + len), or null: every guest
// pointer is checked before the host touches it.
uint8_t* guest_at(Caller& caller, uint32_t ptr, uint32_t len) {
  auto mem = caller.memory();
  if (!mem) return nullptr;
  auto bytes = mem->span(caller.store());
  if (uint64_t{ptr} + len > bytes.size()) return nullptr;
  return bytes.data() + ptr;
}

// The module's WASI imports, as typed host functions that reach the
// caller's memory through Caller (no instance captured by hand).
Status define_wasi(brisk::Linker& linker) {
  const char* wasi = "wasi_snapshot_preview1";
  BRISK_TRY(linker.func_wrap(wasi, "fd_write", [](Caller& c, int32_t fd, uint32_t iovs, uint32_t n, uint32_t nwritten) {
    FILE* out = fd == 1 ? stdout : fd == 2 ? stderr : nullptr;
    if (!out) return kBadf;
    uint32_t total = 0;
    for (uint32_t i = 0; i < n; ++i) {
      uint8_t* iov = guest_at(c, iovs + 8 * i, 8);
      if (!iov) return kFault;
      uint32_t buf, len;
      memcpy(&buf, iov, 4);
      memcpy(&len, iov + 4, 4);
      uint8_t* data = guest_at(c, buf, len);
      if (!data) return kFault;
      fwrite(data, 1, len, out);
      total += len;
    }
    uint8_t* nw = guest_at(c, nwritten, 4);
    if (!nw) return kFault;
    memcpy(nw, &total, 4);
    return kSuccess;
  }));
  BRISK_TRY(linker.func_wrap(wasi, "random_get", [](Caller& c, uint32_t ptr, uint32_t len) {
    uint8_t* p = guest_at(c, ptr, len);
    if (!p) return kFault;
    std::random_device rd;
    for (uint32_t i = 0; i < len; ++i) p[i] = rd() & 0xff;
    return kSuccess;
  }));
  BRISK_TRY(linker.func_wrap(wasi, "environ_sizes_get", [](Caller& c, uint32_t count, uint32_t size) {
    uint8_t* pc = guest_at(c, count, 4);
    uint8_t* ps = guest_at(c, size, 4);
    if (!pc || !ps) return kFault;
    memset(pc, 0, 4);
    memset(ps, 0, 4);
    return kSuccess;
  }));
  BRISK_TRY(linker.func_wrap(wasi, "environ_get", [](int32_t, int32_t) { return kSuccess; }));
  BRISK_TRY(linker.func_wrap(wasi, "proc_exit", [](int32_t code) {
    return Status(brisk::ErrorKind::kTrap, "proc_exit(" + std::to_string(code) + ")");
  }));
  return Status::ok();
}

int fail(const char* what, const Status& s) {
  fprintf(stderr, "demo: %s: %s\n", what, s.to_string().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  bool timing = false;
  std::string input = kSample;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--timing") {
      timing = true;
    } else {
      std::ifstream in(a, std::ios::binary);
      if (!in) {
        fprintf(stderr, "demo: cannot read %s\n", a.c_str());
        return 1;
      }
      std::ostringstream ss;
      ss << in.rdbuf();
      input = ss.str();
    }
  }

  auto t0 = std::chrono::steady_clock::now();
  brisk::Engine engine;
  auto module = brisk::Module::from_file(engine, "examples/markdown/markdown_renderer.wasm");
  if (!module) return fail("compile", module.status());
  double compile_ms = ms_since(t0);

  auto t1 = std::chrono::steady_clock::now();
  brisk::Store store(engine);
  brisk::Linker linker(engine);
  if (Status st = define_wasi(linker); !st) return fail("define WASI", st);
  auto instance = linker.instantiate(store, *module);
  if (!instance) return fail("instantiate", instance.status());
  auto memory = instance->get_memory(store, "memory");
  auto alloc = instance->typed_func<int32_t(int32_t)>(store, "alloc");
  auto dealloc = instance->typed_func<void(int32_t, int32_t)>(store, "dealloc");
  auto render = instance->typed_func<int32_t(int32_t, int32_t)>(store, "render");
  auto output_len = instance->typed_func<int32_t()>(store, "output_len");
  if (!memory) return fail("exports", Status(brisk::ErrorKind::kUnlinkable, "no memory export"));
  for (const Status* st : {&alloc.status(), &dealloc.status(), &render.status(), &output_len.status()}) {
    if (!st->is_ok()) return fail("exports", *st);
  }
  double instantiate_ms = ms_since(t1);

  auto t2 = std::chrono::steady_clock::now();
  int32_t len = static_cast<int32_t>(input.size());
  auto in_addr = alloc->call(store, len);
  if (!in_addr) return fail("alloc", in_addr.status());
  if (Status st = memory->write_string(store, static_cast<uint32_t>(*in_addr), input); !st) return fail("copy in", st);
  auto out_addr = render->call(store, *in_addr, len);
  if (!out_addr) return fail("render", out_addr.status());
  auto n = output_len->call(store);
  if (!n) return fail("output_len", n.status());
  auto result = memory->read_string(store, static_cast<uint32_t>(*out_addr), static_cast<uint32_t>(*n));
  if (!result) return fail("copy out", result.status());
  if (Status st = dealloc->call(store, *in_addr, len); !st) return fail("dealloc", st);
  if (Status st = dealloc->call(store, *out_addr, *n); !st) return fail("dealloc", st);
  double call_ms = ms_since(t2);

  fwrite(result->data(), 1, result->size(), stdout);
  if (timing) {
    std::ifstream wasm("examples/markdown/markdown_renderer.wasm", std::ios::binary | std::ios::ate);
    fprintf(stderr, "compile %.2f ms (%lld KB), instantiate %.3f ms, alloc+render+free %.3f ms\n", compile_ms,
            static_cast<long long>(wasm.tellg()) / 1024, instantiate_ms, call_ms);
  }
  return 0;
}
