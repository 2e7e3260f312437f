// Private definitions behind the public API handles (not installed).
#ifndef BRISK_API_INTERNAL_H_
#define BRISK_API_INTERNAL_H_

#include <any>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>

#include "brisk/brisk.h"
#include "compiler/backend.h"
#include "compiler/decode/module.h"
#include "compiler/module_compiler.h"
#include "runtime/instance.h"
#include "runtime/linear_memory.h"
#include "runtime/vmcontext.h"

namespace brisk {

compiler::ValType to_internal(ValKind k);
ValKind to_api(compiler::ValType t);
compiler::FuncType to_internal(const FuncType& t);
FuncType to_api(const compiler::FuncType& t);
Limits to_api(const compiler::Limits& l);
ExternType import_type(const compiler::Module& m, const compiler::Import& i);
ExternType export_type(const compiler::Module& m, const compiler::Export& e);

/// What a call needs to know about a signature, found by type id without
/// taking a lock.
struct TypeInfo {
  compiler::FuncType type;
  compiler::Backend::EntryTrampoline entry = nullptr;  ///< C++ -> Wasm for this signature
  const void* exit = nullptr;                          ///< Wasm -> host for this signature
  compiler::Backend::Trampolines entry_code, exit_code;  ///< own the two
};

struct Engine::Impl {
  Config config;
  compiler::CpuFeatures cpu;                  // host & Config & $BRISK_CPU_FEATURES
  Status cpu_error;                           // why those could not be parsed
  bool force_veneers = false;                 // $BRISK_FORCE_VENEERS=1: the far code layout (tests)
  std::mutex mu;                              // guards registration only
  std::map<std::string, uint32_t> type_ids;   // keyed by an encoding of the signature
  uint32_t num_types = 0;
  alignas(64) uint64_t epoch = 0;  ///< read by generated code; written with atomics
  static constexpr uint32_t kChunk = 1024;
  std::atomic<TypeInfo*>* chunks[1024] = {};  // id -> TypeInfo, written once, read lock-free

  ~Impl();
  /// Registers (once) and returns the canonical id; 0xffffffff if the
  /// registry or trampoline generation fails.
  uint32_t type_id(const compiler::FuncType& t);
  const TypeInfo& info(uint32_t id) const {
    return *chunks[id / kChunk][id % kChunk].load(std::memory_order_acquire);
  }
  const compiler::FuncType& type(uint32_t id) const { return info(id).type; }
};

struct Module::Impl {
  std::shared_ptr<Engine::Impl> engine;
  std::unique_ptr<compiler::Module> module;
  compiler::CompiledModule compiled;
  std::vector<uint32_t> type_ids;
};

struct Global::Cell {
  compiler::GlobalType type;
  uint64_t* value = nullptr;  ///< in a VMContext (defined globals) or in `storage`
  uint64_t storage[2] = {0, 0};
};

/// A host function's context: the trampoline's "VMContext" is &header.
struct HostFuncData {
  detail::HostHeader header;
  runtime::FuncRef ref;
  compiler::FuncType type;
  std::shared_ptr<void> env;      ///< owns the callable (a HostFunc for untyped functions)
};

struct Instance::Impl : runtime::Instance {
  std::shared_ptr<Module::Impl> module_ref;  // keeps the code alive
  std::vector<Global::Cell*> globals;        // global index space
  std::vector<std::pair<std::string, Extern>> exports;
  uint64_t store_id = 0;
};

/// What interrupt handles share with their store: the store clears `state`
/// (under the lock) when it is destroyed.
struct InterruptHandle::Slot {
  std::mutex mu;
  runtime::StoreState* state = nullptr;
};

/// The store's limiter: StoreLimits over the store's memories and tables.
struct StoreLimiter : runtime::ResourceLimiter {
  Store::Impl* store = nullptr;
  bool memory_growing(uint64_t current, uint64_t desired) override;
  bool table_growing(uint64_t current, uint64_t desired) override;
};

struct Store::Impl {
  std::shared_ptr<Engine::Impl> engine;
  Engine engine_handle;
  Store* self = nullptr;
  uint64_t id = 0;  ///< unique over the process's life: handles carry it
  std::any data;
  StoreLimits limits;
  StoreLimiter limiter;
  runtime::StoreState state;
  uint64_t epoch_deadline = UINT64_MAX;  ///< the store's own; interrupts override it until the next call
  std::shared_ptr<InterruptHandle::Slot> interrupt_slot;
  std::function<Result<uint64_t>(Store&)> deadline_callback;
  std::string host_error;
  std::vector<std::unique_ptr<runtime::LinearMemory>> memories;
  std::vector<std::unique_ptr<runtime::TableObject>> tables;
  std::vector<std::unique_ptr<Global::Cell>> globals;
  std::vector<std::unique_ptr<HostFuncData>> host_funcs;
  std::vector<std::unique_ptr<Instance::Impl>> instances;
  std::map<const Linker::Def*, runtime::FuncRef*> linker_funcs;  ///< store-free definitions made here
  explicit Impl(const Engine& e) : engine_handle(e) {}
};

/// A linker definition: an item of one store, or a host function of none.
struct Linker::Def {
  std::string module, name;
  bool host = false;
  Extern item;            ///< !host
  uint64_t store_id = 0;  ///< !host
  compiler::FuncType type;  ///< host
  uint32_t type_id = 0;     ///< host
  detail::RawHostFn fn = nullptr;
  std::shared_ptr<void> env;
  HostFunc untyped;         ///< func_new (fn is then the untyped adapter)
};

/// Room for N values, left uninitialised (Val is trivially destructible);
/// fill with placement new.
template <size_t N>
struct ValBuffer {
  alignas(Val) unsigned char bytes[N * sizeof(Val)];
  Val* data() { return reinterpret_cast<Val*>(bytes); }
};
static_assert(std::is_trivially_destructible_v<Val>);

[[noreturn]] inline void api_misuse(const char* what) {
  fprintf(stderr, "brisk: %s\n", what);
  abort();
}

/// The one friend of every handle: builds and opens them.
struct detail::Access {
  static Engine::Impl& engine(const Engine& e) { return *e.impl_; }
  static const std::shared_ptr<Engine::Impl>& engine_ptr(const Engine& e) { return e.impl_; }
  static Module::Impl& module(const Module& m) {
    if (!m.impl_) api_misuse("empty Module handle used");
    return *m.impl_;
  }
  static const std::shared_ptr<Module::Impl>& module_ptr(const Module& m) { return m.impl_; }
  static Module make_module(std::shared_ptr<Module::Impl> p) {
    Module m;
    m.impl_ = std::move(p);
    return m;
  }
  static Store::Impl& store(const Store& s) { return *s.impl_; }
  static std::unique_ptr<Store::Impl>& store_ptr(Store& s) { return s.impl_; }

