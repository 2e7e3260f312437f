// Store, functions (calls in and out), memories, tables and globals.
#include <pthread.h>

#include <cstdlib>

#include "api/internal.h"
#include "runtime/code_memory.h"
#include "runtime/signals.h"
#include "runtime/trap.h"

namespace brisk {

Store::Store(const Engine& engine) : impl_(std::make_unique<Impl>()) {
  impl_->engine = engine.impl_;
  impl_->engine_handle = engine;
  impl_->state.owner = impl_.get();
  impl_->state.capture_backtrace = &runtime::brisk_capture_backtrace;
}

Store::~Store() = default;

const Engine& Store::engine() const { return impl_->engine_handle; }

InterruptHandle Store::interrupt_handle() const {
  InterruptHandle h;
  h.flag_ = &impl_->state.interrupt;
  return h;
}

void InterruptHandle::interrupt() const { __atomic_store_n(flag_, 1u, __ATOMIC_RELEASE); }

namespace {

// The lowest address this thread's stack may use, with room left for the
// host code and signal handling below Wasm frames.
uintptr_t stack_floor() {
  thread_local uintptr_t floor = [] {
    pthread_attr_t attr;
    uintptr_t f = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      void* addr;
      size_t size;
      if (pthread_attr_getstack(&attr, &addr, &size) == 0) f = reinterpret_cast<uintptr_t>(addr) + 64 * 1024;
      pthread_attr_destroy(&attr);
    }
    return f;
  }();
  return floor;
}

// "#0 name (func[i])" per captured frame, innermost first.
std::string symbolize_backtrace(const runtime::StoreState& st) {
  std::string out;
  for (uint32_t k = 0; k < st.backtrace_len; ++k) {
    uintptr_t pc = st.backtrace[k];
    const runtime::CodeChunk* chunk = runtime::CodeMemory::lookup(pc);
    if (!chunk || !chunk->owner()) continue;
    auto* mod = static_cast<const Module::Impl*>(chunk->owner());
    int64_t defined = chunk->function_at(pc);
    if (defined < 0) continue;
    uint32_t index = mod->module->num_imported_funcs + static_cast<uint32_t>(defined);
    auto it = mod->module->func_names.find(index);
    out += "#" + std::to_string(k) + " ";
    if (it != mod->module->func_names.end()) out += it->second + " ";
    out += "(func[" + std::to_string(index) + "])\n";
  }
  return out;
}

}  // namespace

Status Func::call(Store& store, std::span<const Val> args, std::span<Val> results) const {
  Store::Impl& s = *store.impl_;
  if (!ref_) return Status(ErrorKind::kInvalid, "call of a null function");
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
  }
  size_t n = ft.params.size(), m = ft.results.size();
  uint64_t small[16];
  std::unique_ptr<uint64_t[]> big;
  uint64_t* slots = small;
  if (std::max(n, m) > 16) {
    big.reset(new uint64_t[std::max(n, m)]);
    slots = big.get();
  }
  for (size_t i = 0; i < n; ++i) slots[i] = args[i].bits();
  runtime::ensure_signal_handlers(compiler::Backend::signal_context());
  bool outer = s.state.depth == 0;
  if (outer) {
    uintptr_t sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    size_t budget = s.engine->config.max_wasm_stack;
    uintptr_t limit = sp > budget ? sp - budget : 0;
    s.state.stack_limit = std::max(limit, stack_floor());
  }
  ++s.state.depth;
  uint32_t code = ti.entry(ref_->vmctx, ref_->code, slots);
  --s.state.depth;
  if (code != 0) {
    auto tc = static_cast<runtime::TrapCode>(code);
    std::string msg = tc == runtime::TrapCode::kHostError ? s.host_error : runtime::trap_message(tc);
    if (tc == runtime::TrapCode::kUninitializedElement) msg += " " + std::to_string(s.state.trap_detail);
    if (tc == runtime::TrapCode::kInterrupted) __atomic_store_n(&s.state.interrupt, 0u, __ATOMIC_RELEASE);
    Status trap = Status::trap(code, std::move(msg));
    trap.set_trace(symbolize_backtrace(s.state));
    return trap;
  }
  for (size_t j = 0; j < m; ++j) results[j] = Val::from_bits(to_api(ft.results[j]), slots[j]);
  return Status::ok();
}

