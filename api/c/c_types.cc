// wasm.h: vectors, type objects and conversions to the C++ API's types.
#include <cstdlib>
#include <cstring>

#include "api/c/c_internal.h"

namespace {

// Vectors of values (bytes, wasm_val_t) and of owned pointers share one
// shape; how an element is copied and deleted is all that differs.
template <class T>
void vec_alloc(size_t* size, T** data, size_t n) {
  *size = n;
  *data = n ? static_cast<T*>(calloc(n, sizeof(T))) : nullptr;
  if (n && !*data) {
    fprintf(stderr, "brisk: out of memory allocating a vector of %zu elements\n", n);
    abort();
  }
}

}  // namespace

#define BRISK_VEC_IMPL(name, elem, copy_elem, delete_elem)                                             \
  void wasm_##name##_vec_new_empty(wasm_##name##_vec_t* out) {                                         \
    out->size = 0;                                                                                     \
    out->data = nullptr;                                                                               \
  }                                                                                                    \
  void wasm_##name##_vec_new_uninitialized(wasm_##name##_vec_t* out, size_t n) {                       \
    vec_alloc(&out->size, &out->data, n);                                                              \
  }                                                                                                    \
  void wasm_##name##_vec_new(wasm_##name##_vec_t* out, size_t n, elem const src[]) {                   \
    vec_alloc(&out->size, &out->data, n);                                                              \
    if (n) memcpy(static_cast<void*>(out->data), src, n * sizeof(elem));                               \
  }                                                                                                    \
  void wasm_##name##_vec_copy(wasm_##name##_vec_t* out, const wasm_##name##_vec_t* src) {              \
    vec_alloc(&out->size, &out->data, src->size);                                                      \
    for (size_t i = 0; i < src->size; ++i) copy_elem(&out->data[i], &src->data[i]);                    \
  }                                                                                                    \
  void wasm_##name##_vec_delete(wasm_##name##_vec_t* v) {                                              \
    if (!v) return;                                                                                    \
    for (size_t i = 0; i < v->size; ++i) delete_elem(&v->data[i]);                                     \
    free(v->data);                                                                                     \
    v->size = 0;                                                                                       \
    v->data = nullptr;                                                                                 \
  }

