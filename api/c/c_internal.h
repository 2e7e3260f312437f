// The objects behind wasm.h's opaque types: thin wrappers over the C++ API.
#ifndef BRISK_API_C_C_INTERNAL_H_
#define BRISK_API_C_C_INTERNAL_H_

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "brisk.h"
#include "brisk/brisk.h"
#include "wasm.h"

struct wasm_config_t {
  brisk::Config config;
};

struct wasm_engine_t {
  brisk::Engine engine;
};

struct wasm_ref_t;
struct wasm_instance_t;
struct RefCore;

struct wasm_store_t {
  wasm_engine_t* engine;
  brisk::Store store;
  /// externref values that entered Wasm: one copy of each object's
  /// reference (by identity), kept until the store goes (a Wasm externref
  /// is the anchor's address; passing an object again reuses its anchor).
  std::unordered_map<const RefCore*, std::unique_ptr<wasm_ref_t, void (*)(wasm_ref_t*)>> anchors;
  /// The instance object wasm_frame_instance returns, one per instance.
  std::map<const void*, std::unique_ptr<wasm_instance_t, void (*)(wasm_instance_t*)>> frame_instances;
  explicit wasm_store_t(wasm_engine_t* e) : engine(e), store(e->engine) {}
};

// -- Types ----------------------------------------------------------------------

struct wasm_valtype_t {
  wasm_valkind_t kind;
};

struct wasm_externtype_t {
  wasm_externkind_t kind;
  explicit wasm_externtype_t(wasm_externkind_t k) : kind(k) {}
  virtual ~wasm_externtype_t() = default;
  virtual wasm_externtype_t* clone() const = 0;
};

struct wasm_functype_t : wasm_externtype_t {
  wasm_valtype_vec_t params{0, nullptr}, results{0, nullptr};
  wasm_functype_t() : wasm_externtype_t(WASM_EXTERN_FUNC) {}
  ~wasm_functype_t() override;
  wasm_externtype_t* clone() const override;
};

struct wasm_globaltype_t : wasm_externtype_t {
  wasm_valtype_t* content = nullptr;
  wasm_mutability_t mutability = WASM_CONST;
  wasm_globaltype_t() : wasm_externtype_t(WASM_EXTERN_GLOBAL) {}
  ~wasm_globaltype_t() override { delete content; }
  wasm_externtype_t* clone() const override;
};

struct wasm_tabletype_t : wasm_externtype_t {
  wasm_valtype_t* element = nullptr;
  wasm_limits_t limits{0, 0};
  wasm_tabletype_t() : wasm_externtype_t(WASM_EXTERN_TABLE) {}
  ~wasm_tabletype_t() override { delete element; }
  wasm_externtype_t* clone() const override;
};

struct wasm_memorytype_t : wasm_externtype_t {
  wasm_limits_t limits{0, 0};
  wasm_memorytype_t() : wasm_externtype_t(WASM_EXTERN_MEMORY) {}
  wasm_externtype_t* clone() const override;
};

struct wasm_importtype_t {
  wasm_name_t module{0, nullptr}, name{0, nullptr};
  wasm_externtype_t* type = nullptr;
};

struct wasm_exporttype_t {
  wasm_name_t name{0, nullptr};
  wasm_externtype_t* type = nullptr;
};

// -- References -------------------------------------------------------------------

/// Host info belongs to the referenced object: every copy of a reference
/// shares it, and the finalizer runs when the last copy is deleted.
struct RefCore {
  void* host_info = nullptr;
  void (*finalizer)(void*) = nullptr;
  ~RefCore() {
    if (finalizer) finalizer(host_info);
  }
};

struct wasm_ref_t {
  enum class Kind { kExtern, kInstance, kModule, kTrap, kForeign };
  Kind ref_kind;
  std::shared_ptr<RefCore> core = std::make_shared<RefCore>();
  explicit wasm_ref_t(Kind k) : ref_kind(k) {}
  wasm_ref_t(const wasm_ref_t&) = default;
  virtual ~wasm_ref_t() = default;
  /// A copy: the same object (and host info).
  virtual wasm_ref_t* clone() const = 0;
  /// wasm_X_same: the same object.
  virtual bool same(const wasm_ref_t* other) const { return core == other->core; }
};

/// Functions, globals, tables and memories: one object viewed as wasm_X_t
/// or wasm_extern_t.
struct wasm_extern_t : wasm_ref_t {
  wasm_store_t* store;
  brisk::Extern item;
  wasm_extern_t(wasm_store_t* s, brisk::Extern e) : wasm_ref_t(Kind::kExtern), store(s), item(std::move(e)) {}
  wasm_ref_t* clone() const override;
  bool same(const wasm_ref_t* other) const override {
    return other->ref_kind == Kind::kExtern && static_cast<const wasm_extern_t*>(other)->item == item;
  }
  wasm_externkind_t kind() const;
};

