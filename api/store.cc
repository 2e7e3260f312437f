// Store, limits, calls into Wasm (untyped and typed) and host functions.
#include <pthread.h>

#include <cstddef>
#include <cstdlib>

#include "api/internal.h"
#include "runtime/code_memory.h"
#include "runtime/signals.h"
#include "runtime/trap.h"

namespace brisk {

static_assert(offsetof(detail::HostHeader, store_state) == 0, "HostContext::store comes first");
static_assert(offsetof(detail::HostHeader, callback) == runtime::kHostContextCallback);
// The public TrapCode mirrors the runtime's (the API may not include it).
#define BRISK_SAME_TRAP(name) \
  static_assert(static_cast<uint32_t>(TrapCode::name) == static_cast<uint32_t>(runtime::TrapCode::name));
BRISK_SAME_TRAP(kNone)
BRISK_SAME_TRAP(kUnreachable)
BRISK_SAME_TRAP(kMemoryOutOfBounds)
BRISK_SAME_TRAP(kIntegerDivideByZero)
BRISK_SAME_TRAP(kIntegerOverflow)
BRISK_SAME_TRAP(kInvalidConversion)
BRISK_SAME_TRAP(kIndirectCallTypeMismatch)
BRISK_SAME_TRAP(kUndefinedElement)
BRISK_SAME_TRAP(kUninitializedElement)
BRISK_SAME_TRAP(kTableOutOfBounds)
BRISK_SAME_TRAP(kStackOverflow)
BRISK_SAME_TRAP(kHostError)
BRISK_SAME_TRAP(kOutOfMemory)
BRISK_SAME_TRAP(kInterrupted)
BRISK_SAME_TRAP(kInternalInvariant)
#undef BRISK_SAME_TRAP

namespace {
std::atomic<uint64_t> next_store_id{1};
}  // namespace

Store::Store(const Engine& engine, std::any data) : impl_(std::make_unique<Impl>(engine)) {
  impl_->engine = A::engine_ptr(engine);
  impl_->self = this;
  impl_->id = next_store_id.fetch_add(1, std::memory_order_relaxed);
  impl_->data = std::move(data);
  impl_->limiter.store = impl_.get();
  impl_->state.owner = impl_.get();
  impl_->state.capture_backtrace = &runtime::brisk_capture_backtrace;
  impl_->state.epoch = &impl_->engine->epoch;
  impl_->interrupt_slot = std::make_shared<InterruptHandle::Slot>();
  impl_->interrupt_slot->state = &impl_->state;
}

Store::~Store() {
  // Handles may outlive the store: after this, interrupt() finds no state.
  std::lock_guard<std::mutex> lock(impl_->interrupt_slot->mu);
  impl_->interrupt_slot->state = nullptr;
}

const Engine& Store::engine() const { return impl_->engine_handle; }
std::any& Store::data() { return impl_->data; }

void Store::set_limits(const StoreLimits& limits) {
  impl_->limits = limits;
  impl_->state.limiter = &impl_->limiter;
  for (auto& m : impl_->memories) m->set_limiter(&impl_->limiter);
  for (auto& t : impl_->tables) t->limiter = &impl_->limiter;
}

const StoreLimits& Store::limits() const { return impl_->limits; }

bool StoreLimiter::memory_growing(uint64_t current, uint64_t desired) {
  const StoreLimits& l = store->limits;
  if (desired > l.memory_size) return false;
  uint64_t total = 0;
  for (const auto& m : store->memories) total += m->size_bytes();
  return total - current + desired <= l.memories_total;
}

bool StoreLimiter::table_growing(uint64_t, uint64_t desired) { return desired <= store->limits.table_elements; }

InterruptHandle Store::interrupt_handle() const { return A::interrupt(impl_->interrupt_slot); }

void InterruptHandle::interrupt() const {
  if (!slot_) return;
  std::lock_guard<std::mutex> lock(slot_->mu);
  if (!slot_->state) return;
  __atomic_store_n(&slot_->state->interrupt_requested, 1u, __ATOMIC_SEQ_CST);
  __atomic_store_n(&slot_->state->epoch_deadline, uint64_t{0}, __ATOMIC_SEQ_CST);
}

namespace {
uint32_t run_deadline_callback(runtime::StoreState* st) {
  Store::Impl& s = *store_of(st);
  auto ticks = s.deadline_callback(*s.self);
  if (!ticks) return static_cast<uint32_t>(runtime::TrapCode::kInterrupted);
  s.self->set_epoch_deadline(*ticks);
  return 0;
}
}  // namespace

void Store::set_epoch_deadline_callback(std::function<Result<uint64_t>(Store&)> callback) {
  impl_->deadline_callback = std::move(callback);
  impl_->state.on_epoch_deadline = impl_->deadline_callback ? &run_deadline_callback : nullptr;
}

void Store::set_epoch_deadline(uint64_t ticks) {
  uint64_t now = __atomic_load_n(&impl_->engine->epoch, __ATOMIC_ACQUIRE);
  impl_->epoch_deadline = ticks > UINT64_MAX - now ? UINT64_MAX : now + ticks;
  // Takes effect at once, also inside a running call (from a host function),
  // but never hides an interrupt: interrupt() stores its flag before its 0
  // deadline, so after our store either we see the flag or its 0 comes later.
  __atomic_store_n(&impl_->state.epoch_deadline, impl_->epoch_deadline, __ATOMIC_SEQ_CST);
  if (__atomic_load_n(&impl_->state.interrupt_requested, __ATOMIC_SEQ_CST)) {
    __atomic_store_n(&impl_->state.epoch_deadline, uint64_t{0}, __ATOMIC_SEQ_CST);
  }
}

void Store::clear_epoch_deadline() { set_epoch_deadline(UINT64_MAX); }

namespace {

// What a thread sets up once before its first call into Wasm: the signal
// handlers and its alternate signal stack, and the lowest address its stack
// may use (with room left for the host code and signal handling below Wasm
// frames). Constant-initialized and initial-exec: one load per call checks
// it, with no guard and no __tls_get_addr.
struct ThreadEntry {
  bool ready;
  uintptr_t floor;
};
thread_local ThreadEntry t_entry __attribute__((tls_model("initial-exec"))) = {false, 0};

__attribute__((noinline)) void prepare_thread() {
  runtime::ensure_signal_handlers(compiler::Backend::signal_context());
  pthread_attr_t attr;
  uintptr_t f = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void* addr;
    size_t size;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0) f = reinterpret_cast<uintptr_t>(addr) + 64 * 1024;
    pthread_attr_destroy(&attr);
  }
  t_entry.floor = f;
  t_entry.ready = true;
}

