/* threads: one engine and one shared module, a store per thread. */
#include <pthread.h>

#include "capi_test.h"

enum { kThreads = 8, kCalls = 200 };

static wasm_engine_t* engine;
static wasm_shared_module_t* shared;

static wasm_trap_t* callback(void* env, const wasm_val_vec_t* a, wasm_val_vec_t* r) {
  (void)a;
  (void)r;
  ++*(int*)env;
  return NULL;
}

static void* run(void* arg) {
  (void)arg;
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = wasm_module_obtain(store, shared);
  CHECK(module != NULL);
  int count = 0;
  wasm_functype_t* t = wasm_functype_new_0_0();
  wasm_func_t* f = wasm_func_new_with_env(store, t, callback, &count, NULL);
  wasm_functype_delete(t);
  wasm_extern_t* externs[] = {wasm_func_as_extern(f)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* inst = wasm_instance_new(store, module, &imports, NULL);
  CHECK(inst != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(inst, &exports);
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  for (int i = 0; i < kCalls; ++i) CHECK(wasm_func_call(export_func(&exports, 0), &none, &none) == NULL);
  CHECK(count == kCalls);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(inst);
  wasm_func_delete(f);
  wasm_module_delete(module);
  wasm_store_delete(store);
  return NULL;
}

int main(void) {
  engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "hello");
  shared = wasm_module_share(module);
  pthread_t threads[kThreads];
  for (int i = 0; i < kThreads; ++i) CHECK(pthread_create(&threads[i], NULL, run, NULL) == 0);
  for (int i = 0; i < kThreads; ++i) pthread_join(threads[i], NULL);
  wasm_shared_module_delete(shared);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("threads: ok\n");
  return 0;
}
