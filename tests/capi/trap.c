/* trap: traps from Wasm and from host functions, with message, origin and
 * trace; start-function traps and link errors on instantiation. */
#include <string.h>

#include "brisk.h"
#include "capi_test.h"

static wasm_store_t* the_store;

static wasm_trap_t* fail_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  wasm_message_t msg;
  wasm_name_new_from_string_nt(&msg, "callback abort");
  wasm_trap_t* trap = wasm_trap_new(the_store, &msg);
  wasm_name_delete(&msg);
  return trap;
}

static void check_message(const wasm_trap_t* trap, const char* want) {
  wasm_message_t msg;
  wasm_trap_message(trap, &msg);
  if (strcmp(msg.data, want) != 0) {
    fprintf(stderr, "trap message '%s', expected '%s'\n", msg.data, want);
    exit(1);
  }
  wasm_byte_vec_delete(&msg);
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = the_store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "trap");
  wasm_functype_t* type = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_func_t* fail = wasm_func_new(store, type, fail_callback);
  wasm_functype_delete(type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(fail)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);

  for (int round = 0; round < 3; ++round) {  /* the store stays usable after a trap */
    wasm_val_t rs[1] = {WASM_INIT_VAL};
    wasm_val_vec_t args = WASM_EMPTY_VEC, results = WASM_ARRAY_VEC(rs);
    wasm_trap_t* trap = wasm_func_call(export_func(&exports, 0), &args, &results);
    CHECK(trap != NULL);
    check_message(trap, "callback abort");
    CHECK(brisk_trap_code(trap) == 11);  /* host error */
    wasm_trap_delete(trap);

    trap = wasm_func_call(export_func(&exports, 1), &args, &results);
    CHECK(trap != NULL);
    check_message(trap, "unreachable");
    CHECK(brisk_trap_code(trap) == 1);
    wasm_frame_t* origin = wasm_trap_origin(trap);
    CHECK(origin != NULL);
    CHECK(wasm_frame_func_index(origin) == 2);  /* $inner */
    CHECK(wasm_frame_instance(origin) != NULL);
    CHECK(wasm_instance_same(wasm_frame_instance(origin), instance));
    wasm_frame_vec_t trace;
    wasm_trap_trace(trap, &trace);
    CHECK(trace.size == 2);
    CHECK(wasm_frame_func_index(trace.data[1]) == 3);  /* $middle */
    CHECK(wasm_frame_func_offset(trace.data[0]) < wasm_frame_func_offset(trace.data[1]));
    wasm_frame_t* copy = wasm_frame_copy(trace.data[1]);
    CHECK(wasm_frame_func_index(copy) == 3);
    wasm_frame_delete(copy);
    wasm_frame_vec_delete(&trace);
    wasm_frame_delete(origin);
    wasm_trap_delete(trap);
  }

  /* A trap in the start function comes back from wasm_instance_new. */
  wasm_module_t* start = load_module(store, "start");
  wasm_trap_t* trap = NULL;
  CHECK(wasm_instance_new(store, start, NULL, &trap) == NULL);
  CHECK(trap != NULL);
  check_message(trap, "unreachable");
  wasm_trap_delete(trap);
  /* So does a link error, with its reason. */
  trap = NULL;
  CHECK(wasm_instance_new(store, module, NULL, &trap) == NULL);
  CHECK(trap != NULL);
  check_message(trap, "expected 1 imports");
  wasm_trap_delete(trap);
  wasm_module_delete(start);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(fail);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("trap: ok\n");
  return 0;
}
