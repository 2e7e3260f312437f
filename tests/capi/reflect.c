/* reflect: module imports and exports and extern types; validation. */
#include <string.h>

#include "brisk.h"
#include "capi_test.h"

static int name_is(const wasm_name_t* n, const char* s) { return n->size == strlen(s) && memcmp(n->data, s, n->size) == 0; }

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "reflect");

  wasm_exporttype_vec_t exports;
  wasm_module_exports(module, &exports);
  CHECK(exports.size == 4);
  CHECK(name_is(wasm_exporttype_name(exports.data[0]), "func"));
  const wasm_externtype_t* et = wasm_exporttype_type(exports.data[0]);
  CHECK(wasm_externtype_kind(et) == WASM_EXTERN_FUNC);
  const wasm_functype_t* ft = wasm_externtype_as_functype_const(et);
  CHECK(ft != NULL && wasm_externtype_as_globaltype_const(et) == NULL);
  CHECK(wasm_functype_params(ft)->size == 3);
  CHECK(wasm_valtype_kind(wasm_functype_params(ft)->data[1]) == WASM_F64);
  CHECK(wasm_valtype_kind(wasm_functype_results(ft)->data[0]) == WASM_I32);
  const wasm_globaltype_t* gt = wasm_externtype_as_globaltype_const(wasm_exporttype_type(exports.data[1]));
  CHECK(gt && wasm_globaltype_mutability(gt) == WASM_CONST);
  const wasm_tabletype_t* tt = wasm_externtype_as_tabletype_const(wasm_exporttype_type(exports.data[2]));
  CHECK(tt && wasm_tabletype_limits(tt)->min == 0 && wasm_tabletype_limits(tt)->max == 50);
  const wasm_memorytype_t* mt = wasm_externtype_as_memorytype_const(wasm_exporttype_type(exports.data[3]));
  CHECK(mt && wasm_memorytype_limits(mt)->min == 1 && wasm_memorytype_limits(mt)->max == wasm_limits_max_default);
  wasm_exporttype_vec_t copy;
  wasm_exporttype_vec_copy(&copy, &exports);
  CHECK(copy.size == 4 && name_is(wasm_exporttype_name(copy.data[3]), "memory"));
  wasm_exporttype_vec_delete(&copy);
  wasm_exporttype_vec_delete(&exports);

  wasm_module_t* hello = load_module(store, "hello");
  wasm_importtype_vec_t imports;
  wasm_module_imports(hello, &imports);
  CHECK(imports.size == 1);
  CHECK(name_is(wasm_importtype_module(imports.data[0]), ""));
  CHECK(name_is(wasm_importtype_name(imports.data[0]), "hello"));
  CHECK(wasm_externtype_kind(wasm_importtype_type(imports.data[0])) == WASM_EXTERN_FUNC);
  wasm_importtype_vec_delete(&imports);

  /* Exports of an instance have the same types. */
  wasm_instance_t* inst = wasm_instance_new(store, module, NULL, NULL);
  wasm_extern_vec_t ext;
  wasm_instance_exports(inst, &ext);
  wasm_externtype_t* t = wasm_extern_type(ext.data[2]);
  CHECK(wasm_externtype_kind(t) == WASM_EXTERN_TABLE);
  wasm_externtype_delete(t);
  CHECK(wasm_extern_kind(ext.data[3]) == WASM_EXTERN_MEMORY);
  wasm_extern_vec_delete(&ext);
  wasm_instance_delete(inst);

  /* Validation and compile errors. */
  wasm_byte_vec_t junk;
  wasm_byte_vec_new(&junk, 8, "\0asm\2\0\0\0");
  CHECK(!wasm_module_validate(store, &junk));
  CHECK(wasm_module_new(store, &junk) == NULL);
  wasm_module_t* out = NULL;
  brisk_error_t* err = brisk_module_new(engine, (const uint8_t*)junk.data, junk.size, &out);
  CHECK(err != NULL && out == NULL && strlen(brisk_error_message(err)) > 0);
  brisk_error_delete(err);
  wasm_byte_vec_delete(&junk);

  wasm_module_delete(hello);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("reflect: ok\n");
  return 0;
}