// The captured return addresses as frames, and "#0 name (func[i])" lines.
void symbolize_backtrace(const Store::Impl& s, Status& trap) {
  const runtime::StoreState& st = s.state;
  auto frames = std::make_shared<std::vector<Frame>>();
  std::string out;
  for (uint32_t k = 0; k < st.backtrace_len; ++k) {
    uintptr_t pc = st.backtrace[k];
    const runtime::CodeChunk* chunk = runtime::CodeMemory::lookup(pc);
    if (!chunk || !chunk->owner()) continue;
    auto* mod = static_cast<const Module::Impl*>(chunk->owner());
    int64_t defined = chunk->function_at(pc);
    if (defined < 0) continue;
    Frame f;
    f.func_index = mod->module->num_imported_funcs + static_cast<uint32_t>(defined);
    if (auto n = mod->module->func_name(f.func_index)) f.func_name = std::string(*n);
    f.func_offset = mod->module->bodies[static_cast<size_t>(defined)].offset;
    f.module_offset = f.func_offset;
    // Matched against the store's instances, never dereferenced: a frame
    // caught in its prologue may not have stored its VMContext yet.
    auto* vm = reinterpret_cast<const uint8_t*>(st.backtrace_vmctx[k]);
    for (const auto& inst : s.instances) {
      if (inst->vmctx == vm) f.instance = inst.get();
    }
    out += "#" + std::to_string(k) + " ";
    if (!f.func_name.empty()) out += f.func_name + " ";
    out += "(func[" + std::to_string(f.func_index) + "])\n";
    frames->push_back(std::move(f));
  }
  trap.set_trace(std::move(out));
  trap.set_payload(std::move(frames));
}

}  // namespace

