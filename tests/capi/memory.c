/* memory: data, size, grow from both sides, bounds, a host-made memory. */
#include "capi_test.h"

static int call(wasm_func_t* f, int n, int32_t a, int32_t b, int32_t* out) {
  wasm_val_t as[2] = {WASM_I32_VAL(a), WASM_I32_VAL(b)};
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = {(size_t)n, as};
  wasm_val_vec_t results = {wasm_func_result_arity(f), rs};
  wasm_trap_t* trap = wasm_func_call(f, &args, &results);
  if (trap) {
    wasm_trap_delete(trap);
    return 0;
  }
  if (out) *out = rs[0].of.i32;
  return 1;
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "memory");
  wasm_instance_t* instance = wasm_instance_new(store, module, NULL, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_memory_t* memory = wasm_extern_as_memory(exports.data[0]);
  wasm_func_t* size = export_func(&exports, 1);
  wasm_func_t* load = export_func(&exports, 2);
  wasm_func_t* store_fn = export_func(&exports, 3);
  CHECK(memory != NULL);

  CHECK(wasm_memory_size(memory) == 2);
  CHECK(wasm_memory_data_size(memory) == 0x20000);
  CHECK(wasm_memory_data(memory)[0] == 0);
  CHECK(wasm_memory_data(memory)[0x1001] == 2);
  int32_t out;
  CHECK(call(size, 0, 0, 0, &out) && out == 2);
  CHECK(call(load, 1, 0x1003, 0, &out) && out == 4);
  CHECK(call(load, 1, 0x1ffff, 0, &out) && out == 0);
  CHECK(!call(load, 1, 0x20000, 0, &out));  /* out of bounds: a trap */

  CHECK(call(store_fn, 2, 0x1002, 7, NULL));
  CHECK(wasm_memory_data(memory)[0x1002] == 7);
  wasm_memory_data(memory)[0x1003] = 5;
  CHECK(call(load, 1, 0x1003, 0, &out) && out == 5);
  CHECK(!call(store_fn, 2, 0x20000, 0, NULL));

  CHECK(wasm_memory_grow(memory, 1));
  CHECK(wasm_memory_size(memory) == 3 && wasm_memory_data_size(memory) == 0x30000);
  CHECK(call(load, 1, 0x20000, 0, &out) && out == 0);
  CHECK(!wasm_memory_grow(memory, 1));  /* past the maximum */
  CHECK(wasm_memory_grow(memory, 0));

  wasm_memorytype_t* mt = wasm_memory_type(memory);
  CHECK(wasm_memorytype_limits(mt)->max == 3);
  wasm_memorytype_delete(mt);

  wasm_limits_t limits = {5, 5};
  wasm_memorytype_t* mt2 = wasm_memorytype_new(&limits);
  wasm_memory_t* memory2 = wasm_memory_new(store, mt2);
  wasm_memorytype_delete(mt2);
  CHECK(memory2 != NULL && wasm_memory_size(memory2) == 5);
  CHECK(!wasm_memory_grow(memory2, 1));
  wasm_memory_delete(memory2);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("memory: ok\n");
  return 0;
}
