/* The benchmark harness: one source for Brisk and Wasmtime, written against
 * the standard C API (wasm.h). Built once with libbrisk.so and once with
 * Wasmtime's library (its C API, from PyPI's wasmtime package):
 *
 *   harness [--runs N] [--compiles N] [--strategy cranelift|winch] [--threads 1|all] FILE.wasm...
 *
 * prints one JSON object per module: compile time (median of N compiles),
 * instantiation time (fresh, and of a deserialized module), the median and
 * best time of `run` and its result, and the size of the serialized code. */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wasm.h"

#ifdef HARNESS_WASMTIME
/* The Wasmtime extras this harness needs (wasmtime/config.h). */
typedef uint8_t wasmtime_strategy_t;
enum { WASMTIME_STRATEGY_AUTO, WASMTIME_STRATEGY_CRANELIFT, WASMTIME_STRATEGY_WINCH };
void wasmtime_config_strategy_set(wasm_config_t*, wasmtime_strategy_t);
void wasmtime_config_parallel_compilation_set(wasm_config_t*, bool);
#define RUNTIME "wasmtime"
#else
#include "brisk.h"
#define RUNTIME "brisk"
#endif

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_double(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

static double median(double* v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int read_file(const char* path, wasm_byte_vec_t* out) {
  FILE* f = fopen(path, "rb");
  if (!f) return 0;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  wasm_byte_vec_new_uninitialized(out, (size_t)n);
  size_t got = fread(out->data, 1, (size_t)n, f);
  fclose(f);
  return got == (size_t)n;
}

static wasm_func_t* find_export(wasm_module_t* m, wasm_extern_vec_t* exports, const char* name) {
  wasm_exporttype_vec_t types;
  wasm_module_exports(m, &types);
  wasm_func_t* f = NULL;
  for (size_t i = 0; i < types.size && i < exports->size; ++i) {
    const wasm_name_t* n = wasm_exporttype_name(types.data[i]);
    if (n->size == strlen(name) && memcmp(n->data, name, n->size) == 0) f = wasm_extern_as_func(exports->data[i]);
  }
  wasm_exporttype_vec_delete(&types);
  return f;
}

int main(int argc, char** argv) {
  int runs = 5, compiles = 5, single_thread = 1;
  const char* strategy = "cranelift";
  int first = 1;
  for (; first < argc && argv[first][0] == '-'; ++first) {
    if (!strcmp(argv[first], "--runs") && first + 1 < argc) runs = atoi(argv[++first]);
    else if (!strcmp(argv[first], "--compiles") && first + 1 < argc) compiles = atoi(argv[++first]);
    else if (!strcmp(argv[first], "--strategy") && first + 1 < argc) strategy = argv[++first];
    else if (!strcmp(argv[first], "--threads") && first + 1 < argc) single_thread = !strcmp(argv[++first], "1");
    else return fprintf(stderr, "harness: unknown option %s\n", argv[first]), 2;
  }
  if (runs < 1 || compiles < 1) return 2;
  wasm_config_t* config = wasm_config_new();
#ifdef HARNESS_WASMTIME
  wasmtime_config_strategy_set(config, !strcmp(strategy, "winch") ? WASMTIME_STRATEGY_WINCH : WASMTIME_STRATEGY_CRANELIFT);
  wasmtime_config_parallel_compilation_set(config, !single_thread);
#else
  (void)strategy;
  brisk_config_compile_threads_set(config, single_thread ? 1 : 0);
#endif
  wasm_engine_t* engine = wasm_engine_new_with_config(config);
  wasm_store_t* store = wasm_store_new(engine);
  for (int k = first; k < argc; ++k) {
    wasm_byte_vec_t binary;
    if (!read_file(argv[k], &binary)) return fprintf(stderr, "harness: cannot read %s\n", argv[k]), 1;
    double* t = calloc((size_t)(runs > compiles ? runs : compiles), sizeof(double));
    wasm_module_t* module = NULL;
    for (int i = 0; i < compiles; ++i) {
      if (module) wasm_module_delete(module);
      double t0 = now_ms();
      module = wasm_module_new(store, &binary);
      t[i] = now_ms() - t0;
      if (!module) return fprintf(stderr, "harness: %s does not compile\n", argv[k]), 1;
    }
    double compile_ms = median(t, compiles);
    wasm_byte_vec_t art;
    wasm_module_serialize(module, &art);
    double t0 = now_ms();
    wasm_module_t* cached = wasm_module_deserialize(store, &art);
    double deserialize_ms = now_ms() - t0;
    wasm_extern_vec_t no_imports = WASM_EMPTY_VEC;
    t0 = now_ms();
    wasm_trap_t* trap = NULL;
    wasm_instance_t* inst = wasm_instance_new(store, module, &no_imports, &trap);
    double instantiate_ms = now_ms() - t0;
    double instantiate_cached_ms = -1;
    if (cached) {
      t0 = now_ms();
      wasm_instance_t* ci = wasm_instance_new(store, cached, &no_imports, NULL);
      instantiate_cached_ms = now_ms() - t0;
      if (ci) wasm_instance_delete(ci);
    }
    const char* name = strrchr(argv[k], '/') ? strrchr(argv[k], '/') + 1 : argv[k];
    if (!inst) {  /* a module with imports (a WASI program): its compile figures only */
      if (trap) wasm_trap_delete(trap);
      printf("{\"runtime\": \"%s\", \"module\": \"%s\", \"bytes\": %zu, \"compile_ms\": %.4f, "
             "\"deserialize_ms\": %.4f, \"serialized_bytes\": %zu}\n",
             RUNTIME, name, binary.size, compile_ms, deserialize_ms, art.size);
      fflush(stdout);
      wasm_byte_vec_delete(&art);
      if (cached) wasm_module_delete(cached);
      wasm_module_delete(module);
      wasm_byte_vec_delete(&binary);
      free(t);
      continue;
    }
    wasm_extern_vec_t exports;
    wasm_instance_exports(inst, &exports);
    wasm_func_t* run = find_export(module, &exports, "run");
    if (!run) return fprintf(stderr, "harness: %s exports no run\n", argv[k]), 1;
    int32_t result = 0;
    double best = 1e100;
    for (int i = 0; i < runs + 1; ++i) {  /* the first run warms up */
      wasm_val_t r[1] = {WASM_INIT_VAL};
      wasm_val_vec_t args = WASM_EMPTY_VEC, results = WASM_ARRAY_VEC(r);
      double s = now_ms();
      wasm_trap_t* tr = wasm_func_call(run, &args, &results);
      double e = now_ms() - s;
      if (tr) return fprintf(stderr, "harness: %s trapped\n", argv[k]), 1;
      result = r[0].of.i32;
      if (i > 0) {
        t[i - 1] = e;
        if (e < best) best = e;
      }
    }
    double run_ms = median(t, runs);
    printf("{\"runtime\": \"%s\", \"module\": \"%s\", \"bytes\": %zu, \"compile_ms\": %.4f, \"deserialize_ms\": %.4f, "
           "\"instantiate_ms\": %.4f, \"instantiate_cached_ms\": %.4f, \"run_ms\": %.3f, \"run_best_ms\": %.3f, "
           "\"result\": %d, \"serialized_bytes\": %zu}\n",
           RUNTIME, name, binary.size, compile_ms, deserialize_ms, instantiate_ms, instantiate_cached_ms, run_ms, best,
           result, art.size);
    fflush(stdout);
    wasm_byte_vec_delete(&art);
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(inst);
    if (cached) wasm_module_delete(cached);
    wasm_module_delete(module);
    wasm_byte_vec_delete(&binary);
    free(t);
  }
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
