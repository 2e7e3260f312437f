/* The benchmark harness: one source for Brisk and Wasmtime, written against
 * the standard C API (wasm.h). Built once with libbrisk.so and once with
 * Wasmtime's library (its C API, from PyPI's wasmtime package):
 *
 *   harness [--runs N] [--compiles N] [--strategy cranelift|winch] [--threads 1|all] [--compile-only] FILE.wasm...
 *   harness --markdown CORPUS [--runs N] markdown_renderer.wasm   documents per second
 *   harness --calls calls.wasm                                   ns per call, both ways
 *
 * prints one JSON object per module: compile time (median of N compiles),
 * instantiation time (fresh, and of a deserialized module), the median and
 * best time of `run` and its result, and the size of the serialized code. */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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

/* CPU time of the whole process (every thread: a parallel compile's workers). */
static double cpu_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static long peak_rss_kb(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

/* Bytes of machine code; -1 where the runtime has no such query (Wasmtime:
 * its serialized size stands in). */
static long machine_code_bytes(const wasm_module_t* m) {
#ifdef HARNESS_WASMTIME
  (void)m;
  return -1;
#else
  return (long)brisk_module_code_size(m);
#endif
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

/* -- markdown: documents per second through the module's C ABI ----------- */

/* Every import of the markdown module is a WASI function; the renderer only
 * needs random_get (hash seeds) to work, the rest report success. The
 * memory becomes known after instantiation. */
typedef struct {
  wasm_memory_t* memory;
  const char* name;
} ImportEnv;

static wasm_trap_t* wasi_stub(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  ImportEnv* e = env;
  if (!strcmp(e->name, "random_get") && e->memory) {
    uint32_t p = (uint32_t)args->data[0].of.i32, n = (uint32_t)args->data[1].of.i32;
    byte_t* mem = wasm_memory_data(e->memory);
    if ((uint64_t)p + n <= wasm_memory_data_size(e->memory)) {
      for (uint32_t i = 0; i < n; ++i) mem[p + i] = (byte_t)(i * 131 + 7);
    }
  } else if (!strcmp(e->name, "environ_sizes_get") && e->memory) {
    uint32_t a = (uint32_t)args->data[0].of.i32, b = (uint32_t)args->data[1].of.i32;
    byte_t* mem = wasm_memory_data(e->memory);
    if ((uint64_t)a + 4 <= wasm_memory_data_size(e->memory)) memset(mem + a, 0, 4);
    if ((uint64_t)b + 4 <= wasm_memory_data_size(e->memory)) memset(mem + b, 0, 4);
  }
  for (size_t i = 0; i < results->size; ++i) {
    results->data[i].kind = WASM_I32;
    results->data[i].of.i32 = 0;
  }
  return NULL;
}

/* Calls f with n i32 arguments and `nres` (0 or 1) results. */
static int32_t call_i32(wasm_func_t* f, int n, int32_t a, int32_t b, size_t nres) {
  wasm_val_t as[2] = {WASM_I32_VAL(a), WASM_I32_VAL(b)};
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = {(size_t)n, as};
  wasm_val_vec_t results = {nres, rs};
  wasm_trap_t* t = wasm_func_call(f, &args, &results);
  if (t) {
    fprintf(stderr, "harness: trap in the markdown module\n");
    exit(1);
  }
  return rs[0].of.i32;
}

static int markdown(wasm_store_t* store, const char* wasm_path, const char* corpus_path, int reps) {
  wasm_byte_vec_t binary, corpus;
  if (!read_file(wasm_path, &binary) || !read_file(corpus_path, &corpus)) return 1;
  wasm_module_t* module = wasm_module_new(store, &binary);
  if (!module) return 1;
  wasm_importtype_vec_t imports;
  wasm_module_imports(module, &imports);
  ImportEnv envs[32];
  wasm_extern_t* externs[32];
  wasm_func_t* funcs[32];
  if (imports.size > 32) return 1;
  for (size_t i = 0; i < imports.size; ++i) {
    const wasm_name_t* n = wasm_importtype_name(imports.data[i]);
    char* name = malloc(n->size + 1);
    memcpy(name, n->data, n->size);
    name[n->size] = 0;
    envs[i].memory = NULL;
    envs[i].name = name;
    const wasm_functype_t* ft = wasm_externtype_as_functype_const(wasm_importtype_type(imports.data[i]));
    funcs[i] = wasm_func_new_with_env(store, ft, wasi_stub, &envs[i], NULL);
    externs[i] = wasm_func_as_extern(funcs[i]);
  }
  wasm_extern_vec_t imp = {imports.size, externs};
  wasm_instance_t* inst = wasm_instance_new(store, module, &imp, NULL);
  if (!inst) return fprintf(stderr, "harness: the markdown module does not instantiate\n"), 1;
  wasm_extern_vec_t exports;
  wasm_instance_exports(inst, &exports);
  wasm_memory_t* memory = NULL;
  wasm_exporttype_vec_t et;
  wasm_module_exports(module, &et);
  for (size_t i = 0; i < et.size; ++i) {
    if (wasm_extern_kind(exports.data[i]) == WASM_EXTERN_MEMORY) memory = wasm_extern_as_memory(exports.data[i]);
  }
  wasm_exporttype_vec_delete(&et);
  for (size_t i = 0; i < imports.size; ++i) envs[i].memory = memory;
  wasm_func_t* alloc = find_export(module, &exports, "alloc");
  wasm_func_t* dealloc = find_export(module, &exports, "dealloc");
  wasm_func_t* render = find_export(module, &exports, "render");
  wasm_func_t* output_len = find_export(module, &exports, "output_len");
  if (!memory || !alloc || !dealloc || !render || !output_len) return 1;
  long docs = 0, out_bytes = 0;
  double t0 = now_ms();
  for (int r = 0; r < reps; ++r) {
    size_t pos = 0;
    while (pos < corpus.size) {
      size_t len = (size_t)strtoul(corpus.data + pos, NULL, 10);
      while (pos < corpus.size && corpus.data[pos] != '\n') ++pos;
      ++pos;
      int32_t in = call_i32(alloc, 1, (int32_t)len, 0, 1);
      memcpy(wasm_memory_data(memory) + (uint32_t)in, corpus.data + pos, len);
      int32_t out = call_i32(render, 2, in, (int32_t)len, 1);
      int32_t n = call_i32(output_len, 0, 0, 0, 1);
      out_bytes += n;
      call_i32(dealloc, 2, in, (int32_t)len, 0);
      call_i32(dealloc, 2, out, n, 0);
      pos += len;
      ++docs;
    }
  }
  double ms = now_ms() - t0;
  printf("{\"runtime\": \"%s\", \"module\": \"markdown\", \"docs_per_s\": %.1f, \"docs\": %ld, \"html_bytes\": %ld}\n",
         RUNTIME, docs / (ms / 1e3), docs, out_bytes);
  return 0;
}

/* -- calls: host -> Wasm and Wasm -> host through the C API ---------------- */

static wasm_trap_t* inc(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = args->data[0].of.i32 + 1;
  return NULL;
}

static int calls(wasm_store_t* store, const char* wasm_path) {
  wasm_byte_vec_t binary;
  if (!read_file(wasm_path, &binary)) return 1;
  wasm_module_t* module = wasm_module_new(store, &binary);
  if (!module) return 1;
  wasm_functype_t* t = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* host = wasm_func_new(store, t, inc);
  wasm_functype_delete(t);
  wasm_extern_t* ex[1] = {wasm_func_as_extern(host)};
  wasm_extern_vec_t imp = WASM_ARRAY_VEC(ex);
  wasm_instance_t* inst = wasm_instance_new(store, module, &imp, NULL);
  if (!inst) return 1;
  wasm_extern_vec_t exports;
  wasm_instance_exports(inst, &exports);
  wasm_func_t* add = find_export(module, &exports, "add");
  wasm_func_t* call_host = find_export(module, &exports, "call_host");
  const int n = 1000000;
  int32_t acc = 0;
  double best_in = 1e100, best_out = 1e100;
  for (int rep = 0; rep < 5; ++rep) {
    double t0 = now_ms();
    for (int i = 0; i < n; ++i) acc = call_i32(add, 2, acc, 1, 1);
    double e = now_ms() - t0;
    if (e < best_in) best_in = e;
    t0 = now_ms();
    acc += call_i32(call_host, 1, n, 0, 1);
    e = now_ms() - t0;
    if (e < best_out) best_out = e;
  }
  printf("{\"runtime\": \"%s\", \"module\": \"calls\", \"host_to_wasm_ns\": %.1f, \"wasm_to_host_ns\": %.1f, \"acc\": %d}\n",
         RUNTIME, best_in * 1e6 / n, best_out * 1e6 / n, acc);
  return 0;
}

int main(int argc, char** argv) {
  int runs = 5, compiles = 5, single_thread = 1, compile_only = 0;
  const char* markdown_corpus = NULL;
  const char* calls_module = NULL;
  const char* strategy = "cranelift";
  int first = 1;
  for (; first < argc && argv[first][0] == '-'; ++first) {
    if (!strcmp(argv[first], "--runs") && first + 1 < argc) runs = atoi(argv[++first]);
    else if (!strcmp(argv[first], "--compiles") && first + 1 < argc) compiles = atoi(argv[++first]);
    else if (!strcmp(argv[first], "--strategy") && first + 1 < argc) strategy = argv[++first];
    else if (!strcmp(argv[first], "--threads") && first + 1 < argc) single_thread = !strcmp(argv[++first], "1");
    else if (!strcmp(argv[first], "--markdown") && first + 1 < argc) markdown_corpus = argv[++first];
    else if (!strcmp(argv[first], "--calls") && first + 1 < argc) calls_module = argv[++first];
    else if (!strcmp(argv[first], "--compile-only")) compile_only = 1;
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
  if (calls_module) return calls(store, calls_module);
  if (markdown_corpus) {
    if (first >= argc) return 2;
    return markdown(store, argv[first], markdown_corpus, runs);
  }
  for (int k = first; k < argc; ++k) {
    wasm_byte_vec_t binary;
    if (!read_file(argv[k], &binary)) return fprintf(stderr, "harness: cannot read %s\n", argv[k]), 1;
    double* t = calloc((size_t)(runs > compiles ? runs : compiles), sizeof(double));
    double* cpu = calloc((size_t)compiles, sizeof(double));
    wasm_module_t* module = NULL;
    for (int i = 0; i < compiles; ++i) {
      if (module) wasm_module_delete(module);
      double t0 = now_ms(), c0 = cpu_ms();
      module = wasm_module_new(store, &binary);
      t[i] = now_ms() - t0;
      cpu[i] = cpu_ms() - c0;
      if (!module) break;
    }
    if (!module) {  /* a runtime that cannot compile it (Winch lacks some operators): say so, go on */
      const char* bad = strrchr(argv[k], '/') ? strrchr(argv[k], '/') + 1 : argv[k];
      fprintf(stderr, "harness: %s does not compile with %s\n", argv[k], RUNTIME);
      printf("{\"runtime\": \"%s\", \"module\": \"%s\", \"bytes\": %zu, \"compile_error\": true}\n", RUNTIME, bad,
             binary.size);
      fflush(stdout);
      wasm_byte_vec_delete(&binary);
      free(t);
      free(cpu);
      continue;
    }
    double compile_ms = median(t, compiles);
    double compile_cpu_ms = median(cpu, compiles);
    free(cpu);
    const char* name = strrchr(argv[k], '/') ? strrchr(argv[k], '/') + 1 : argv[k];
    if (compile_only) {
      printf("{\"runtime\": \"%s\", \"module\": \"%s\", \"bytes\": %zu, \"compile_ms\": %.4f, "
             "\"compile_cpu_ms\": %.4f, \"machine_code_bytes\": %ld, \"peak_rss_kb\": %ld}\n",
             RUNTIME, name, binary.size, compile_ms, compile_cpu_ms, machine_code_bytes(module), peak_rss_kb());
      fflush(stdout);
      wasm_module_delete(module);
      wasm_byte_vec_delete(&binary);
      free(t);
      continue;
    }
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
    if (!inst) {  /* a module with imports (a WASI program): its compile figures only */
      if (trap) wasm_trap_delete(trap);
      printf("{\"runtime\": \"%s\", \"module\": \"%s\", \"bytes\": %zu, \"compile_ms\": %.4f, "
             "\"deserialize_ms\": %.4f, \"serialized_bytes\": %zu, \"peak_rss_kb\": %ld}\n",
             RUNTIME, name, binary.size, compile_ms, deserialize_ms, art.size, peak_rss_kb());
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
           "\"result\": %d, \"serialized_bytes\": %zu, \"machine_code_bytes\": %ld, \"peak_rss_kb\": %ld}\n",
           RUNTIME, name, binary.size, compile_ms, deserialize_ms, instantiate_ms, instantiate_cached_ms, run_ms, best,
           result, art.size, machine_code_bytes(module), peak_rss_kb());
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
