/* global: imported and exported globals, read and written from both sides. */
#include "capi_test.h"

static wasm_global_t* make(wasm_store_t* store, wasm_valkind_t kind, wasm_mutability_t mut, wasm_val_t v) {
  wasm_globaltype_t* t = wasm_globaltype_new(wasm_valtype_new(kind), mut);
  wasm_global_t* g = wasm_global_new(store, t, &v);
  wasm_globaltype_delete(t);
  CHECK(g != NULL);
  return g;
}

static wasm_val_t call0(wasm_func_t* f) {
  wasm_val_t r[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_EMPTY_VEC, results = WASM_ARRAY_VEC(r);
  CHECK(wasm_func_call(f, &args, &results) == NULL);
  return r[0];
}

static void call1(wasm_func_t* f, wasm_val_t v) {
  wasm_val_t a[1] = {v};
  wasm_val_vec_t args = WASM_ARRAY_VEC(a), results = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(f, &args, &results) == NULL);
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "global");

  wasm_global_t* const_f32 = make(store, WASM_F32, WASM_CONST, (wasm_val_t)WASM_F32_VAL(1));
  wasm_global_t* const_i64 = make(store, WASM_I64, WASM_CONST, (wasm_val_t)WASM_I64_VAL(2));
  wasm_global_t* var_f32 = make(store, WASM_F32, WASM_VAR, (wasm_val_t)WASM_F32_VAL(3));
  wasm_global_t* var_i64 = make(store, WASM_I64, WASM_VAR, (wasm_val_t)WASM_I64_VAL(4));
  wasm_extern_t* externs[] = {wasm_global_as_extern(const_f32), wasm_global_as_extern(const_i64),
                              wasm_global_as_extern(var_f32), wasm_global_as_extern(var_i64)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_global_t* f32_export = wasm_extern_as_global(exports.data[0]);
  wasm_global_t* i64_export = wasm_extern_as_global(exports.data[1]);
  CHECK(f32_export && i64_export);
  wasm_globaltype_t* gt = wasm_global_type(i64_export);
  CHECK(wasm_globaltype_mutability(gt) == WASM_VAR && wasm_valtype_kind(wasm_globaltype_content(gt)) == WASM_I64);
  wasm_globaltype_delete(gt);

  wasm_val_t v;
  wasm_global_get(f32_export, &v);
  CHECK(v.kind == WASM_F32 && v.of.f32 == 5);
  CHECK(call0(export_func(&exports, 2)).of.f32 == 1);
  CHECK(call0(export_func(&exports, 3)).of.i64 == 2);
  CHECK(call0(export_func(&exports, 4)).of.f32 == 3);

  /* The host writes, Wasm sees it; Wasm writes, the host sees it. */
  wasm_val_t seven = WASM_F32_VAL(7);
  wasm_global_set(var_f32, &seven);
  CHECK(call0(export_func(&exports, 4)).of.f32 == 7);
  call1(export_func(&exports, 7), (wasm_val_t)WASM_F32_VAL(9));
  wasm_global_get(var_f32, &v);
  CHECK(v.of.f32 == 9);
  call1(export_func(&exports, 8), (wasm_val_t)WASM_I64_VAL(-10));
  wasm_global_get(i64_export, &v);
  CHECK(v.of.i64 == -10);
  /* Setting an immutable global does nothing. */
  wasm_val_t zero = WASM_F32_VAL(0);
  wasm_global_set(const_f32, &zero);
  CHECK(call0(export_func(&exports, 2)).of.f32 == 1);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_global_delete(const_f32);
  wasm_global_delete(const_i64);
  wasm_global_delete(var_f32);
  wasm_global_delete(var_i64);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("global: ok\n");
  return 0;
}
