/* finalize: host-info finalizers and function-environment finalizers run,
 * each exactly once, when their objects (or the store) go. */
#include "capi_test.h"

static int finalized = 0, env_finalized = 0;
static void finalize(void* p) { finalized += *(int*)p; }
static void finalize_env(void* p) { env_finalized += *(int*)p; }

static wasm_trap_t* hello(void* env, const wasm_val_vec_t* a, wasm_val_vec_t* r) {
  (void)env;
  (void)a;
  (void)r;
  return NULL;
}

int main(void) {
  static int one = 1;
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "hello");
  const int n = 100;
  for (int i = 0; i < n; ++i) {
    wasm_functype_t* t = wasm_functype_new_0_0();
    wasm_func_t* h = wasm_func_new_with_env(store, t, hello, &one, finalize_env);
    wasm_functype_delete(t);
    wasm_extern_t* externs[] = {wasm_func_as_extern(h)};
    wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
    wasm_instance_t* inst = wasm_instance_new(store, module, &imports, NULL);
    CHECK(inst != NULL);
    wasm_instance_set_host_info_with_finalizer(inst, &one, finalize);
    wasm_instance_t* copy = wasm_instance_copy(inst);
    wasm_instance_delete(inst);
    CHECK(finalized == i);  /* a copy still holds it */
    wasm_instance_delete(copy);
    CHECK(finalized == i + 1);
    wasm_func_delete(h);
  }
  wasm_module_set_host_info_with_finalizer(module, &one, finalize);
  wasm_module_delete(module);
  CHECK(finalized == n + 1);
  CHECK(env_finalized == 0);  /* the functions live in the store */
  wasm_store_delete(store);
  CHECK(env_finalized == n);
  wasm_engine_delete(engine);
  printf("finalize: ok\n");
  return 0;
}
