/* c-api: the standard C API alone (wasm.h). Build it the way any C program
 * would, against the header and the library:
 *   cc hello.c -Iapi/c/include -Lbazel-bin/api/c -lbrisk
 *   LD_LIBRARY_PATH=bazel-bin/api/c ./a.out examples/c-api/hello.wasm */
#include <stdio.h>
#include <stdlib.h>

#include "wasm.h"

static wasm_trap_t* hello(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  printf("Hello, %d!\n", args->data[0].of.i32);
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = args->data[0].of.i32 * 2;
  return NULL;
}

int main(int argc, char** argv) {
  if (argc < 2) return fprintf(stderr, "usage: %s hello.wasm\n", argv[0]), 2;
  FILE* f = fopen(argv[1], "rb");
  if (!f) return fprintf(stderr, "cannot open %s\n", argv[1]), 1;
  fseek(f, 0, SEEK_END);
  size_t size = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  wasm_byte_vec_t binary;
  wasm_byte_vec_new_uninitialized(&binary, size);
  if (fread(binary.data, 1, size, f) != size) return 1;
  fclose(f);

  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  if (!module) return fprintf(stderr, "cannot compile\n"), 1;

  wasm_functype_t* type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* func = wasm_func_new(store, type, hello);
  wasm_functype_delete(type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
  if (!instance) return fprintf(stderr, "cannot instantiate\n"), 1;

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_func_t* run = wasm_extern_as_func(exports.data[0]);
  wasm_val_t args_val[1] = {WASM_I32_VAL(21)};
  wasm_val_t results_val[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(args_val), results = WASM_ARRAY_VEC(results_val);
  trap = wasm_func_call(run, &args, &results);
  if (trap) return fprintf(stderr, "trapped\n"), 1;
  printf("run(21) = %d\n", results_val[0].of.i32);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(func);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