namespace detail {

void check_store(const Store& store, uint64_t id) { check_handle(store, id); }

uint32_t enter(Store& store, EntryFn entry, void* vmctx, const void* code, uint64_t* slots) {
  Store::Impl& s = A::store(store);
  if (!t_entry.ready) [[unlikely]] prepare_thread();
  if (s.state.depth == 0) {
    // A new outermost call: an interrupt meant for an earlier call is dropped.
    __atomic_store_n(&s.state.interrupt_requested, 0u, __ATOMIC_RELEASE);
    __atomic_store_n(&s.state.epoch_deadline, s.epoch_deadline, __ATOMIC_RELEASE);
    uintptr_t sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    size_t budget = s.engine->config.max_wasm_stack;
    uintptr_t limit = sp > budget ? sp - budget : 0;
    s.state.stack_limit = std::max(limit, t_entry.floor);
  }
  ++s.state.depth;
  uint32_t rc = entry(vmctx, code, slots);
  --s.state.depth;
  return rc;
}

Status trap_status(Store& store, uint32_t code) {
  Store::Impl& s = A::store(store);
  auto tc = static_cast<runtime::TrapCode>(code);
  std::string msg = tc == runtime::TrapCode::kHostError ? s.host_error : runtime::trap_message(tc);
  if (tc == runtime::TrapCode::kUninitializedElement) msg += " " + std::to_string(s.state.trap_detail);
  Status trap = Status::trap(code, std::move(msg));
  symbolize_backtrace(s, trap);
  return trap;
}

Status bind_typed(const Store& store, const Func& f, const FuncType& want, EntryFn* entry, void** vmctx,
                  const void** code, uint64_t* store_id) {
  if (f.is_null()) return Status(ErrorKind::kInvalid, "typed function from a null function");
  check_handle(store, A::id(f));
  const Store::Impl& s = A::store(store);
  runtime::FuncRef* r = A::ref(f);
  const TypeInfo& ti = s.engine->info(r->type_id);
  if (to_api(ti.type) != want) {
    return Status(ErrorKind::kUnlinkable, "function has type " + ti.type.to_string() + ", the typed call expects " +
                                              to_string(want));
  }
  *entry = ti.entry;
  *vmctx = r->vmctx;
  *code = r->code;
  *store_id = A::id(f);
  return Status::ok();
}

Func func_from_slot(uint64_t bits, uint64_t store_id) {
  return A::func(reinterpret_cast<runtime::FuncRef*>(static_cast<uintptr_t>(bits)), store_id);
}
uint64_t func_to_slot(const Func& f) { return reinterpret_cast<uintptr_t>(A::ref(f)); }

uint32_t host_trap(void* host_ctx, const Status& st) {
  auto* h = static_cast<HostHeader*>(host_ctx);
  // A Wasm trap the host function passes on (from a call back into Wasm)
  // keeps its code: an interrupt stays an interrupt.
  if (st.kind() == ErrorKind::kTrap && st.code() != 0 &&
      st.code() != static_cast<uint32_t>(runtime::TrapCode::kHostError)) {
    return st.code();
  }
  A::store(*h->store).host_error = st.message();
  return static_cast<uint32_t>(runtime::TrapCode::kHostError);
}

Result<Func> new_host_func(Store& store, const FuncType& type, RawHostFn fn, std::shared_ptr<void> env) {
  Store::Impl& s = A::store(store);
  auto h = std::make_unique<HostFuncData>();
  h->type = to_internal(type);
  uint32_t id = s.engine->type_id(h->type);
  if (id == 0xffffffffu) return Status(ErrorKind::kResource, "cannot register function type " + to_string(type));
  h->header.store_state = &s.state;
  h->header.callback = fn;
  h->header.env = env.get();
  h->header.store = &store;
  h->header.store_id = s.id;
  h->env = std::move(env);
  h->ref.code = const_cast<void*>(s.engine->info(id).exit);
  h->ref.vmctx = &h->header;
  h->ref.type_id = id;
  Func f = A::func(&h->ref, s.id);
  s.host_funcs.push_back(std::move(h));
  return f;
}

}  // namespace detail

Status Func::call(Store& store, std::span<const Val> args, std::span<Val> results) const {
  if (!ref_) return Status(ErrorKind::kInvalid, "call of a null function");
  check_handle(store, store_id_);
  Store::Impl& s = A::store(store);
  const TypeInfo& ti = s.engine->info(ref_->type_id);
  const compiler::FuncType& ft = ti.type;
  if (args.size() != ft.params.size()) {
    return Status(ErrorKind::kInvalid, "expected " + std::to_string(ft.params.size()) + " arguments, got " +
                                           std::to_string(args.size()));
  }
  if (results.size() != ft.results.size()) {
    return Status(ErrorKind::kInvalid, "expected room for " + std::to_string(ft.results.size()) + " results");
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (to_internal(args[i].kind()) != ft.params[i]) {
      return Status(ErrorKind::kInvalid, "argument " + std::to_string(i) + " has the wrong type");
    }
    check_val(s.id, args[i]);
  }
  // Positional slots: one 8-byte unit a value, two for a v128 (slot_units).
  size_t n = ft.params.size(), m = ft.results.size();
  size_t units = std::max(ft.param_units(), ft.result_units());
  uint64_t small[16];
  std::unique_ptr<uint64_t[]> big;
  uint64_t* slots = small;
  if (units > 16) {
    big.reset(new uint64_t[units]);
    slots = big.get();
  }
  size_t u = 0;
  for (size_t i = 0; i < n; ++i) u = put_val(slots, u, args[i]);
  uint32_t code = detail::enter(store, ti.entry, ref_->vmctx, ref_->code, slots);
  if (code != 0) return detail::trap_status(store, code);
  u = 0;
  for (size_t j = 0; j < m; ++j) u = get_val(slots, u, to_api(ft.results[j]), &results[j], s.id);
  return Status::ok();
}

