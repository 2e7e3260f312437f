// wasm.h: runtime objects over the C++ API (config, engine, store, values,
// references, traps, modules, functions, globals, tables, memories,
// externs, instances).
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <vector>

#include "api/c/c_internal.h"

using brisk::Extern;
using brisk::Func;
using brisk::Global;
using brisk::Memory;
using brisk::Status;
using brisk::ValKind;
using brisk::Table;
using brisk::Val;
using brisk::ValKind;
namespace capi = brisk::capi;

// -- Externs --------------------------------------------------------------------

wasm_externkind_t wasm_extern_t::kind() const {
  switch (item.index()) {
    case 0: return WASM_EXTERN_FUNC;
    case 1: return WASM_EXTERN_MEMORY;
    case 2: return WASM_EXTERN_TABLE;
    default: return WASM_EXTERN_GLOBAL;
  }
}

wasm_ref_t* wasm_extern_t::clone() const {
  wasm_extern_t* e = nullptr;
  switch (kind()) {
    case WASM_EXTERN_FUNC: e = new wasm_func_t(store, item); break;
    case WASM_EXTERN_MEMORY: e = new wasm_memory_t(store, item); break;
    case WASM_EXTERN_TABLE: e = new wasm_table_t(store, item); break;
    default: e = new wasm_global_t(store, item); break;
  }
  e->core = core;
  return e;
}

namespace brisk::capi {

wasm_extern_t* new_extern(wasm_store_t* store, const Extern& e) {
  switch (e.index()) {
    case 0: return new wasm_func_t(store, e);
    case 1: return new wasm_memory_t(store, e);
    case 2: return new wasm_table_t(store, e);
    default: return new wasm_global_t(store, e);
  }
}

brisk_error_t* error_from(const Status& s) { return s ? nullptr : new brisk_error_t{s.message()}; }

bool has_v128(const brisk::FuncType& t) {
  for (const auto* kinds : {&t.params, &t.results}) {
    for (ValKind k : *kinds) {
      if (k == ValKind::kV128) return true;
    }
  }
  return false;
}

wasm_trap_t* trap_from(wasm_store_t* store, const Status& s) {
  if (s) return nullptr;
  auto* t = new wasm_trap_t();
  t->message = s.message();
  t->code = brisk::trap_code(s);
  t->frames = brisk::trap_frames(s);
  t->store = store;
  return t;
}

Status host_status(wasm_trap_t* trap) {
  if (!trap) return Status::ok();
  Status s(brisk::ErrorKind::kTrap, trap->message);
  wasm_trap_delete(trap);
  return s;
}

Val ref_to_val(wasm_store_t* store, const wasm_val_t& v) {
  switch (v.kind) {
    case WASM_I32: return Val::i32(v.of.i32);
    case WASM_I64: return Val::i64(v.of.i64);
    case WASM_F32: return Val::f32(v.of.f32);
    case WASM_F64: return Val::f64(v.of.f64);
    case WASM_FUNCREF: {
      if (!v.of.ref) return Val::null_funcref();
      const wasm_func_t* f = wasm_ref_as_func_const(v.of.ref);
      if (!f) return Val::null_funcref();
      return std::get<Func>(f->item).as_val();
    }
    case WASM_EXTERNREF: {
      if (!v.of.ref) return Val::externref(nullptr);
      // The value Wasm holds is an anchor the store keeps: a copy of the
      // reference, so the caller may delete its own; one per object.
      auto& anchor = store->anchors.try_emplace(v.of.ref->core.get(), nullptr, [](wasm_ref_t* r) { delete r; })
                         .first->second;
      if (!anchor) anchor.reset(v.of.ref->clone());
      return Val::externref(anchor.get());
    }
    default: return Val::i32(0);
  }
}

void ref_from_val(wasm_store_t* store, const Val& v, wasm_val_t* out) {
  out->kind = from_kind(v.kind());
  switch (v.kind()) {
    case ValKind::kI32: out->of.i32 = v.i32(); break;
    case ValKind::kI64: out->of.i64 = v.i64(); break;
    case ValKind::kF32: out->of.f32 = v.f32(); break;
    case ValKind::kF64: out->of.f64 = v.f64(); break;
    case ValKind::kFuncRef: {
      auto f = Func::from_val(store->store, v);
      out->of.ref = f ? wasm_func_as_ref(new wasm_func_t(store, *f)) : nullptr;
      break;
    }
    case ValKind::kExternRef: {
      auto* anchor = static_cast<wasm_ref_t*>(v.externref());
      out->of.ref = anchor ? anchor->clone() : nullptr;
      break;
    }
    default: out->of.i64 = 0; break;
  }
}

}  // namespace brisk::capi

