/* hostref: host references (foreign objects, functions) through externref
 * parameters, results, globals and tables; host info and identity. */
#include <sys/resource.h>

#include "capi_test.h"

static wasm_trap_t* identity(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  wasm_val_copy(&results->data[0], &args->data[0]);
  return NULL;
}

static wasm_ref_t* call_r_r(wasm_func_t* f, wasm_ref_t* r) {
  wasm_val_t a[1] = {WASM_REF_VAL(r)};
  wasm_val_t out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(a), results = WASM_ARRAY_VEC(out);
  CHECK(wasm_func_call(f, &args, &results) == NULL);
  CHECK(out[0].kind == WASM_EXTERNREF);
  return out[0].of.ref;
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "hostref");
  wasm_functype_t* t = wasm_functype_new_1_1(wasm_valtype_new_externref(), wasm_valtype_new_externref());
  wasm_func_t* f = wasm_func_new(store, t, identity);
  wasm_functype_delete(t);
  wasm_extern_t* externs[] = {wasm_func_as_extern(f)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_global_t* global = wasm_extern_as_global(exports.data[0]);
  wasm_table_t* table = wasm_extern_as_table(exports.data[1]);
  wasm_func_t* global_set = export_func(&exports, 2);
  wasm_func_t* global_get = export_func(&exports, 3);
  wasm_func_t* table_set = export_func(&exports, 4);
  wasm_func_t* func_call = export_func(&exports, 6);

  int info1 = 1, info2 = 2;
  wasm_foreign_t* host1 = wasm_foreign_new(store);
  wasm_foreign_t* host2 = wasm_foreign_new(store);
  wasm_foreign_set_host_info(host1, &info1);
  wasm_foreign_set_host_info(host2, &info2);
  wasm_ref_t* r1 = wasm_foreign_as_ref(host1);
  wasm_ref_t* r2 = wasm_foreign_as_ref(host2);
  CHECK(wasm_ref_get_host_info(r1) == &info1);

  /* Through a host function and back: the same object, its host info. */
  wasm_ref_t* back = call_r_r(func_call, r1);
  CHECK(back != NULL && wasm_ref_same(back, r1) && !wasm_ref_same(back, r2));
  CHECK(wasm_ref_get_host_info(back) == &info1);
  wasm_ref_delete(back);
  CHECK(call_r_r(func_call, NULL) == NULL);

  /* Globals, set by Wasm and by the host. */
  wasm_val_t a[1] = {WASM_REF_VAL(r2)};
  wasm_val_vec_t args = WASM_ARRAY_VEC(a), none = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(global_set, &args, &none) == NULL);
  wasm_val_t v;
  wasm_global_get(global, &v);
  CHECK(v.kind == WASM_EXTERNREF && wasm_ref_same(v.of.ref, r2));
  wasm_val_delete(&v);
  wasm_val_t nv = WASM_REF_VAL(r1);
  wasm_global_set(global, &nv);
  wasm_val_t out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t results = WASM_ARRAY_VEC(out);
  CHECK(wasm_func_call(global_get, &none, &results) == NULL);
  CHECK(wasm_ref_same(out[0].of.ref, r1));
  wasm_val_delete(&out[0]);

  /* Tables. */
  wasm_val_t ta[2] = {WASM_I32_VAL(3), WASM_REF_VAL(r2)};
  wasm_val_vec_t targs = WASM_ARRAY_VEC(ta);
  CHECK(wasm_func_call(table_set, &targs, &none) == NULL);
  wasm_ref_t* e = wasm_table_get(table, 3);
  CHECK(e != NULL && wasm_ref_same(e, r2));
  wasm_ref_delete(e);
  CHECK(wasm_table_get(table, 2) == NULL);
  CHECK(wasm_table_set(table, 2, r1));
  e = wasm_table_get(table, 2);
  CHECK(wasm_ref_same(e, r1));
  wasm_ref_delete(e);

  /* Passing the same object again and again keeps one anchor for it: a
   * million calls must not keep a million copies (about 50 MB). */
  struct rusage before, after;
  getrusage(RUSAGE_SELF, &before);
  for (int i = 0; i < 1000000; ++i) CHECK(wasm_func_call(global_set, &args, &none) == NULL);
  getrusage(RUSAGE_SELF, &after);
  CHECK(after.ru_maxrss - before.ru_maxrss < 8 * 1024); /* KiB */

  /* A copy shares identity and host info. */
  wasm_foreign_t* copy = wasm_foreign_copy(host1);
  CHECK(wasm_foreign_same(copy, host1) && wasm_foreign_get_host_info(copy) == &info1);
  wasm_foreign_delete(copy);

  wasm_foreign_delete(host1);
  wasm_foreign_delete(host2);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(f);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("hostref: ok\n");
  return 0;
}