#define BRISK_PTR_VEC_IMPL(name)                                                                \
  static void copy_##name##_ptr(wasm_##name##_t** dst, wasm_##name##_t* const* src) {          \
    *dst = *src ? wasm_##name##_copy(*src) : nullptr;                                           \
  }                                                                                             \
  static void delete_##name##_ptr(wasm_##name##_t** p) {                                        \
    if (*p) wasm_##name##_delete(*p);                                                           \
  }                                                                                             \
  extern "C" {                                                                                  \
  BRISK_VEC_IMPL(name, wasm_##name##_t*, copy_##name##_ptr, delete_##name##_ptr)                \
  }

static void copy_byte(wasm_byte_t* d, const wasm_byte_t* s) { *d = *s; }
static void delete_byte(wasm_byte_t*) {}
static void copy_val(wasm_val_t* d, const wasm_val_t* s) { wasm_val_copy(d, s); }
static void delete_val(wasm_val_t* v) { wasm_val_delete(v); }

extern "C" {
BRISK_VEC_IMPL(byte, wasm_byte_t, copy_byte, delete_byte)
BRISK_VEC_IMPL(val, wasm_val_t, copy_val, delete_val)
}

BRISK_PTR_VEC_IMPL(valtype)
BRISK_PTR_VEC_IMPL(functype)
BRISK_PTR_VEC_IMPL(globaltype)
BRISK_PTR_VEC_IMPL(tabletype)
BRISK_PTR_VEC_IMPL(memorytype)
BRISK_PTR_VEC_IMPL(externtype)
BRISK_PTR_VEC_IMPL(importtype)
BRISK_PTR_VEC_IMPL(exporttype)
BRISK_PTR_VEC_IMPL(frame)
BRISK_PTR_VEC_IMPL(extern)

// -- Type objects ---------------------------------------------------------------------

wasm_functype_t::~wasm_functype_t() {
  wasm_valtype_vec_delete(&params);
  wasm_valtype_vec_delete(&results);
}

wasm_externtype_t* wasm_functype_t::clone() const {
  auto* t = new wasm_functype_t();
  wasm_valtype_vec_copy(&t->params, &params);
  wasm_valtype_vec_copy(&t->results, &results);
  return t;
}

wasm_externtype_t* wasm_globaltype_t::clone() const {
  auto* t = new wasm_globaltype_t();
  t->content = new wasm_valtype_t(*content);
  t->mutability = mutability;
  return t;
}

wasm_externtype_t* wasm_tabletype_t::clone() const {
  auto* t = new wasm_tabletype_t();
  t->element = new wasm_valtype_t(*element);
  t->limits = limits;
  return t;
}

wasm_externtype_t* wasm_memorytype_t::clone() const {
  auto* t = new wasm_memorytype_t();
  t->limits = limits;
  return t;
}

extern "C" {

wasm_valtype_t* wasm_valtype_new(wasm_valkind_t k) { return new wasm_valtype_t{k}; }
wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t* t) { return t->kind; }
void wasm_valtype_delete(wasm_valtype_t* t) { delete t; }
wasm_valtype_t* wasm_valtype_copy(const wasm_valtype_t* t) { return new wasm_valtype_t(*t); }

wasm_functype_t* wasm_functype_new(wasm_valtype_vec_t* params, wasm_valtype_vec_t* results) {
  auto* t = new wasm_functype_t();
  t->params = *params;  // ownership of the vectors moves in
  t->results = *results;
  params->size = results->size = 0;
  params->data = results->data = nullptr;
  return t;
}
const wasm_valtype_vec_t* wasm_functype_params(const wasm_functype_t* t) { return &t->params; }
const wasm_valtype_vec_t* wasm_functype_results(const wasm_functype_t* t) { return &t->results; }
void wasm_functype_delete(wasm_functype_t* t) { delete t; }
wasm_functype_t* wasm_functype_copy(const wasm_functype_t* t) { return static_cast<wasm_functype_t*>(t->clone()); }

wasm_globaltype_t* wasm_globaltype_new(wasm_valtype_t* content, wasm_mutability_t m) {
  auto* t = new wasm_globaltype_t();
  t->content = content;
  t->mutability = m;
  return t;
}
const wasm_valtype_t* wasm_globaltype_content(const wasm_globaltype_t* t) { return t->content; }
wasm_mutability_t wasm_globaltype_mutability(const wasm_globaltype_t* t) { return t->mutability; }
void wasm_globaltype_delete(wasm_globaltype_t* t) { delete t; }
wasm_globaltype_t* wasm_globaltype_copy(const wasm_globaltype_t* t) { return static_cast<wasm_globaltype_t*>(t->clone()); }

wasm_tabletype_t* wasm_tabletype_new(wasm_valtype_t* element, const wasm_limits_t* limits) {
  auto* t = new wasm_tabletype_t();
  t->element = element;
  t->limits = *limits;
  return t;
}
const wasm_valtype_t* wasm_tabletype_element(const wasm_tabletype_t* t) { return t->element; }
const wasm_limits_t* wasm_tabletype_limits(const wasm_tabletype_t* t) { return &t->limits; }
void wasm_tabletype_delete(wasm_tabletype_t* t) { delete t; }
wasm_tabletype_t* wasm_tabletype_copy(const wasm_tabletype_t* t) { return static_cast<wasm_tabletype_t*>(t->clone()); }

wasm_memorytype_t* wasm_memorytype_new(const wasm_limits_t* limits) {
  auto* t = new wasm_memorytype_t();
  t->limits = *limits;
  return t;
}
const wasm_limits_t* wasm_memorytype_limits(const wasm_memorytype_t* t) { return &t->limits; }
void wasm_memorytype_delete(wasm_memorytype_t* t) { delete t; }
wasm_memorytype_t* wasm_memorytype_copy(const wasm_memorytype_t* t) { return static_cast<wasm_memorytype_t*>(t->clone()); }

wasm_externkind_t wasm_externtype_kind(const wasm_externtype_t* t) { return t->kind; }
void wasm_externtype_delete(wasm_externtype_t* t) { delete t; }
wasm_externtype_t* wasm_externtype_copy(const wasm_externtype_t* t) { return t->clone(); }

#define BRISK_EXTERNTYPE_CASTS(name, KIND)                                                                   \
  wasm_externtype_t* wasm_##name##_as_externtype(wasm_##name##_t* t) { return t; }                          \
  const wasm_externtype_t* wasm_##name##_as_externtype_const(const wasm_##name##_t* t) { return t; }        \
  wasm_##name##_t* wasm_externtype_as_##name(wasm_externtype_t* t) {                                         \
    return t && t->kind == KIND ? static_cast<wasm_##name##_t*>(t) : nullptr;                               \
  }                                                                                                          \
  const wasm_##name##_t* wasm_externtype_as_##name##_const(const wasm_externtype_t* t) {                     \
    return t && t->kind == KIND ? static_cast<const wasm_##name##_t*>(t) : nullptr;                         \
  }

BRISK_EXTERNTYPE_CASTS(functype, WASM_EXTERN_FUNC)
BRISK_EXTERNTYPE_CASTS(globaltype, WASM_EXTERN_GLOBAL)
BRISK_EXTERNTYPE_CASTS(tabletype, WASM_EXTERN_TABLE)
BRISK_EXTERNTYPE_CASTS(memorytype, WASM_EXTERN_MEMORY)