namespace {
// Room for a call's values: N inline, left unconstructed until take()
// (clearing two arrays of Val on every call was a third of its cost),
// more on the heap.
template <size_t N>
class ValScratch {
 public:
  ValScratch() {}
  std::span<Val> take(size_t n) {
    if (n > N) {
      big_.resize(n);
      return big_;
    }
    std::uninitialized_default_construct_n(small_, n);
    return {small_, n};
  }

 private:
  union {
    Val small_[N];
  };
  std::vector<Val> big_;
};
}  // namespace

extern "C" {

// -- Config, engine, store ------------------------------------------------------------

wasm_config_t* wasm_config_new(void) { return new wasm_config_t(); }
void wasm_config_delete(wasm_config_t* c) { delete c; }

wasm_engine_t* wasm_engine_new(void) { return new wasm_engine_t{brisk::Engine()}; }
wasm_engine_t* wasm_engine_new_with_config(wasm_config_t* c) {
  auto* e = new wasm_engine_t{brisk::Engine(c ? c->config : brisk::Config())};
  delete c;
  return e;
}
void wasm_engine_delete(wasm_engine_t* e) { delete e; }

wasm_store_t* wasm_store_new(wasm_engine_t* e) { return new wasm_store_t(e); }
void wasm_store_delete(wasm_store_t* s) {
  if (!s) return;
  s->frame_instances.clear();
  s->anchors.clear();
  delete s;
}

// -- Values ---------------------------------------------------------------------------

void wasm_val_delete(wasm_val_t* v) {
  if (v && wasm_valkind_is_ref(v->kind) && v->of.ref) {
    delete v->of.ref;
    v->of.ref = nullptr;
  }
}

void wasm_val_copy(wasm_val_t* out, const wasm_val_t* v) {
  *out = *v;
  if (wasm_valkind_is_ref(v->kind) && v->of.ref) out->of.ref = v->of.ref->clone();
}

// -- References -------------------------------------------------------------------------

#define BRISK_REF_BASE_IMPL(name)                                                              \
  void wasm_##name##_delete(wasm_##name##_t* r) { delete r; }                                  \
  wasm_##name##_t* wasm_##name##_copy(const wasm_##name##_t* r) {                               \
    return r ? static_cast<wasm_##name##_t*>(r->clone()) : nullptr;                            \
  }                                                                                            \
  bool wasm_##name##_same(const wasm_##name##_t* a, const wasm_##name##_t* b) {                 \
    if (!a || !b) return a == b;                                                               \
    return a->same(b);                                                     \
  }                                                                                            \
  void* wasm_##name##_get_host_info(const wasm_##name##_t* r) { return r->core->host_info; }   \
  void wasm_##name##_set_host_info(wasm_##name##_t* r, void* info) {                           \
    r->core->host_info = info;                                                                 \
    r->core->finalizer = nullptr;                                                              \
  }                                                                                            \
  void wasm_##name##_set_host_info_with_finalizer(wasm_##name##_t* r, void* info, void (*fin)(void*)) { \
    r->core->host_info = info;                                                                 \
    r->core->finalizer = fin;                                                                  \
  }

#define BRISK_REF_IMPL(name, test)                                                                  \
  BRISK_REF_BASE_IMPL(name)                                                                         \
  wasm_ref_t* wasm_##name##_as_ref(wasm_##name##_t* r) { return r; }                                \
  const wasm_ref_t* wasm_##name##_as_ref_const(const wasm_##name##_t* r) { return r; }              \
  wasm_##name##_t* wasm_ref_as_##name(wasm_ref_t* r) {                                              \
    return r && (test) ? static_cast<wasm_##name##_t*>(r) : nullptr;                                \
  }                                                                                                 \
  const wasm_##name##_t* wasm_ref_as_##name##_const(const wasm_ref_t* r) {                          \
    return r && (test) ? static_cast<const wasm_##name##_t*>(r) : nullptr;                          \
  }

