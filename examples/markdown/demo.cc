// The markdown demo: a Rust Markdown renderer compiled to WebAssembly,
// driven from C++ through Brisk's API. The host provides the module's WASI
// imports by hand (fd_write, random_get, environ_*, proc_exit), copies the
// text into the module's memory with the module's own allocator, calls
// render, reads the HTML back and frees both buffers.
//
//   demo [--timing] [FILE.md]      (default: a one-line sample)
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

using brisk::Func;
using brisk::FuncType;
using brisk::Memory;
using brisk::Status;
using brisk::Val;
using brisk::ValKind;

constexpr const char* kSample =
    "# Hello, `.NET`! Welcome to **WebAssembly** with [Wasmtime](https://wasmtime.dev)!";

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// WASI errno values used here.
constexpr int32_t kSuccess = 0;
constexpr int32_t kBadf = 8;
constexpr int32_t kFault = 21;

/// The module's linear memory, known once the instance exists.
struct Guest {
  brisk::Store* store = nullptr;
  std::optional<Memory> memory;
  uint8_t* at(uint32_t ptr, uint32_t len) {
    if (!memory || uint64_t{ptr} + len > memory->data_size(*store)) return nullptr;
    return memory->data(*store) + ptr;
  }
};

void define_wasi(brisk::Linker& linker, brisk::Store& store, Guest& guest) {
  const char* wasi = "wasi_snapshot_preview1";
  using K = ValKind;
  linker.define(wasi, "fd_write",
                Func::create(store, FuncType{{K::kI32, K::kI32, K::kI32, K::kI32}, {K::kI32}},
                             [&guest](std::span<const Val> a, std::span<Val> r) {
                               int32_t fd = a[0].i32();
                               uint32_t iovs = a[1].i32(), n = a[2].i32(), nwritten = a[3].i32();
                               FILE* out = fd == 1 ? stdout : fd == 2 ? stderr : nullptr;
                               if (!out) { r[0] = Val::i32(kBadf); return Status::ok(); }
                               uint32_t total = 0;
                               for (uint32_t i = 0; i < n; ++i) {
                                 uint8_t* iov = guest.at(iovs + 8 * i, 8);
                                 if (!iov) { r[0] = Val::i32(kFault); return Status::ok(); }
                                 uint32_t buf, len;
                                 memcpy(&buf, iov, 4);
                                 memcpy(&len, iov + 4, 4);
                                 uint8_t* data = guest.at(buf, len);
                                 if (!data) { r[0] = Val::i32(kFault); return Status::ok(); }
                                 fwrite(data, 1, len, out);
                                 total += len;
                               }
                               uint8_t* nw = guest.at(nwritten, 4);
                               if (!nw) { r[0] = Val::i32(kFault); return Status::ok(); }
                               memcpy(nw, &total, 4);
                               r[0] = Val::i32(kSuccess);
                               return Status::ok();
                             }));
  linker.define(wasi, "random_get",
                Func::create(store, FuncType{{K::kI32, K::kI32}, {K::kI32}},
                             [&guest](std::span<const Val> a, std::span<Val> r) {
                               uint8_t* p = guest.at(a[0].i32(), a[1].i32());
                               if (!p) { r[0] = Val::i32(kFault); return Status::ok(); }
                               std::random_device rd;
                               for (uint32_t i = 0; i < static_cast<uint32_t>(a[1].i32()); ++i) p[i] = rd() & 0xff;
                               r[0] = Val::i32(kSuccess);
                               return Status::ok();
                             }));
  linker.define(wasi, "environ_sizes_get",
                Func::create(store, FuncType{{K::kI32, K::kI32}, {K::kI32}},
                             [&guest](std::span<const Val> a, std::span<Val> r) {
                               uint8_t* count = guest.at(a[0].i32(), 4);
                               uint8_t* size = guest.at(a[1].i32(), 4);
                               if (!count || !size) { r[0] = Val::i32(kFault); return Status::ok(); }
                               memset(count, 0, 4);
                               memset(size, 0, 4);
                               r[0] = Val::i32(kSuccess);
                               return Status::ok();
                             }));
  linker.define(wasi, "environ_get",
                Func::create(store, FuncType{{K::kI32, K::kI32}, {K::kI32}},
                             [](std::span<const Val>, std::span<Val> r) {
                               r[0] = Val::i32(kSuccess);
                               return Status::ok();
                             }));
  linker.define(wasi, "proc_exit",
                Func::create(store, FuncType{{K::kI32}, {}}, [](std::span<const Val> a, std::span<Val>) {
                  return Status(brisk::ErrorKind::kTrap, "proc_exit(" + std::to_string(a[0].i32()) + ")");
                }));
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
  Guest guest;
  guest.store = &store;
  define_wasi(linker, store, guest);
  auto instance = linker.instantiate(store, *module);
  if (!instance) return fail("instantiate", instance.status());
  guest.memory = instance->get_memory(store, "memory");
  auto alloc = instance->get_func(store, "alloc");
  auto dealloc = instance->get_func(store, "dealloc");
  auto render = instance->get_func(store, "render");
  auto output_len = instance->get_func(store, "output_len");
  if (!guest.memory || !alloc || !dealloc || !render || !output_len) {
    fprintf(stderr, "demo: the module lacks memory/alloc/dealloc/render/output_len\n");
    return 1;
  }
  double instantiate_ms = ms_since(t1);

  auto t2 = std::chrono::steady_clock::now();
  int32_t len = static_cast<int32_t>(input.size());
  auto in_ptr = alloc->call(store, {Val::i32(len)});
  if (!in_ptr) return fail("alloc", in_ptr.status());
  int32_t in_addr = (*in_ptr)[0].i32();
  uint8_t* dst = guest.at(in_addr, len);
  if (!dst) {
    fprintf(stderr, "demo: alloc returned an invalid buffer\n");
    return 1;
  }
  memcpy(dst, input.data(), input.size());
  auto out_ptr = render->call(store, {Val::i32(in_addr), Val::i32(len)});
  if (!out_ptr) return fail("render", out_ptr.status());
  auto out_len = output_len->call(store, {});
  if (!out_len) return fail("output_len", out_len.status());
  int32_t out_addr = (*out_ptr)[0].i32(), n = (*out_len)[0].i32();
  uint8_t* html = guest.at(out_addr, n);
  if (!html) {
    fprintf(stderr, "demo: render returned an invalid buffer\n");
    return 1;
  }
  std::string result(reinterpret_cast<char*>(html), n);
  auto f1 = dealloc->call(store, {Val::i32(in_addr), Val::i32(len)});
  auto f2 = dealloc->call(store, {Val::i32(out_addr), Val::i32(n)});
  if (!f1 || !f2) return fail("dealloc", !f1 ? f1.status() : f2.status());
  double call_ms = ms_since(t2);

  fwrite(result.data(), 1, result.size(), stdout);
  if (timing) {
    std::ifstream wasm("examples/markdown/markdown_renderer.wasm", std::ios::binary | std::ios::ate);
    fprintf(stderr, "compile %.2f ms (%lld KB), instantiate %.3f ms, alloc+render+free %.3f ms\n", compile_ms,
            static_cast<long long>(wasm.tellg()) / 1024, instantiate_ms, call_ms);
  }
  return 0;
}
