/* Shared by the C API tests: checks that print where they failed, and
 * loading a module from the file next to the test. */
#ifndef BRISK_TESTS_CAPI_CAPI_TEST_H
#define BRISK_TESTS_CAPI_CAPI_TEST_H

#include <stdio.h>
#include <stdlib.h>

#include "wasm.h"

#define CHECK(cond)                                                      \
  do {                                                                   \
    if (!(cond)) {                                                       \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      exit(1);                                                           \
    }                                                                    \
  } while (0)

static inline void read_file(const char* path, wasm_byte_vec_t* out) {
  FILE* f = fopen(path, "rb");
  CHECK(f != NULL);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  wasm_byte_vec_new_uninitialized(out, (size_t)n);
  CHECK(fread(out->data, 1, (size_t)n, f) == (size_t)n);
  fclose(f);
}

static inline wasm_module_t* load_module(wasm_store_t* store, const char* name) {
  char path[256];
  snprintf(path, sizeof path, "tests/capi/%s.wasm", name);
  wasm_byte_vec_t binary;
  read_file(path, &binary);
  wasm_module_t* m = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  CHECK(m != NULL);
  return m;
}

static inline wasm_func_t* export_func(const wasm_extern_vec_t* exports, size_t i) {
  CHECK(i < exports->size);
  wasm_func_t* f = wasm_extern_as_func(exports->data[i]);
  CHECK(f != NULL);
  return f;
}

#endif
