/* numbers: functions whose values are all numbers, which wasm_func_call and
 * host callbacks pass between slots and wasm_val_t without boxing: a 32-bit
 * value's unused upper half never reaches Wasm (used as an address), f32
 * bits survive, many arguments, wrong result kinds, host traps, wrong
 * argument kinds. */
#include <math.h>
#include <string.h>

#include "capi_test.h"

static wasm_trap_t* id_i32(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  CHECK(args->size == 1 && args->data[0].kind == WASM_I32);
  results->data[0].kind = WASM_I32;
  results->data[0].of.i64 = -1;  /* garbage in the upper half: only of.i32 counts */
  results->data[0].of.i32 = args->data[0].of.i32;
  return NULL;
}

static wasm_trap_t* neg_f32(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  CHECK(args->size == 1 && args->data[0].kind == WASM_F32);
  results->data[0].kind = WASM_F32;
  results->data[0].of.i64 = -1;
  results->data[0].of.f32 = -args->data[0].of.f32;
  return NULL;
}

static wasm_trap_t* ten(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  CHECK(args->size == 10 && results->size == 2);
  const wasm_val_t* a = args->data;
  CHECK(a[0].kind == WASM_I32 && a[0].of.i32 == -1);
  CHECK(a[1].kind == WASM_I64 && a[1].of.i64 == -2);
  CHECK(a[2].kind == WASM_F32 && a[2].of.f32 == 1.5f);
  CHECK(a[3].kind == WASM_F64 && a[3].of.f64 == -2.25);
  CHECK(a[4].kind == WASM_I32 && a[4].of.i32 == 5);
  CHECK(a[5].kind == WASM_I64 && a[5].of.i64 == 0x100000000ll);
  CHECK(a[6].kind == WASM_F32 && a[6].of.f32 == -0.5f);
  CHECK(a[7].kind == WASM_F64 && a[7].of.f64 == 1e300);
  CHECK(a[8].kind == WASM_I32 && a[8].of.i32 == 9);
  CHECK(a[9].kind == WASM_I64 && a[9].of.i64 == 10);
  CHECK(results->data[0].kind == WASM_F64 && results->data[1].kind == WASM_I32);
  results->data[0].of.f64 = 0.125;
  results->data[1].of.i32 = -7;
  return NULL;
}

static wasm_trap_t* wrong(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  results->data[0].kind = WASM_I64;  /* the type says i32 */
  results->data[0].of.i64 = 1;
  return NULL;
}

static wasm_store_t* the_store;
static wasm_trap_t* fails(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)results;
  CHECK(args->data[0].of.i64 == -5);
  wasm_message_t m;
  wasm_name_new_from_string_nt(&m, "no such thing");
  wasm_trap_t* t = wasm_trap_new(the_store, &m);
  wasm_byte_vec_delete(&m);
  return t;
}

static void expect_trap(wasm_trap_t* trap, const char* text) {
  CHECK(trap != NULL);
  wasm_message_t msg;
  wasm_trap_message(trap, &msg);
  if (!strstr(msg.data, text)) {
    fprintf(stderr, "trap message \"%s\" lacks \"%s\"\n", msg.data, text);
    exit(1);
  }
  wasm_byte_vec_delete(&msg);
  wasm_trap_delete(trap);
}