#define IS_EXTERN(k) (r->ref_kind == wasm_ref_t::Kind::kExtern && static_cast<const wasm_extern_t*>(r)->kind() == k)

BRISK_REF_BASE_IMPL(ref)
BRISK_REF_IMPL(trap, r->ref_kind == wasm_ref_t::Kind::kTrap)
BRISK_REF_IMPL(foreign, r->ref_kind == wasm_ref_t::Kind::kForeign)
BRISK_REF_IMPL(module, r->ref_kind == wasm_ref_t::Kind::kModule)
BRISK_REF_IMPL(instance, r->ref_kind == wasm_ref_t::Kind::kInstance)
BRISK_REF_IMPL(extern, r->ref_kind == wasm_ref_t::Kind::kExtern)
BRISK_REF_IMPL(func, IS_EXTERN(WASM_EXTERN_FUNC))
BRISK_REF_IMPL(global, IS_EXTERN(WASM_EXTERN_GLOBAL))
BRISK_REF_IMPL(table, IS_EXTERN(WASM_EXTERN_TABLE))
BRISK_REF_IMPL(memory, IS_EXTERN(WASM_EXTERN_MEMORY))

// -- Frames and traps -------------------------------------------------------------------

void wasm_frame_delete(wasm_frame_t* f) { delete f; }
wasm_frame_t* wasm_frame_copy(const wasm_frame_t* f) { return new wasm_frame_t(*f); }

wasm_instance_t* wasm_frame_instance(const wasm_frame_t* f) {
  if (!f->store || !f->frame.instance) return nullptr;
  auto it = f->store->frame_instances.find(f->frame.instance);
  if (it != f->store->frame_instances.end()) return it->second.get();
  auto inst = brisk::Instance::of_frame(f->store->store, f->frame);
  if (!inst) return nullptr;
  auto* obj = new wasm_instance_t(f->store, *inst);
  f->store->frame_instances.emplace(f->frame.instance,
                                    std::unique_ptr<wasm_instance_t, void (*)(wasm_instance_t*)>(
                                        obj, [](wasm_instance_t* i) { delete i; }));
  return obj;
}
uint32_t wasm_frame_func_index(const wasm_frame_t* f) { return f->frame.func_index; }
size_t wasm_frame_func_offset(const wasm_frame_t* f) { return f->frame.func_offset; }
size_t wasm_frame_module_offset(const wasm_frame_t* f) { return f->frame.module_offset; }

wasm_trap_t* wasm_trap_new(wasm_store_t* store, const wasm_message_t* msg) {
  auto* t = new wasm_trap_t();
  t->store = store;
  if (msg && msg->size) {
    size_t n = msg->size;
    if (msg->data[n - 1] == '\0') --n;  // messages are null-terminated
    t->message.assign(msg->data, n);
  }
  return t;
}

void wasm_trap_message(const wasm_trap_t* t, wasm_message_t* out) {
  wasm_byte_vec_new_uninitialized(out, t->message.size() + 1);
  memcpy(out->data, t->message.c_str(), t->message.size() + 1);
}

wasm_frame_t* wasm_trap_origin(const wasm_trap_t* t) {
  if (t->frames.empty()) return nullptr;
  return new wasm_frame_t{t->store, t->frames[0]};
}

void wasm_trap_trace(const wasm_trap_t* t, wasm_frame_vec_t* out) {
  wasm_frame_vec_new_uninitialized(out, t->frames.size());
  for (size_t i = 0; i < t->frames.size(); ++i) out->data[i] = new wasm_frame_t{t->store, t->frames[i]};
}

wasm_foreign_t* wasm_foreign_new(wasm_store_t*) { return new wasm_foreign_t(); }

// -- Modules ----------------------------------------------------------------------------

wasm_module_t* wasm_module_new(wasm_store_t* store, const wasm_byte_vec_t* binary) {
  auto m = brisk::Module::compile(store->engine->engine,
                                  {reinterpret_cast<const uint8_t*>(binary->data), binary->size});
  return m ? new wasm_module_t(std::move(m).value()) : nullptr;
}

