/* v128: wasm_val_t has no member for it, so functions that pass v128 values
 * are refused with a clear error instead of losing the values. */
#include <string.h>

#include "brisk.h"
#include "capi_test.h"

static wasm_trap_t* never(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  return NULL;
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "v128");
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);

  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_EMPTY_VEC, results = WASM_ARRAY_VEC(rs);
  wasm_trap_t* trap = wasm_func_call(export_func(&exports, 0), &args, &results);
  CHECK(trap != NULL);
  wasm_message_t msg;
  wasm_trap_message(trap, &msg);
  CHECK(strcmp(msg.data, "v128 results cannot pass through wasm_val_t") == 0);
  wasm_byte_vec_delete(&msg);
  wasm_trap_delete(trap);

  wasm_val_t in[1];
  in[0].kind = WASM_V128;
  in[0].of.i64 = 0;
  wasm_val_vec_t vargs = WASM_ARRAY_VEC(in);
  trap = wasm_func_call(export_func(&exports, 1), &vargs, &results);
  CHECK(trap != NULL);
  wasm_trap_message(trap, &msg);
  CHECK(strcmp(msg.data, "v128 values cannot pass through wasm_val_t") == 0);
  wasm_byte_vec_delete(&msg);
  wasm_trap_delete(trap);

  wasm_valtype_t* v = wasm_valtype_new(WASM_V128);
  wasm_functype_t* type = wasm_functype_new_1_0(v);
  CHECK(wasm_func_new(store, type, never) == NULL);
  brisk_linker_t* linker = brisk_linker_new(engine);
  brisk_error_t* err = brisk_linker_define_func(linker, "m", "f", type, NULL, NULL, NULL);
  CHECK(err != NULL);
  CHECK(strcmp(brisk_error_message(err), "v128 values cannot pass through wasm_val_t") == 0);
  brisk_error_delete(err);
  brisk_linker_delete(linker);
  wasm_functype_delete(type);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("v128: ok\n");
  return 0;
}
