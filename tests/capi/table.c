/* table: get, set, grow, calls through a table, a host-made table. */
#include "capi_test.h"

static wasm_trap_t* neg(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = -args->data[0].of.i32;
  return NULL;
}

static int call2(wasm_func_t* f, int32_t a, int32_t b, int32_t* out) {
  wasm_val_t as[2] = {WASM_I32_VAL(a), WASM_I32_VAL(b)};
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as), results = WASM_ARRAY_VEC(rs);
  wasm_trap_t* trap = wasm_func_call(f, &args, &results);
  if (trap) {
    wasm_trap_delete(trap);
    return 0;
  }
  *out = rs[0].of.i32;
  return 1;
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "table");
  wasm_instance_t* instance = wasm_instance_new(store, module, NULL, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_table_t* table = wasm_extern_as_table(exports.data[0]);
  wasm_func_t* call_indirect = export_func(&exports, 1);
  wasm_func_t* f = export_func(&exports, 2);
  wasm_func_t* g = export_func(&exports, 3);
  CHECK(table != NULL);

  wasm_tabletype_t* tt = wasm_table_type(table);
  CHECK(wasm_tabletype_limits(tt)->min == 2 && wasm_tabletype_limits(tt)->max == 10);
  CHECK(wasm_valtype_kind(wasm_tabletype_element(tt)) == WASM_FUNCREF);
  wasm_tabletype_delete(tt);

  CHECK(wasm_table_size(table) == 2);
  CHECK(wasm_table_get(table, 0) == NULL);
  wasm_ref_t* r1 = wasm_table_get(table, 1);
  CHECK(r1 != NULL && wasm_func_same(wasm_ref_as_func(r1), f));
  wasm_ref_delete(r1);
  CHECK(wasm_table_get(table, 2) == NULL);

  int32_t out;
  CHECK(!call2(call_indirect, 0, 0, &out));  /* null entry: a trap */
  CHECK(call2(call_indirect, 7, 1, &out) && out == 7);
  CHECK(wasm_table_set(table, 0, wasm_func_as_ref(g)));
  CHECK(call2(call_indirect, 7, 0, &out) && out == 666);
  CHECK(!wasm_table_set(table, 2, wasm_func_as_ref(f)));

  /* A host function in a Wasm table. */
  wasm_functype_t* ft = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* h = wasm_func_new(store, ft, neg);
  wasm_functype_delete(ft);
  CHECK(wasm_table_grow(table, 3, wasm_func_as_ref(h)));
  CHECK(wasm_table_size(table) == 5);
  CHECK(call2(call_indirect, 5, 4, &out) && out == -5);
  CHECK(!wasm_table_grow(table, 6, NULL));  /* past the maximum */
  CHECK(wasm_table_grow(table, 0, NULL));

  /* A table the host makes. */
  wasm_limits_t limits = {5, 5};
  wasm_tabletype_t* tt2 = wasm_tabletype_new(wasm_valtype_new_funcref(), &limits);
  wasm_table_t* table2 = wasm_table_new(store, tt2, NULL);
  wasm_tabletype_delete(tt2);
  CHECK(table2 != NULL && wasm_table_size(table2) == 5);
  CHECK(!wasm_table_grow(table2, 1, NULL));

  wasm_table_delete(table2);
  wasm_func_delete(h);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("table: ok\n");
  return 0;
}