bool wasm_module_validate(wasm_store_t*, const wasm_byte_vec_t* binary) {
  return brisk::Module::validate({reinterpret_cast<const uint8_t*>(binary->data), binary->size}).is_ok();
}

void wasm_module_imports(const wasm_module_t* m, wasm_importtype_vec_t* out) {
  auto imports = m->module.imports();
  wasm_importtype_vec_new_uninitialized(out, imports.size());
  for (size_t i = 0; i < imports.size(); ++i) {
    wasm_name_t mod, name;
    wasm_name_new(&mod, imports[i].module.size(), imports[i].module.data());
    wasm_name_new(&name, imports[i].name.size(), imports[i].name.data());
    out->data[i] = wasm_importtype_new(&mod, &name, capi::from_externtype(imports[i].type));
  }
}

void wasm_module_exports(const wasm_module_t* m, wasm_exporttype_vec_t* out) {
  auto exports = m->module.exports();
  wasm_exporttype_vec_new_uninitialized(out, exports.size());
  for (size_t i = 0; i < exports.size(); ++i) {
    wasm_name_t name;
    wasm_name_new(&name, exports[i].name.size(), exports[i].name.data());
    out->data[i] = wasm_exporttype_new(&name, capi::from_externtype(exports[i].type));
  }
}

void wasm_module_serialize(const wasm_module_t* m, wasm_byte_vec_t* out) {
  auto bytes = m->module.serialize();
  if (!bytes) {
    wasm_byte_vec_new_empty(out);
    return;
  }
  wasm_byte_vec_new(out, bytes->size(), reinterpret_cast<const wasm_byte_t*>(bytes->data()));
}

wasm_module_t* wasm_module_deserialize(wasm_store_t* store, const wasm_byte_vec_t* bytes) {
  auto m = brisk::Module::deserialize(store->engine->engine,
                                      {reinterpret_cast<const uint8_t*>(bytes->data), bytes->size});
  return m ? new wasm_module_t(std::move(m).value()) : nullptr;
}

void wasm_shared_module_delete(wasm_shared_module_t* m) { delete m; }
wasm_shared_module_t* wasm_module_share(const wasm_module_t* m) { return new wasm_shared_module_t{m->module}; }
wasm_module_t* wasm_module_obtain(wasm_store_t*, const wasm_shared_module_t* m) { return new wasm_module_t(m->module); }

// -- Functions --------------------------------------------------------------------------

