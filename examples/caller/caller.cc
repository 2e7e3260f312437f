// caller: a host function that reads the calling instance's memory through
// brisk::Caller, with every guest pointer checked.
#include <cstdio>

#include "brisk/brisk.h"

int main() {
  brisk::Engine engine;
  auto module = brisk::Module::from_file(engine, "examples/caller/caller.wasm");
  if (!module) return fprintf(stderr, "%s\n", module.status().to_string().c_str()), 1;
  brisk::Store store(engine);
  brisk::Linker linker(engine);
  auto st = linker.func_wrap("env", "log", [](brisk::Caller& caller, uint32_t ptr, uint32_t len) -> int32_t {
    auto memory = caller.memory();  // memory 0 of the instance that called
    if (!memory) return -1;
    auto text = memory->read_string(caller.store(), ptr, len);
    if (!text) {
      printf("log: refused: %s\n", text.status().message().c_str());
      return 0;
    }
    printf("log: %s\n", text->c_str());
    return 1;
  });
  if (!st) return fprintf(stderr, "%s\n", st.to_string().c_str()), 1;
  auto instance = linker.instantiate(store, *module);
  if (!instance) return fprintf(stderr, "%s\n", instance.status().to_string().c_str()), 1;
  auto run = instance->typed_func<int32_t()>(store, "run");
  if (!run) return fprintf(stderr, "%s\n", run.status().to_string().c_str()), 1;
  auto logged = run->call(store);
  if (!logged) return fprintf(stderr, "%s\n", logged.status().to_string().c_str()), 1;
  printf("logged %d of 2\n", *logged);
  return 0;
}