wasm_importtype_t* wasm_importtype_new(wasm_name_t* module, wasm_name_t* name, wasm_externtype_t* type) {
  auto* t = new wasm_importtype_t();
  t->module = *module;
  t->name = *name;
  t->type = type;
  module->size = name->size = 0;
  module->data = name->data = nullptr;
  return t;
}
const wasm_name_t* wasm_importtype_module(const wasm_importtype_t* t) { return &t->module; }
const wasm_name_t* wasm_importtype_name(const wasm_importtype_t* t) { return &t->name; }
const wasm_externtype_t* wasm_importtype_type(const wasm_importtype_t* t) { return t->type; }
void wasm_importtype_delete(wasm_importtype_t* t) {
  if (!t) return;
  wasm_name_delete(&t->module);
  wasm_name_delete(&t->name);
  delete t->type;
  delete t;
}
wasm_importtype_t* wasm_importtype_copy(const wasm_importtype_t* t) {
  auto* c = new wasm_importtype_t();
  wasm_name_copy(&c->module, &t->module);
  wasm_name_copy(&c->name, &t->name);
  c->type = t->type->clone();
  return c;
}

wasm_exporttype_t* wasm_exporttype_new(wasm_name_t* name, wasm_externtype_t* type) {
  auto* t = new wasm_exporttype_t();
  t->name = *name;
  t->type = type;
  name->size = 0;
  name->data = nullptr;
  return t;
}
const wasm_name_t* wasm_exporttype_name(const wasm_exporttype_t* t) { return &t->name; }
const wasm_externtype_t* wasm_exporttype_type(const wasm_exporttype_t* t) { return t->type; }
void wasm_exporttype_delete(wasm_exporttype_t* t) {
  if (!t) return;
  wasm_name_delete(&t->name);
  delete t->type;
  delete t;
}
wasm_exporttype_t* wasm_exporttype_copy(const wasm_exporttype_t* t) {
  auto* c = new wasm_exporttype_t();
  wasm_name_copy(&c->name, &t->name);
  c->type = t->type->clone();
  return c;
}

}  // extern "C"

namespace brisk::capi {

brisk::ValKind to_kind(wasm_valkind_t k) {
  switch (k) {
    case WASM_I64: return ValKind::kI64;
    case WASM_F32: return ValKind::kF32;
    case WASM_F64: return ValKind::kF64;
    case WASM_V128: return ValKind::kV128;
    case WASM_EXTERNREF: return ValKind::kExternRef;
    case WASM_FUNCREF: return ValKind::kFuncRef;
    default: return ValKind::kI32;
  }
}

wasm_valkind_t from_kind(brisk::ValKind k) {
  switch (k) {
    case ValKind::kI32: return WASM_I32;
    case ValKind::kI64: return WASM_I64;
    case ValKind::kF32: return WASM_F32;
    case ValKind::kF64: return WASM_F64;
    case ValKind::kV128: return WASM_V128;
    case ValKind::kExternRef: return WASM_EXTERNREF;
    case ValKind::kFuncRef: return WASM_FUNCREF;
  }
  return WASM_I32;
}

brisk::FuncType to_functype(const wasm_functype_t* t) {
  brisk::FuncType out;
  for (size_t i = 0; i < t->params.size; ++i) out.params.push_back(to_kind(t->params.data[i]->kind));
  for (size_t i = 0; i < t->results.size; ++i) out.results.push_back(to_kind(t->results.data[i]->kind));
  return out;
}

wasm_functype_t* from_functype(const brisk::FuncType& t) {
  auto* f = new wasm_functype_t();
  wasm_valtype_vec_new_uninitialized(&f->params, t.params.size());
  for (size_t i = 0; i < t.params.size(); ++i) f->params.data[i] = wasm_valtype_new(from_kind(t.params[i]));
  wasm_valtype_vec_new_uninitialized(&f->results, t.results.size());
  for (size_t i = 0; i < t.results.size(); ++i) f->results.data[i] = wasm_valtype_new(from_kind(t.results[i]));
  return f;
}

namespace {
wasm_limits_t from_limits(const brisk::Limits& l) {
  return wasm_limits_t{static_cast<uint32_t>(l.min), l.has_max ? static_cast<uint32_t>(l.max) : wasm_limits_max_default};
}
}  // namespace

wasm_externtype_t* from_externtype(const brisk::ExternType& t) {
  struct V {
    wasm_externtype_t* operator()(const brisk::FuncType& f) const { return from_functype(f); }
    wasm_externtype_t* operator()(const brisk::TableType& x) const {
      auto l = from_limits(x.limits);
      return wasm_tabletype_new(wasm_valtype_new(from_kind(x.element)), &l);
    }
    wasm_externtype_t* operator()(const brisk::MemoryType& x) const {
      auto l = from_limits(x.limits);
      return wasm_memorytype_new(&l);
    }
    wasm_externtype_t* operator()(const brisk::GlobalType& x) const {
      return wasm_globaltype_new(wasm_valtype_new(from_kind(x.kind)), x.mut ? WASM_VAR : WASM_CONST);
    }
  };
  return std::visit(V{}, t);
}

}  // namespace brisk::capi