Result<std::vector<Val>> Func::call(Store& store, std::span<const Val> args) const {
  if (!ref_) return Status(ErrorKind::kInvalid, "call of a null function");
  std::vector<Val> results(store.impl_->engine->type(ref_->type_id).results.size());
  BRISK_TRY(call(store, args, results));
  return results;
}

namespace {

uint32_t host_callback(runtime::HostContext* ctx, uint64_t* slots) {
  auto* h = static_cast<HostFuncData*>(ctx);
  const compiler::FuncType& ft = h->type;
  Val args_small[8], results_small[8];
  std::vector<Val> args_big, results_big;
  std::span<Val> args(args_small, ft.params.size());
  std::span<Val> results(results_small, ft.results.size());
  if (ft.params.size() > 8) {
    args_big.resize(ft.params.size());
    args = args_big;
  }
  if (ft.results.size() > 8) {
    results_big.resize(ft.results.size());
    results = results_big;
  }
  for (size_t i = 0; i < ft.params.size(); ++i) args[i] = Val::from_bits(to_api(ft.params[i]), slots[i]);
  for (size_t j = 0; j < ft.results.size(); ++j) results[j] = Val::from_bits(to_api(ft.results[j]), 0);
  Status st = h->fn(args, results);
  if (!st.is_ok()) {
    h->owner->host_error = st.message();
    return static_cast<uint32_t>(runtime::TrapCode::kHostError);
  }
  for (size_t j = 0; j < ft.results.size(); ++j) {
    if (to_internal(results[j].kind()) != ft.results[j]) {
      h->owner->host_error = "host function returned a value of the wrong type";
      return static_cast<uint32_t>(runtime::TrapCode::kHostError);
    }
    slots[j] = results[j].bits();
  }
  return 0;
}

}  // namespace

Func Func::create(Store& store, const FuncType& type, HostFunc fn) {
  Store::Impl& s = *store.impl_;
  auto h = std::make_unique<HostFuncData>();
  h->store = &s.state;
  h->callback = &host_callback;
  h->fn = std::move(fn);
  h->type = to_internal(type);
  h->owner = &s;
  uint32_t id = s.engine->type_id(h->type);
  if (id == 0xffffffffu) return Func();  // registry full or no code memory: a null function
  h->ref.code = const_cast<void*>(s.engine->info(id).exit);
  h->ref.vmctx = static_cast<runtime::HostContext*>(h.get());
  h->ref.type_id = id;
  Func f;
  f.ref_ = &h->ref;
  s.host_funcs.push_back(std::move(h));
  return f;
}

FuncType Func::type(const Store& store) const { return to_api(store.impl_->engine->type(ref_->type_id)); }

Val Func::as_val() const { return Val::from_bits(ValKind::kFuncRef, reinterpret_cast<uintptr_t>(ref_)); }

std::optional<Func> Func::from_val(const Val& v) {
  if (v.kind() != ValKind::kFuncRef || v.is_null_ref()) return std::nullopt;
  Func f;
  f.ref_ = reinterpret_cast<runtime::FuncRef*>(static_cast<uintptr_t>(v.bits()));
  return f;
}

// -- Memory -------------------------------------------------------------------

Result<Memory> Memory::create(Store& store, const MemoryType& type) {
  Store::Impl& s = *store.impl_;
  if (type.limits.min > compiler::kMaxMemoryPages || (type.limits.has_max && type.limits.max < type.limits.min)) {
    return Status(ErrorKind::kInvalid, "invalid memory limits");
  }
  auto mode = s.engine->config.explicit_bounds_checks ? runtime::BoundsMode::kExplicit
                                                      : runtime::BoundsMode::kGuardPages;
  BRISK_ASSIGN_OR_RETURN(auto mem, runtime::LinearMemory::create(
                                       type.limits.min, type.limits.has_max ? type.limits.max : compiler::kMaxMemoryPages,
                                       mode));
  Memory m;
  m.mem_ = mem.get();
  s.memories.push_back(std::move(mem));
  return m;
}

