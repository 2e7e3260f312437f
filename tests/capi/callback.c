/* callback: host functions with and without an environment, arguments and
 * results, a funcref round trip. */
#include "capi_test.h"

static int printed = -1;

static wasm_trap_t* print_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  CHECK(args->size == 1 && args->data[0].kind == WASM_I32);
  printed = args->data[0].of.i32;
  wasm_val_copy(&results->data[0], &args->data[0]);
  return NULL;
}

static wasm_trap_t* closure_callback(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  int i = *(int*)env;
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = (int32_t)i;
  return NULL;
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "callback");

  wasm_functype_t* print_type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* print_func = wasm_func_new(store, print_type, print_callback);
  int i = 42;
  wasm_functype_t* closure_type = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_func_t* closure_func = wasm_func_new_with_env(store, closure_type, closure_callback, &i, NULL);
  wasm_functype_delete(print_type);
  wasm_functype_delete(closure_type);

  wasm_extern_t* externs[] = {wasm_func_as_extern(print_func), wasm_func_as_extern(closure_func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_func_t* run = export_func(&exports, 0);

  wasm_val_t as[2] = {WASM_I32_VAL(3), WASM_I32_VAL(4)};
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as), results = WASM_ARRAY_VEC(rs);
  CHECK(wasm_func_call(run, &args, &results) == NULL);
  CHECK(printed == 7);
  CHECK(rs[0].kind == WASM_I32 && rs[0].of.i32 == 49);

  /* Reflection on the function's type. */
  wasm_functype_t* t = wasm_func_type(run);
  CHECK(wasm_functype_params(t)->size == 2 && wasm_functype_results(t)->size == 1);
  CHECK(wasm_valtype_kind(wasm_functype_params(t)->data[1]) == WASM_I32);
  wasm_functype_delete(t);

  /* Wrong argument count: a trap with a message, never a crash. */
  wasm_val_vec_t one = {1, as};
  wasm_trap_t* trap = wasm_func_call(run, &one, &results);
  CHECK(trap != NULL);
  wasm_message_t msg;
  wasm_trap_message(trap, &msg);
  CHECK(msg.size > 1 && msg.data[msg.size - 1] == '\0');
  wasm_byte_vec_delete(&msg);
  wasm_trap_delete(trap);

  /* Same function, two objects. */
  wasm_extern_vec_t again;
  wasm_instance_exports(instance, &again);
  CHECK(wasm_func_same(export_func(&again, 0), run));
  CHECK(!wasm_func_same(print_func, closure_func));
  wasm_extern_vec_delete(&again);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(print_func);
  wasm_func_delete(closure_func);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("callback: ok\n");
  return 0;
}
