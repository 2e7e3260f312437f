// hello: compile a module, give it a host function, call an export.
//   bazel run //examples/hello
#include <cstdio>

#include "brisk/brisk.h"

int main() {
  brisk::Engine engine;
  auto module = brisk::Module::from_file(engine, "examples/hello/hello.wasm");
  if (!module) {
    fprintf(stderr, "hello: %s\n", module.status().to_string().c_str());
    return 1;
  }
  brisk::Store store(engine);
  brisk::Linker linker(engine);
  int greeted = 0;
  if (auto st = linker.func_wrap("host", "greet", [&greeted](int32_t n) {
        printf("Hello from Wasm (%d to go)\n", n - 1);
        ++greeted;
      }); !st) {
    fprintf(stderr, "hello: %s\n", st.to_string().c_str());
    return 1;
  }
  auto instance = linker.instantiate(store, *module);
  if (!instance) {
    fprintf(stderr, "hello: %s\n", instance.status().to_string().c_str());
    return 1;
  }
  auto run = instance->typed_func<void(int32_t)>(store, "run");
  if (!run) {
    fprintf(stderr, "hello: %s\n", run.status().to_string().c_str());
    return 1;
  }
  if (auto st = run->call(store, 3); !st) {
    fprintf(stderr, "hello: %s\n", st.to_string().c_str());
    return 1;
  }
  return greeted == 3 ? 0 : 1;
}
