/* wasi: a WASI command from C through brisk.h: args, captured stdout, exit
 * codes (the official testsuite's programs). */
#include <string.h>

#include "brisk.h"
#include "capi_test.h"

static int run(wasm_engine_t* engine, const char* path, size_t argc, const char* const argv[], const char* want_out) {
  wasm_store_t* store = wasm_store_new(engine);
  wasm_byte_vec_t binary;
  read_file(path, &binary);
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  CHECK(module != NULL);
  brisk_linker_t* linker = brisk_linker_new(engine);
  brisk_wasi_config_t* cfg = brisk_wasi_config_new();
  brisk_wasi_config_set_argv(cfg, argc, argv);
  brisk_wasi_config_capture_stdout(cfg);
  brisk_wasi_t* wasi = NULL;
  CHECK(brisk_linker_define_wasi(linker, cfg, &wasi) == NULL);
  wasm_instance_t* inst = NULL;
  wasm_trap_t* trap = NULL;
  CHECK(brisk_linker_instantiate(linker, store, module, &inst, &trap) == NULL && inst && !trap);
  int code = brisk_wasi_run(wasi, store, inst, NULL, &trap);
  CHECK(trap == NULL);
  size_t n;
  const char* out = brisk_wasi_stdout(wasi, &n);
  if (want_out) CHECK(n == strlen(want_out) && memcmp(out, want_out, n) == 0);
  wasm_instance_delete(inst);
  brisk_wasi_delete(wasi);
  brisk_linker_delete(linker);
  wasm_module_delete(module);
  wasm_store_delete(store);
  return code;
}

int main(int argc, char** argv) {
  CHECK(argc == 2);  /* the testsuite's assemblyscript folder */
  char path[1024];
  wasm_engine_t* engine = wasm_engine_new();
  snprintf(path, sizeof path, "%s/fd_write-to-stdout.wasm", argv[1]);
  const char* a0[] = {"fd_write-to-stdout.wasm"};
  CHECK(run(engine, path, 1, a0, "hello") == 0);
  snprintf(path, sizeof path, "%s/args_get-multiple-arguments.wasm", argv[1]);
  const char* a1[] = {"args_get-multiple-arguments.wasm", "first", "the \"second\" arg", "3"};
  CHECK(run(engine, path, 4, a1, NULL) == 0);
  const char* a2[] = {"args_get-multiple-arguments.wasm", "wrong"};
  CHECK(run(engine, path, 2, a2, NULL) != 0);
  snprintf(path, sizeof path, "%s/proc_exit-failure.wasm", argv[1]);
  CHECK(run(engine, path, 1, a0, NULL) == 33);
  wasm_engine_delete(engine);
  printf("wasi: ok\n");
  return 0;
}
