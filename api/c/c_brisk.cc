// brisk.h: the brisk_ extras of the C API (settings, limits, errors, linker).
#include <cstring>

#include "api/c/c_internal.h"
#include "brisk/wasi.h"

namespace capi = brisk::capi;

struct brisk_interrupt_handle_t {
  brisk::InterruptHandle handle;
};

struct brisk_wasi_config_t {
  brisk::wasi::WasiConfig config;
};

struct brisk_wasi_t {
  std::shared_ptr<brisk::wasi::WasiCtx> ctx;
};

struct brisk_linker_t {
  wasm_engine_t* engine;
  brisk::Linker linker;
};

extern "C" {

void brisk_error_delete(brisk_error_t* e) { delete e; }
const char* brisk_error_message(const brisk_error_t* e) { return e->message.c_str(); }

void brisk_config_explicit_bounds_checks_set(wasm_config_t* c, bool on) { c->config.explicit_bounds_checks = on; }
void brisk_config_max_wasm_stack_set(wasm_config_t* c, size_t bytes) { c->config.max_wasm_stack = bytes; }
void brisk_config_compile_threads_set(wasm_config_t* c, unsigned n) { c->config.compile_threads = n; }
void brisk_config_interruptible_set(wasm_config_t* c, bool on) { c->config.interruptible = on; }
void brisk_config_cpu_features_set(wasm_config_t* c, const char* f) { c->config.cpu_features = f ? f : ""; }

void brisk_store_limits_set(wasm_store_t* s, uint64_t memory_size, uint64_t memories_total, uint64_t table_elements,
                            size_t instances, size_t memories, size_t tables) {
  brisk::StoreLimits l = s->store.limits();
  if (memory_size) l.memory_size = memory_size;
  if (memories_total) l.memories_total = memories_total;
  if (table_elements) l.table_elements = table_elements;
  if (instances) l.instances = instances;
  if (memories) l.memories = memories;
  if (tables) l.tables = tables;
  s->store.set_limits(l);
}

brisk_interrupt_handle_t* brisk_interrupt_handle_new(wasm_store_t* s) {
  return new brisk_interrupt_handle_t{s->store.interrupt_handle()};
}
void brisk_interrupt_handle_interrupt(const brisk_interrupt_handle_t* h) { h->handle.interrupt(); }
void brisk_interrupt_handle_delete(brisk_interrupt_handle_t* h) { delete h; }

brisk_error_t* brisk_module_new(wasm_engine_t* e, const uint8_t* bytes, size_t size, wasm_module_t** out) {
  *out = nullptr;
  auto m = brisk::Module::compile(e->engine, {bytes, size});
  if (!m) return capi::error_from(m.status());
  *out = new wasm_module_t(std::move(m).value());
  return nullptr;
}

brisk_error_t* brisk_module_deserialize(wasm_engine_t* e, const uint8_t* bytes, size_t size, wasm_module_t** out) {
  *out = nullptr;
  auto m = brisk::Module::deserialize(e->engine, {bytes, size});
  if (!m) return capi::error_from(m.status());
  *out = new wasm_module_t(std::move(m).value());
  return nullptr;
}

size_t brisk_module_code_size(const wasm_module_t* m) { return m->module.code_size(); }

uint32_t brisk_trap_code(const wasm_trap_t* t) { return t->code; }

brisk_linker_t* brisk_linker_new(wasm_engine_t* e) { return new brisk_linker_t{e, brisk::Linker(e->engine)}; }
void brisk_linker_delete(brisk_linker_t* l) { delete l; }
void brisk_linker_allow_shadowing(brisk_linker_t* l, bool allow) { l->linker.allow_shadowing(allow); }

brisk_error_t* brisk_linker_define(brisk_linker_t* l, const char* module, const char* name, const wasm_extern_t* item) {
  return capi::error_from(l->linker.define(module, name, item->item));
}

namespace {
struct LinkerFuncEnv {
  wasm_func_callback_with_env_t cb;
  void* env;
  void (*finalizer)(void*);
  ~LinkerFuncEnv() {
    if (finalizer) finalizer(env);
  }
};
}  // namespace

brisk_error_t* brisk_linker_define_func(brisk_linker_t* l, const char* module, const char* name,
                                        const wasm_functype_t* type, wasm_func_callback_with_env_t cb, void* env,
                                        void (*finalizer)(void*)) {
  auto e = std::make_shared<LinkerFuncEnv>(LinkerFuncEnv{cb, env, finalizer});
  // Values carry no store here: references in and out of such functions are
  // passed as null (use brisk_linker_define with a store's wasm_func_new for
  // functions that take references).
  brisk::FuncType ft = capi::to_functype(type);
  if (capi::has_v128(ft)) {
    return capi::error_from(brisk::Status(brisk::ErrorKind::kInvalid, "v128 values cannot pass through wasm_val_t"));
  }
  return capi::error_from(l->linker.func_new(
      module, name, ft, [e, ft](std::span<const brisk::Val> args, std::span<brisk::Val> results) {
        std::vector<wasm_val_t> a(args.size()), r(results.size());
        for (size_t i = 0; i < args.size(); ++i) {
          a[i].kind = capi::from_kind(args[i].kind());
          a[i].of.i64 = static_cast<int64_t>(args[i].bits());
          if (wasm_valkind_is_ref(a[i].kind)) a[i].of.ref = nullptr;
        }
        for (size_t j = 0; j < results.size(); ++j) {
          r[j].kind = capi::from_kind(results[j].kind());
          r[j].of.i64 = 0;
        }
        wasm_val_vec_t av{a.size(), a.data()}, rv{r.size(), r.data()};
        brisk::Status st = capi::host_status(e->cb(e->env, &av, &rv));
        if (!st) return st;
        for (size_t j = 0; j < results.size(); ++j) {
          switch (r[j].kind) {
            case WASM_I32: results[j] = brisk::Val::i32(r[j].of.i32); break;
            case WASM_I64: results[j] = brisk::Val::i64(r[j].of.i64); break;
            case WASM_F32: results[j] = brisk::Val::f32(r[j].of.f32); break;
            case WASM_F64: results[j] = brisk::Val::f64(r[j].of.f64); break;
            default: results[j] = brisk::Val::from_bits(ft.results[j], 0); break;
          }
        }
        return brisk::Status::ok();
      }));
}

brisk_error_t* brisk_linker_define_instance(brisk_linker_t* l, wasm_store_t* s, const char* module,
                                            const wasm_instance_t* inst) {
  return capi::error_from(l->linker.define_instance(s->store, module, inst->instance));
}

brisk_error_t* brisk_linker_instantiate(const brisk_linker_t* l, wasm_store_t* s, const wasm_module_t* m,
                                        wasm_instance_t** out, wasm_trap_t** trap) {
  *out = nullptr;
  if (trap) *trap = nullptr;
  auto inst = l->linker.instantiate(s->store, m->module);
  if (!inst) {
    if (inst.status().kind() == brisk::ErrorKind::kTrap && trap) {
      *trap = capi::trap_from(s, inst.status());
      return nullptr;
    }
    return capi::error_from(inst.status());
  }
  *out = new wasm_instance_t(s, *inst);
  return nullptr;
}

// -- WASI ------------------------------------------------------------------------

brisk_wasi_config_t* brisk_wasi_config_new(void) { return new brisk_wasi_config_t(); }
void brisk_wasi_config_delete(brisk_wasi_config_t* c) { delete c; }

void brisk_wasi_config_set_argv(brisk_wasi_config_t* c, size_t argc, const char* const argv[]) {
  c->config.args.assign(argv, argv + argc);
}
void brisk_wasi_config_inherit_env(brisk_wasi_config_t* c) { c->config.inherit_env = true; }
void brisk_wasi_config_set_env(brisk_wasi_config_t* c, size_t n, const char* const names[], const char* const values[]) {
  for (size_t i = 0; i < n; ++i) c->config.env.emplace_back(names[i], values[i]);
}
void brisk_wasi_config_preopen_dir(brisk_wasi_config_t* c, const char* host, const char* guest, bool read_only) {
  c->config.preopens.push_back({host, guest, read_only});
}
void brisk_wasi_config_set_stdin_file(brisk_wasi_config_t* c, const char* path) {
  c->config.stdin_ = brisk::wasi::Stdio::file(path);
}
void brisk_wasi_config_set_stdin_bytes(brisk_wasi_config_t* c, const uint8_t* bytes, size_t size) {
  c->config.stdin_ = brisk::wasi::Stdio::buffer(std::string(reinterpret_cast<const char*>(bytes), size));
}
void brisk_wasi_config_set_stdout_file(brisk_wasi_config_t* c, const char* path) {
  c->config.stdout_ = brisk::wasi::Stdio::file(path);
}
void brisk_wasi_config_set_stderr_file(brisk_wasi_config_t* c, const char* path) {
  c->config.stderr_ = brisk::wasi::Stdio::file(path);
}
void brisk_wasi_config_capture_stdout(brisk_wasi_config_t* c) { c->config.stdout_ = brisk::wasi::Stdio::buffer(); }
void brisk_wasi_config_capture_stderr(brisk_wasi_config_t* c) { c->config.stderr_ = brisk::wasi::Stdio::buffer(); }

brisk_error_t* brisk_linker_define_wasi(brisk_linker_t* l, brisk_wasi_config_t* c, brisk_wasi_t** out) {
  *out = nullptr;
  std::unique_ptr<brisk_wasi_config_t> owned(c);
  auto ctx = brisk::wasi::WasiCtx::create(c->config);
  if (!ctx) return capi::error_from(ctx.status());
  if (brisk::Status st = brisk::wasi::add_to_linker(l->linker, *ctx); !st) return capi::error_from(st);
  *out = new brisk_wasi_t{std::move(ctx).value()};
  return nullptr;
}

void brisk_wasi_delete(brisk_wasi_t* w) { delete w; }

int brisk_wasi_run(const brisk_wasi_t* w, wasm_store_t* s, const wasm_instance_t* inst, const char* invoke,
                   wasm_trap_t** trap) {
  if (trap) *trap = nullptr;
  brisk::Status st;
  int code = brisk::wasi::run(s->store, inst->instance, *w->ctx, invoke ? invoke : "", &st);
  if (!st.is_ok() && trap) *trap = capi::trap_from(s, st);
  return code;
}

const char* brisk_wasi_stdout(const brisk_wasi_t* w, size_t* size) {
  *size = w->ctx->captured_stdout().size();
  return w->ctx->captured_stdout().data();
}
const char* brisk_wasi_stderr(const brisk_wasi_t* w, size_t* size) {
  *size = w->ctx->captured_stderr().size();
  return w->ctx->captured_stderr().data();
}

}  // extern "C"