namespace {

// An untyped host function over the C callback: values boxed as wasm_val_t.
struct CallbackEnv {
  wasm_store_t* store;
  wasm_func_callback_t plain = nullptr;
  wasm_func_callback_with_env_t with_env = nullptr;
  void* env = nullptr;
  void (*finalizer)(void*) = nullptr;
  // Set for a signature of numbers only (most host functions): then the
  // callback reads and writes the slots directly (c_numeric_callback).
  std::vector<wasm_valkind_t> params, results;
  ~CallbackEnv() {
    if (finalizer) finalizer(env);
  }
};

// The exit trampoline's callback for a C function of numbers: each value is
// one 8-byte slot (32-bit kinds in its low half, the upper one zero), read
// into wasm_val_t and back without a brisk::Val in between.
uint32_t c_numeric_callback(void* ctx, uint64_t* slots, void*) {
  auto* h = static_cast<brisk::detail::HostHeader*>(ctx);
  const CallbackEnv& cb = *static_cast<const CallbackEnv*>(h->env);
  const size_t n = cb.params.size(), m = cb.results.size();
  wasm_val_t arg_small[8], res_small[8];
  std::vector<wasm_val_t> arg_big, res_big;
  wasm_val_t* a = arg_small;
  wasm_val_t* r = res_small;
  if (n > 8) { arg_big.resize(n); a = arg_big.data(); }
  if (m > 8) { res_big.resize(m); r = res_big.data(); }
  for (size_t i = 0; i < n; ++i) {
    a[i].kind = cb.params[i];
    a[i].of.i64 = static_cast<int64_t>(slots[i]);
  }
  for (size_t j = 0; j < m; ++j) {
    r[j].kind = cb.results[j];
    r[j].of.i64 = 0;
  }
  wasm_val_vec_t av{n, a}, rv{m, r};
  wasm_trap_t* trap = cb.with_env ? cb.with_env(cb.env, &av, &rv) : cb.plain(&av, &rv);
  if (trap) return brisk::detail::host_trap(ctx, capi::host_status(trap));
  for (size_t j = 0; j < m; ++j) {
    if (r[j].kind != cb.results[j]) {
      for (size_t k = 0; k < m; ++k) wasm_val_delete(&r[k]);  // a reference the callback put there
      return brisk::detail::host_trap(ctx, Status(brisk::ErrorKind::kTrap, "host function returned a value of the wrong type"));
    }
    switch (r[j].kind) {
      case WASM_I32: slots[j] = static_cast<uint32_t>(r[j].of.i32); break;
      case WASM_F32: {
        uint32_t bits;
        memcpy(&bits, &r[j].of.f32, 4);
        slots[j] = bits;
        break;
      }
      default: slots[j] = static_cast<uint64_t>(r[j].of.i64); break;  // i64, f64
    }
  }
  return 0;
}

bool numeric(brisk::ValKind k) {
  return k == brisk::ValKind::kI32 || k == brisk::ValKind::kI64 || k == brisk::ValKind::kF32 ||
         k == brisk::ValKind::kF64;
}

// The C kinds of a signature of numbers only (what both fast paths, host
// callbacks and calls, check values against); false for any other.
bool numeric_kinds(const brisk::FuncType& t, std::vector<wasm_valkind_t>* params,
                   std::vector<wasm_valkind_t>* results) {
  if (!std::all_of(t.params.begin(), t.params.end(), numeric) ||
      !std::all_of(t.results.begin(), t.results.end(), numeric)) {
    return false;
  }
  for (brisk::ValKind k : t.params) params->push_back(capi::from_kind(k));
  for (brisk::ValKind k : t.results) results->push_back(capi::from_kind(k));
  return true;
}

Status call_c_callback(const CallbackEnv& cb, std::span<const Val> args, std::span<Val> results) {
  wasm_val_t arg_small[8], res_small[8];
  std::vector<wasm_val_t> arg_big, res_big;
  wasm_val_t* a = arg_small;
  wasm_val_t* r = res_small;
  if (args.size() > 8) { arg_big.resize(args.size()); a = arg_big.data(); }
  if (results.size() > 8) { res_big.resize(results.size()); r = res_big.data(); }
  for (size_t i = 0; i < args.size(); ++i) capi::from_val(cb.store, args[i], &a[i]);
  for (size_t j = 0; j < results.size(); ++j) {
    r[j].kind = capi::from_kind(results[j].kind());
    r[j].of.i64 = 0;
  }
  wasm_val_vec_t av{args.size(), a}, rv{results.size(), r};
  wasm_trap_t* trap = cb.with_env ? cb.with_env(cb.env, &av, &rv) : cb.plain(&av, &rv);
  for (size_t i = 0; i < args.size(); ++i) {
    if (wasm_valkind_is_ref(a[i].kind)) wasm_val_delete(&a[i]);  // numbers own nothing
  }
  Status st = capi::host_status(trap);
  if (!st) return st;
  for (size_t j = 0; j < results.size(); ++j) {
    if (capi::to_kind(r[j].kind) != results[j].kind()) {
      for (size_t k = 0; k < results.size(); ++k) wasm_val_delete(&r[k]);
      return Status(brisk::ErrorKind::kTrap, "host function returned a value of the wrong type");
    }
    new (&results[j]) Val(capi::to_val(cb.store, r[j]));  // built in place: no copy through the stack
    wasm_val_delete(&r[j]);
  }
  return Status::ok();
}

wasm_func_t* new_c_func(wasm_store_t* store, const wasm_functype_t* type, std::shared_ptr<CallbackEnv> cb) {
  brisk::FuncType ft = capi::to_functype(type);
  if (capi::has_v128(ft)) return nullptr;  // its callback could not see or return the values
  if (numeric_kinds(ft, &cb->params, &cb->results)) {
    auto f = brisk::detail::new_host_func(store->store, ft, &c_numeric_callback, std::move(cb));
    return f ? new wasm_func_t(store, f.value()) : nullptr;
  }
  Func f = Func::create(store->store, ft,
                        [cb](std::span<const Val> args, std::span<Val> results) {
                          return call_c_callback(*cb, args, results);
                        });
  if (f.is_null()) return nullptr;
  return new wasm_func_t(store, f);
}

const Func& func_of(const wasm_func_t* f) { return std::get<Func>(f->item); }

}  // namespace

