// typed-call: TypedFunc checks a signature once, at lookup, then calls
// without boxing; several results come back as a tuple, traps as errors.
#include <cstdio>
#include <tuple>

#include "brisk/brisk.h"

int main() {
  brisk::Engine engine;
  auto module = brisk::Module::from_file(engine, "examples/typed-call/fib.wasm");
  if (!module) return fprintf(stderr, "%s\n", module.status().to_string().c_str()), 1;
  brisk::Store store(engine);
  auto instance = brisk::Linker(engine).instantiate(store, *module);
  if (!instance) return fprintf(stderr, "%s\n", instance.status().to_string().c_str()), 1;

  auto fib = instance->typed_func<int64_t(int64_t)>(store, "fib");
  auto divmod = instance->typed_func<std::tuple<int32_t, int32_t>(int32_t, int32_t)>(store, "divmod");
  auto wrong = instance->typed_func<int32_t(int32_t)>(store, "fib");
  if (!fib || !divmod) return 1;
  printf("fib(30) = %lld\n", static_cast<long long>(fib->call(store, 30).value()));
  auto [q, r] = divmod->call(store, 17, 5).value();
  printf("17 divmod 5 = %d, %d\n", q, r);
  printf("lookup with the wrong type: %s\n", wrong.status().message().c_str());
  auto trap = divmod->call(store, 1, 0);
  printf("1 divmod 0: %s\n", trap.status().message().c_str());
  return 0;
}