Result<std::vector<Val>> Func::call(Store& store, std::span<const Val> args) const {
  if (!ref_) return Status(ErrorKind::kInvalid, "call of a null function");
  check_handle(store, store_id_);
  std::vector<Val> results(A::store(store).engine->type(ref_->type_id).results.size());
  BRISK_TRY(call(store, args, results));
  return results;
}

size_t put_val(uint64_t* slots, size_t unit, const Val& v) {
  slots[unit] = v.bits();
  if (v.kind() != ValKind::kV128) return unit + 1;
  slots[unit + 1] = v.v128_hi();
  return unit + 2;
}

size_t get_val(const uint64_t* slots, size_t unit, ValKind kind, Val* out, uint64_t store_id) {
  if (kind == ValKind::kV128) {
    *out = Val::v128(slots[unit], slots[unit + 1]);
    return unit + 2;
  }
  if (kind == ValKind::kFuncRef) {
    *out = A::funcref(reinterpret_cast<runtime::FuncRef*>(static_cast<uintptr_t>(slots[unit])), store_id);
    return unit + 1;
  }
  *out = Val::from_bits(kind, slots[unit]);
  return unit + 1;
}

// The callback of untyped host functions (Func::create, Linker::func_new):
// slots <-> Val spans around the HostFunc that header.env points at.
uint32_t untyped_callback(void* ctx, uint64_t* slots, void*) {
  auto* h = reinterpret_cast<HostFuncData*>(ctx);  // the header is the first member
  const HostFunc& fn = *static_cast<const HostFunc*>(h->header.env);
  const compiler::FuncType& ft = h->type;
  // Uninitialised room for small signatures: zeroing 16 Vals per call
  // (rep stos) cost more than the rest of the call.
  ValBuffer<8> args_small, results_small;
  std::vector<Val> args_big, results_big;
  std::span<Val> args(args_small.data(), std::min<size_t>(ft.params.size(), 8));
  std::span<Val> results(results_small.data(), std::min<size_t>(ft.results.size(), 8));
  if (ft.params.size() > 8) {
    args_big.resize(ft.params.size());
    args = args_big;
  }
  if (ft.results.size() > 8) {
    results_big.resize(ft.results.size());
    results = results_big;
  }
  size_t u = 0;
  for (size_t i = 0; i < ft.params.size(); ++i) {
    new (&args[i]) Val();
    u = get_val(slots, u, to_api(ft.params[i]), &args[i], h->header.store_id);
  }
  for (size_t j = 0; j < ft.results.size(); ++j) new (&results[j]) Val(Val::from_bits(to_api(ft.results[j]), 0));
  Status st = fn(args, results);
  if (!st.is_ok()) return detail::host_trap(ctx, st);
  for (size_t j = 0; j < ft.results.size(); ++j) {
    if (to_internal(results[j].kind()) != ft.results[j]) {
      return detail::host_trap(ctx, Status(ErrorKind::kTrap, "host function returned a value of the wrong type"));
    }
    check_val(h->header.store_id, results[j]);
  }
  u = 0;
  for (size_t j = 0; j < ft.results.size(); ++j) u = put_val(slots, u, results[j]);
  return 0;
}


Func Func::create(Store& store, const FuncType& type, HostFunc fn) {
  auto f = detail::new_host_func(store, type, &untyped_callback, std::make_shared<HostFunc>(std::move(fn)));
  return f ? f.value() : Func();
}

FuncType Func::type(const Store& store) const {
  if (!ref_) api_misuse("type of a null function");
  check_handle(store, store_id_);
  return to_api(A::store(store).engine->type(ref_->type_id));
}

size_t Func::param_arity(const Store& store) const {
  if (!ref_) api_misuse("arity of a null function");
  check_handle(store, store_id_);
  return A::store(store).engine->type(ref_->type_id).params.size();
}

size_t Func::result_arity(const Store& store) const {
  if (!ref_) api_misuse("arity of a null function");
  check_handle(store, store_id_);
  return A::store(store).engine->type(ref_->type_id).results.size();
}

Val Func::as_val() const { return A::funcref(ref_, store_id_); }

std::optional<Func> Func::from_val(const Store& store, const Val& v) {
  if (v.kind() != ValKind::kFuncRef || v.is_null_ref()) return std::nullopt;
  check_val(A::store(store).id, v);
  return A::func(reinterpret_cast<runtime::FuncRef*>(static_cast<uintptr_t>(v.bits())), A::store(store).id);
}

}  // namespace brisk