wasm_func_t* wasm_func_new(wasm_store_t* store, const wasm_functype_t* type, wasm_func_callback_t cb) {
  auto env = std::make_shared<CallbackEnv>();
  env->store = store;
  env->plain = cb;
  return new_c_func(store, type, std::move(env));
}

wasm_func_t* wasm_func_new_with_env(wasm_store_t* store, const wasm_functype_t* type,
                                    wasm_func_callback_with_env_t cb, void* env, void (*finalizer)(void*)) {
  auto e = std::make_shared<CallbackEnv>();
  e->store = store;
  e->with_env = cb;
  e->env = env;
  e->finalizer = finalizer;  // runs when the store deletes the function
  return new_c_func(store, type, std::move(e));
}

wasm_functype_t* wasm_func_type(const wasm_func_t* f) { return capi::from_functype(func_of(f).type(f->store->store)); }
size_t wasm_func_param_arity(const wasm_func_t* f) { return func_of(f).param_arity(f->store->store); }
size_t wasm_func_result_arity(const wasm_func_t* f) { return func_of(f).result_arity(f->store->store); }

namespace {
void bind_fast_call(const wasm_func_t* f) {
  wasm_func_t::FastCall& fc = f->fast;
  fc.state = wasm_func_t::FastCall::State::kOther;
  const Func& fn = func_of(f);
  if (fn.is_null()) return;
  brisk::FuncType t = fn.type(f->store->store);
  std::vector<wasm_valkind_t> params, results;
  if (!numeric_kinds(t, &params, &results)) return;
  uint64_t store_id;
  if (!brisk::detail::bind_typed(f->store->store, fn, t, &fc.entry, &fc.vmctx, &fc.code, &store_id)) return;
  fc.params = std::move(params);
  fc.results = std::move(results);
  fc.state = wasm_func_t::FastCall::State::kNumeric;
}
}  // namespace

wasm_trap_t* wasm_func_call(const wasm_func_t* f, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  wasm_store_t* store = f->store;
  size_t n = args ? args->size : 0, m = results ? results->size : 0;
  using State = wasm_func_t::FastCall::State;
  const wasm_func_t::FastCall& fc = f->fast;
  if (fc.state == State::kUnbound) [[unlikely]] bind_fast_call(f);
  if (fc.state == State::kNumeric && n == fc.params.size() && m == fc.results.size() && n <= 16 && m <= 16) {
    // Each value one slot, 32-bit kinds zero-extended (what the code expects).
    uint64_t slots[16];
    size_t i = 0;
    for (; i < n; ++i) {
      const wasm_val_t& v = args->data[i];
      if (v.kind != fc.params[i]) break;  // the checked way reports it
      slots[i] = v.kind == WASM_I32 || v.kind == WASM_F32 ? static_cast<uint32_t>(v.of.i32) : static_cast<uint64_t>(v.of.i64);
    }
    if (i == n) {
      uint32_t code = brisk::detail::enter(store->store, fc.entry, fc.vmctx, fc.code, slots);
      if (code != 0) return capi::trap_from(store, brisk::detail::trap_status(store->store, code));
      for (size_t j = 0; j < m; ++j) {
        results->data[j].kind = fc.results[j];
        results->data[j].of.i64 = static_cast<int64_t>(slots[j]);
      }
      return nullptr;
    }
  }
  ValScratch<8> arg_space, res_space;
  std::span<Val> a = arg_space.take(n), r = res_space.take(m);
  for (size_t i = 0; i < n; ++i) {
    if (args->data[i].kind == WASM_V128) {
      return capi::trap_from(store, Status(brisk::ErrorKind::kInvalid, "v128 values cannot pass through wasm_val_t"));
    }
    new (&a[i]) Val(capi::to_val(store, args->data[i]));  // built in place: no copy through the stack
  }
  Status st = func_of(f).call(store->store, std::span<const Val>(a.data(), a.size()), r);
  if (!st) return capi::trap_from(store, st);
  for (size_t j = 0; j < m; ++j) {
    if (r[j].kind() == ValKind::kV128) {
      return capi::trap_from(store, Status(brisk::ErrorKind::kInvalid, "v128 results cannot pass through wasm_val_t"));
    }
    capi::from_val(store, r[j], &results->data[j]);
  }
  return nullptr;
}