  static Func func(runtime::FuncRef* r, uint64_t id) { Func f; f.ref_ = r; f.store_id_ = r ? id : 0; return f; }
  static runtime::FuncRef* ref(const Func& f) { return f.ref_; }
  static uint64_t id(const Func& f) { return f.store_id_; }
  static Memory memory(runtime::LinearMemory* m, uint64_t id) { Memory x; x.mem_ = m; x.store_id_ = id; return x; }
  static runtime::LinearMemory* mem(const Memory& m) { return m.mem_; }
  static uint64_t id(const Memory& m) { return m.store_id_; }
  static Table table(runtime::TableObject* t, uint64_t id) { Table x; x.table_ = t; x.store_id_ = id; return x; }
  static runtime::TableObject* tab(const Table& t) { return t.table_; }
  static uint64_t id(const Table& t) { return t.store_id_; }
  static Global global(Global::Cell* c, uint64_t id) { Global x; x.cell_ = c; x.store_id_ = id; return x; }
  static Global::Cell* cell(const Global& g) { return g.cell_; }
  static uint64_t id(const Global& g) { return g.store_id_; }
  static Instance instance(Instance::Impl* i) { Instance x; x.impl_ = i; x.store_id_ = i->store_id; return x; }
  static Instance::Impl* inst(const Instance& i) { return i.impl_; }
  static uint64_t id(const Instance& i) { return i.store_id_; }
  static uint64_t id(const Extern& e) {
    return std::visit([](const auto& x) { return id(x); }, e);
  }
  static InterruptHandle interrupt(std::shared_ptr<InterruptHandle::Slot> slot) {
    InterruptHandle h;
    h.slot_ = std::move(slot);
    return h;
  }
  static const std::vector<std::shared_ptr<const Linker::Def>>& defs(const Linker& l) { return l.defs_; }
  /// A funcref value remembers its store, as a Func handle does.
  static Val funcref(runtime::FuncRef* r, uint64_t id) {
    Val v(ValKind::kFuncRef);
    v.bits_ = reinterpret_cast<uintptr_t>(r);
    v.hi_ = r ? id : 0;
    return v;
  }
  static uint64_t ref_store(const Val& v) { return v.kind_ == ValKind::kFuncRef ? v.hi_ : 0; }
};
using A = detail::Access;

/// Aborts unless the handle belongs to `store` (a handle of another store,
/// or a null handle, is a programming error the API cannot turn into a
/// value without hiding it).
inline void check_handle(const Store& store, uint64_t id) {
  if (id != A::store(store).id) api_misuse(id == 0 ? "null handle used" : "handle used with a store it does not belong to");
}
/// The same for a funcref value (null, or built from raw bits: no store).
inline void check_val(uint64_t store_id, const Val& v) {
  uint64_t id = A::ref_store(v);
  if (id != 0 && id != store_id) api_misuse("funcref value used with a store it does not belong to");
}

/// The store a Wasm call runs in, from a VMContext or host context.
inline Store::Impl* store_of(runtime::StoreState* st) { return static_cast<Store::Impl*>(st->owner); }

/// Creates a linear memory within the store's limits.
Result<runtime::LinearMemory*> new_memory(Store::Impl& s, const compiler::MemoryType& type);
Result<runtime::TableObject*> new_table(Store::Impl& s, compiler::ValType elem, const compiler::Limits& limits,
                                        uint64_t init);
/// Instantiates with imports already resolved (one Extern per import).
Result<Instance> instantiate_resolved(Store& store, const Module& module, const std::vector<Extern>& imports);
/// The callback of untyped host functions: header.env is their HostFunc.
uint32_t untyped_callback(void* ctx, uint64_t* slots, void* caller_vmctx);
/// Val <-> positional slots (slot_units: two for a v128): the next unit.
size_t put_val(uint64_t* slots, size_t unit, const Val& v);
/// `store_id`: the store a funcref read from the slots belongs to.
size_t get_val(const uint64_t* slots, size_t unit, ValKind kind, Val* out, uint64_t store_id);
/// The store-bound function for a store-free linker definition.
Result<Func> materialize(Store& store, const Linker::Def& def);
/// Checks that `item` satisfies import `imp` of `module` ("" if it does).
std::string import_mismatch(const Store::Impl& s, const Module::Impl& mi, const compiler::Import& imp,
                            const Extern& item);

}  // namespace brisk

#endif  // BRISK_API_INTERNAL_H_
