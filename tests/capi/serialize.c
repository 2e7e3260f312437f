/* serialize: a module through the code cache, in another engine; a
 * damaged artifact is refused. Also share/obtain across stores. */
#include <string.h>

#include "brisk.h"
#include "capi_test.h"

static int called = 0;
static wasm_trap_t* hello(const wasm_val_vec_t* a, wasm_val_vec_t* r) {
  (void)a;
  (void)r;
  ++called;
  return NULL;
}

static void run(wasm_store_t* store, wasm_module_t* module) {
  wasm_functype_t* t = wasm_functype_new_0_0();
  wasm_func_t* h = wasm_func_new(store, t, hello);
  wasm_functype_delete(t);
  wasm_extern_t* externs[] = {wasm_func_as_extern(h)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* inst = wasm_instance_new(store, module, &imports, NULL);
  CHECK(inst != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(inst, &exports);
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(export_func(&exports, 0), &none, &none) == NULL);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(inst);
  wasm_func_delete(h);
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "hello");
  wasm_byte_vec_t art;
  wasm_module_serialize(module, &art);
  CHECK(art.size > 0);

  wasm_engine_t* engine2 = wasm_engine_new();
  wasm_store_t* store2 = wasm_store_new(engine2);
  wasm_module_t* loaded = wasm_module_deserialize(store2, &art);
  CHECK(loaded != NULL);
  /* The same machine code, compiled or loaded; the artifact holds it. */
  CHECK(brisk_module_code_size(module) > 0);
  CHECK(brisk_module_code_size(loaded) == brisk_module_code_size(module));
  CHECK(art.size > brisk_module_code_size(module));
  run(store2, loaded);
  CHECK(called == 1);

  art.data[art.size / 2] ^= 1;
  CHECK(wasm_module_deserialize(store2, &art) == NULL);
  wasm_module_t* out = NULL;
  brisk_error_t* err = brisk_module_deserialize(engine2, (const uint8_t*)art.data, art.size, &out);
  CHECK(err != NULL && strstr(brisk_error_message(err), "checksum") != NULL);
  brisk_error_delete(err);
  wasm_byte_vec_delete(&art);

  /* share/obtain: one compiled module, another store. */
  wasm_shared_module_t* shared = wasm_module_share(module);
  wasm_store_t* store3 = wasm_store_new(engine);
  wasm_module_t* obtained = wasm_module_obtain(store3, shared);
  CHECK(obtained != NULL);
  run(store3, obtained);
  CHECK(called == 2);
  wasm_module_delete(obtained);
  wasm_shared_module_delete(shared);
  wasm_store_delete(store3);

  wasm_module_delete(loaded);
  wasm_store_delete(store2);
  wasm_engine_delete(engine2);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("serialize: ok\n");
  return 0;
}