// -- Globals ----------------------------------------------------------------------------

wasm_global_t* wasm_global_new(wasm_store_t* store, const wasm_globaltype_t* type, const wasm_val_t* init) {
  brisk::GlobalType gt{capi::to_kind(type->content->kind), type->mutability == WASM_VAR};
  auto g = Global::create(store->store, gt, capi::to_val(store, *init));
  return g ? new wasm_global_t(store, *g) : nullptr;
}

wasm_globaltype_t* wasm_global_type(const wasm_global_t* g) {
  auto t = std::get<Global>(g->item).type(g->store->store);
  return wasm_globaltype_new(wasm_valtype_new(capi::from_kind(t.kind)), t.mut ? WASM_VAR : WASM_CONST);
}

void wasm_global_get(const wasm_global_t* g, wasm_val_t* out) {
  capi::from_val(g->store, std::get<Global>(g->item).get(g->store->store), out);
}

void wasm_global_set(wasm_global_t* g, const wasm_val_t* v) {
  // The standard API has no way to report a failure here; a mistyped or
  // immutable set is ignored, as in other implementations.
  (void)std::get<Global>(g->item).set(g->store->store, capi::to_val(g->store, *v));
}

// -- Tables -----------------------------------------------------------------------------

namespace {
Val ref_val(wasm_store_t* store, ValKind elem, wasm_ref_t* r) {
  wasm_val_t v;
  v.kind = capi::from_kind(elem);
  v.of.ref = r;
  return capi::to_val(store, v);
}
}  // namespace

wasm_table_t* wasm_table_new(wasm_store_t* store, const wasm_tabletype_t* type, wasm_ref_t* init) {
  brisk::TableType tt;
  tt.element = capi::to_kind(type->element->kind);
  tt.limits.min = type->limits.min;
  tt.limits.has_max = type->limits.max != wasm_limits_max_default;
  tt.limits.max = tt.limits.has_max ? type->limits.max : 0;
  auto t = Table::create(store->store, tt, ref_val(store, tt.element, init));
  return t ? new wasm_table_t(store, *t) : nullptr;
}

wasm_tabletype_t* wasm_table_type(const wasm_table_t* t) {
  return static_cast<wasm_tabletype_t*>(capi::from_externtype(std::get<Table>(t->item).type(t->store->store)));
}

wasm_ref_t* wasm_table_get(const wasm_table_t* t, wasm_table_size_t index) {
  auto v = std::get<Table>(t->item).get(t->store->store, index);
  if (!v) return nullptr;
  wasm_val_t out;
  capi::from_val(t->store, *v, &out);
  return out.of.ref;
}

bool wasm_table_set(wasm_table_t* t, wasm_table_size_t index, wasm_ref_t* r) {
  const Table& table = std::get<Table>(t->item);
  ValKind elem = table.type(t->store->store).element;
  if (r && (elem == ValKind::kFuncRef) != (wasm_ref_as_func(r) != nullptr)) return false;
  return table.set(t->store->store, index, ref_val(t->store, elem, r)).is_ok();
}

wasm_table_size_t wasm_table_size(const wasm_table_t* t) { return std::get<Table>(t->item).size(t->store->store); }

bool wasm_table_grow(wasm_table_t* t, wasm_table_size_t delta, wasm_ref_t* init) {
  const Table& table = std::get<Table>(t->item);
  ValKind elem = table.type(t->store->store).element;
  return table.grow(t->store->store, delta, ref_val(t->store, elem, init)).is_ok();
}

// -- Memories ---------------------------------------------------------------------------