struct wasm_func_t : wasm_extern_t {
  using wasm_extern_t::wasm_extern_t;
  /// wasm_func_call's way in for a signature of numbers only: the entry
  /// trampoline and the values' kinds, bound on the first call; arguments
  /// then go from wasm_val_t straight to slots, results back.
  struct FastCall {
    enum class State : uint8_t { kUnbound, kNumeric, kOther };
    State state = State::kUnbound;
    brisk::detail::EntryFn entry = nullptr;
    void* vmctx = nullptr;
    const void* code = nullptr;
    std::vector<wasm_valkind_t> params, results;
  };
  mutable FastCall fast;
};
struct wasm_global_t : wasm_extern_t { using wasm_extern_t::wasm_extern_t; };
struct wasm_table_t : wasm_extern_t { using wasm_extern_t::wasm_extern_t; };
struct wasm_memory_t : wasm_extern_t { using wasm_extern_t::wasm_extern_t; };

struct wasm_instance_t : wasm_ref_t {
  wasm_store_t* store;
  brisk::Instance instance;
  wasm_instance_t(wasm_store_t* s, brisk::Instance i) : wasm_ref_t(Kind::kInstance), store(s), instance(i) {}
  wasm_ref_t* clone() const override { return new wasm_instance_t(*this); }
  bool same(const wasm_ref_t* other) const override {
    return other->ref_kind == Kind::kInstance && static_cast<const wasm_instance_t*>(other)->instance == instance;
  }
};

struct wasm_module_t : wasm_ref_t {
  brisk::Module module;
  explicit wasm_module_t(brisk::Module m) : wasm_ref_t(Kind::kModule), module(std::move(m)) {}
  wasm_ref_t* clone() const override { return new wasm_module_t(*this); }
};

struct wasm_shared_module_t {
  brisk::Module module;
};

struct wasm_frame_t {
  wasm_store_t* store = nullptr;
  brisk::Frame frame;
};

struct wasm_trap_t : wasm_ref_t {
  std::string message;  ///< without the terminating NUL
  uint32_t code = 0;
  std::vector<brisk::Frame> frames;
  wasm_store_t* store = nullptr;
  wasm_trap_t() : wasm_ref_t(Kind::kTrap) {}
  wasm_ref_t* clone() const override { return new wasm_trap_t(*this); }
};

struct wasm_foreign_t : wasm_ref_t {
  wasm_foreign_t() : wasm_ref_t(Kind::kForeign) {}
  wasm_ref_t* clone() const override { return new wasm_foreign_t(*this); }
};

struct brisk_error_t {
  std::string message;
};

namespace brisk::capi {

brisk::ValKind to_kind(wasm_valkind_t k);
wasm_valkind_t from_kind(brisk::ValKind k);
brisk::FuncType to_functype(const wasm_functype_t* t);
wasm_functype_t* from_functype(const brisk::FuncType& t);
wasm_externtype_t* from_externtype(const brisk::ExternType& t);
/// A C value to a Wasm value of `store` (references become funcrefs or
/// externref anchors).
/// Numbers inline (every call converts its arguments and results), the
/// rest out of line.
brisk::Val ref_to_val(wasm_store_t* store, const wasm_val_t& v);
inline brisk::Val to_val(wasm_store_t* store, const wasm_val_t& v) {
  switch (v.kind) {
    case WASM_I32: return brisk::Val::i32(v.of.i32);
    case WASM_I64: return brisk::Val::i64(v.of.i64);
    case WASM_F32: return brisk::Val::f32(v.of.f32);
    case WASM_F64: return brisk::Val::f64(v.of.f64);
    default: return ref_to_val(store, v);
  }
}
/// A Wasm value to a C value the caller owns.
void ref_from_val(wasm_store_t* store, const brisk::Val& v, wasm_val_t* out);
inline void from_val(wasm_store_t* store, const brisk::Val& v, wasm_val_t* out) {
  switch (v.kind()) {
    case brisk::ValKind::kI32: out->kind = WASM_I32; out->of.i32 = v.i32(); return;
    case brisk::ValKind::kI64: out->kind = WASM_I64; out->of.i64 = v.i64(); return;
    case brisk::ValKind::kF32: out->kind = WASM_F32; out->of.f32 = v.f32(); return;
    case brisk::ValKind::kF64: out->kind = WASM_F64; out->of.f64 = v.f64(); return;
    default: ref_from_val(store, v, out);
  }
}
wasm_trap_t* trap_from(wasm_store_t* store, const brisk::Status& s);
/// wasm_val_t has no v128 member: functions of such types cannot cross the
/// standard C API (Brisk's C++ API carries them).
bool has_v128(const brisk::FuncType& t);
wasm_extern_t* new_extern(wasm_store_t* store, const brisk::Extern& e);
brisk_error_t* error_from(const brisk::Status& s);
brisk::Status host_status(wasm_trap_t* trap);

}  // namespace brisk::capi

#endif  // BRISK_API_C_C_INTERNAL_H_