static wasm_func_t* host(wasm_store_t* store, wasm_functype_t* t, wasm_func_callback_t cb) {
  wasm_func_t* f = wasm_func_new(store, t, cb);
  wasm_functype_delete(t);
  CHECK(f != NULL);
  return f;
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = the_store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "numbers");

  wasm_valtype_t* tp[10] = {wasm_valtype_new_i32(), wasm_valtype_new_i64(), wasm_valtype_new_f32(),
                            wasm_valtype_new_f64(), wasm_valtype_new_i32(), wasm_valtype_new_i64(),
                            wasm_valtype_new_f32(), wasm_valtype_new_f64(), wasm_valtype_new_i32(),
                            wasm_valtype_new_i64()};
  wasm_valtype_t* tr[2] = {wasm_valtype_new_f64(), wasm_valtype_new_i32()};
  wasm_valtype_vec_t ten_params, ten_results;
  wasm_valtype_vec_new(&ten_params, 10, tp);
  wasm_valtype_vec_new(&ten_results, 2, tr);
  wasm_func_t* funcs[5] = {
      host(store, wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32()), id_i32),
      host(store, wasm_functype_new_1_1(wasm_valtype_new_f32(), wasm_valtype_new_f32()), neg_f32),
      host(store, wasm_functype_new(&ten_params, &ten_results), ten),
      host(store, wasm_functype_new_0_1(wasm_valtype_new_i32()), wrong),
      host(store, wasm_functype_new_1_1(wasm_valtype_new_i64(), wasm_valtype_new_i64()), fails),
  };
  wasm_extern_t* externs[5];
  for (int i = 0; i < 5; ++i) externs[i] = wasm_func_as_extern(funcs[i]);
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);

  wasm_val_t a[17], r[2];
  wasm_val_vec_t args, results;
  for (int rep = 0; rep < 2; ++rep) {  /* the first call binds, the second takes the bound way */
    a[0].kind = WASM_I32;
    a[0].of.i64 = -1;  /* garbage in the upper half again */
    a[0].of.i32 = 16;
    args = (wasm_val_vec_t){1, a};
    results = (wasm_val_vec_t){1, r};
    CHECK(wasm_func_call(export_func(&exports, 0), &args, &results) == NULL);
    CHECK(r[0].kind == WASM_I32 && r[0].of.i32 == 42);
    CHECK(wasm_func_call(export_func(&exports, 1), &args, &results) == NULL);
    CHECK(r[0].kind == WASM_I32 && r[0].of.i32 == 42);

    a[0] = (wasm_val_t)WASM_F32_VAL(2.5f);
    CHECK(wasm_func_call(export_func(&exports, 2), &args, &results) == NULL);
    float neg = -2.5f;
    int32_t bits;
    memcpy(&bits, &neg, 4);
    CHECK(r[0].kind == WASM_I32 && r[0].of.i32 == bits);

    args = (wasm_val_vec_t){0, NULL};
    results = (wasm_val_vec_t){2, r};
    CHECK(wasm_func_call(export_func(&exports, 3), &args, &results) == NULL);
    CHECK(r[0].kind == WASM_F64 && r[0].of.f64 == 0.125);
    CHECK(r[1].kind == WASM_I32 && r[1].of.i32 == -7);

    for (int i = 0; i < 17; ++i) a[i] = (wasm_val_t)WASM_I32_VAL(i + 1);
    args = (wasm_val_vec_t){17, a};
    results = (wasm_val_vec_t){1, r};
    CHECK(wasm_func_call(export_func(&exports, 4), &args, &results) == NULL);
    CHECK(r[0].kind == WASM_I32 && r[0].of.i32 == 18);

    args = (wasm_val_vec_t){0, NULL};
    expect_trap(wasm_func_call(export_func(&exports, 5), &args, &results), "wrong type");

    a[0] = (wasm_val_t)WASM_I64_VAL(-5);
    args = (wasm_val_vec_t){1, a};
    expect_trap(wasm_func_call(export_func(&exports, 6), &args, &results), "no such thing");

    /* An argument of the wrong kind: the checked way's error. */
    a[0] = (wasm_val_t)WASM_I32_VAL(1);
    expect_trap(wasm_func_call(export_func(&exports, 6), &args, &results), "argument 0 has the wrong type");

    a[0] = (wasm_val_t)WASM_F64_VAL(-0.0);
    a[1] = (wasm_val_t)WASM_I64_VAL(INT64_MIN);
    args = (wasm_val_vec_t){2, a};
    results = (wasm_val_vec_t){2, r};
    CHECK(wasm_func_call(export_func(&exports, 7), &args, &results) == NULL);
    CHECK(r[0].kind == WASM_I64 && r[0].of.i64 == INT64_MIN);
    CHECK(r[1].kind == WASM_F64 && r[1].of.f64 == 0.0 && signbit(r[1].of.f64));
  }

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  for (int i = 0; i < 5; ++i) wasm_func_delete(funcs[i]);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("numbers: ok\n");
  return 0;
}