wasm_memory_t* wasm_memory_new(wasm_store_t* store, const wasm_memorytype_t* type) {
  brisk::MemoryType mt;
  mt.limits.min = type->limits.min;
  mt.limits.has_max = type->limits.max != wasm_limits_max_default;
  mt.limits.max = mt.limits.has_max ? type->limits.max : 0;
  auto m = Memory::create(store->store, mt);
  return m ? new wasm_memory_t(store, *m) : nullptr;
}

wasm_memorytype_t* wasm_memory_type(const wasm_memory_t* m) {
  return static_cast<wasm_memorytype_t*>(capi::from_externtype(std::get<Memory>(m->item).type(m->store->store)));
}

byte_t* wasm_memory_data(wasm_memory_t* m) {
  return reinterpret_cast<byte_t*>(std::get<Memory>(m->item).data(m->store->store));
}
size_t wasm_memory_data_size(const wasm_memory_t* m) { return std::get<Memory>(m->item).data_size(m->store->store); }
wasm_memory_pages_t wasm_memory_size(const wasm_memory_t* m) {
  return static_cast<wasm_memory_pages_t>(std::get<Memory>(m->item).pages(m->store->store));
}
bool wasm_memory_grow(wasm_memory_t* m, wasm_memory_pages_t delta) {
  return std::get<Memory>(m->item).grow(m->store->store, delta).is_ok();
}

// -- Externs ----------------------------------------------------------------------------

wasm_externkind_t wasm_extern_kind(const wasm_extern_t* e) { return e->kind(); }
wasm_externtype_t* wasm_extern_type(const wasm_extern_t* e) {
  return capi::from_externtype(brisk::extern_type(e->store->store, e->item));
}

#define BRISK_EXTERN_CASTS(name, KIND)                                                           \
  wasm_extern_t* wasm_##name##_as_extern(wasm_##name##_t* x) { return x; }                      \
  const wasm_extern_t* wasm_##name##_as_extern_const(const wasm_##name##_t* x) { return x; }    \
  wasm_##name##_t* wasm_extern_as_##name(wasm_extern_t* e) {                                     \
    return e && e->kind() == KIND ? static_cast<wasm_##name##_t*>(e) : nullptr;                 \
  }                                                                                              \
  const wasm_##name##_t* wasm_extern_as_##name##_const(const wasm_extern_t* e) {                 \
    return e && e->kind() == KIND ? static_cast<const wasm_##name##_t*>(e) : nullptr;           \
  }

BRISK_EXTERN_CASTS(func, WASM_EXTERN_FUNC)
BRISK_EXTERN_CASTS(global, WASM_EXTERN_GLOBAL)
BRISK_EXTERN_CASTS(table, WASM_EXTERN_TABLE)
BRISK_EXTERN_CASTS(memory, WASM_EXTERN_MEMORY)

// -- Instances --------------------------------------------------------------------------

wasm_instance_t* wasm_instance_new(wasm_store_t* store, const wasm_module_t* module, const wasm_extern_vec_t* imports,
                                   wasm_trap_t** trap) {
  if (trap) *trap = nullptr;
  std::vector<Extern> items;
  size_t n = imports ? imports->size : 0;
  for (size_t i = 0; i < n; ++i) {
    if (!imports->data[i] || imports->data[i]->store != store) {
      if (trap) {
        *trap = capi::trap_from(store, Status(brisk::ErrorKind::kUnlinkable, "import " + std::to_string(i) +
                                                                                 " is null or of another store"));
      }
      return nullptr;
    }
    items.push_back(imports->data[i]->item);
  }
  auto inst = brisk::Instance::create(store->store, module->module, items);
  if (!inst) {
    // Link errors and start-function traps both come back as a trap, so
    // that the caller learns why (the standard API has no other channel).
    if (trap) *trap = capi::trap_from(store, inst.status());
    return nullptr;
  }
  return new wasm_instance_t(store, *inst);
}

void wasm_instance_exports(const wasm_instance_t* inst, wasm_extern_vec_t* out) {
  auto exports = inst->instance.exports(inst->store->store);
  wasm_extern_vec_new_uninitialized(out, exports.size());
  for (size_t i = 0; i < exports.size(); ++i) out->data[i] = capi::new_extern(inst->store, exports[i].second);
}

}  // extern "C"