uint8_t* Memory::data(const Store&) const { return mem_->base(); }
size_t Memory::data_size(const Store&) const { return mem_->size_bytes(); }
uint64_t Memory::pages(const Store&) const { return mem_->pages(); }

Result<uint64_t> Memory::grow(Store&, uint64_t delta) const {
  int64_t old = mem_->grow(delta);
  if (old < 0) return Status(ErrorKind::kResource, "memory cannot grow by " + std::to_string(delta) + " pages");
  return static_cast<uint64_t>(old);
}

MemoryType Memory::type(const Store&) const {
  MemoryType t;
  t.limits.min = mem_->pages();
  t.limits.max = mem_->max_pages();
  t.limits.has_max = mem_->max_pages() < compiler::kMaxMemoryPages;
  return t;
}

// -- Table --------------------------------------------------------------------

Result<Table> Table::create(Store& store, const TableType& type, Val init) {
  Store::Impl& s = *store.impl_;
  if (type.limits.has_max && type.limits.max < type.limits.min) return Status(ErrorKind::kInvalid, "invalid table limits");
  if (type.limits.min > runtime::kMaxTableElements) return Status(ErrorKind::kResource, "table too large");
  auto t = std::make_unique<runtime::TableObject>();
  t->header.elem = to_internal(type.element);
  t->header.max = type.limits.has_max ? static_cast<uint32_t>(type.limits.max) : 0xffffffffu;
  if (!t->init(static_cast<uint32_t>(type.limits.min), init.bits())) {
    return Status(ErrorKind::kResource, "out of memory allocating a table of " + std::to_string(type.limits.min) +
                                            " elements");
  }
  Table out;
  out.table_ = t.get();
  s.tables.push_back(std::move(t));
  return out;
}

uint32_t Table::size(const Store&) const { return table_->header.size; }

std::optional<Val> Table::get(const Store&, uint32_t index) const {
  if (index >= table_->header.size) return std::nullopt;
  return Val::from_bits(to_api(table_->header.elem), table_->elements()[index]);
}

Status Table::set(Store&, uint32_t index, Val value) const {
  if (index >= table_->header.size) return Status::trap(static_cast<uint32_t>(runtime::TrapCode::kTableOutOfBounds),
                                                         "out of bounds table access");
  table_->elements()[index] = value.bits();
  return Status::ok();
}

TableType Table::type(const Store&) const {
  TableType t;
  t.element = to_api(table_->header.elem);
  t.limits.min = table_->header.size;
  t.limits.max = table_->header.max;
  t.limits.has_max = table_->header.max != 0xffffffffu;
  return t;
}

// -- Global -------------------------------------------------------------------

Result<Global> Global::create(Store& store, const GlobalType& type, Val init) {
  auto c = std::make_unique<Cell>();
  c->type.type = to_internal(type.kind);
  c->type.mut = type.mut;
  c->value = c->storage;
  c->storage[0] = init.bits();
  Global g;
  g.cell_ = c.get();
  store.impl_->globals.push_back(std::move(c));
  return g;
}

Val Global::get(const Store&) const { return Val::from_bits(to_api(cell_->type.type), *cell_->value); }

Status Global::set(Store&, Val value) const {
  if (!cell_->type.mut) return Status(ErrorKind::kInvalid, "global is immutable");
  if (to_internal(value.kind()) != cell_->type.type) return Status(ErrorKind::kInvalid, "type mismatch");
  *cell_->value = value.bits();
  return Status::ok();
}

GlobalType Global::type(const Store&) const { return GlobalType{to_api(cell_->type.type), cell_->type.mut}; }

}  // namespace brisk
