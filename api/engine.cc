// Engine, type conversions and trap accessors.
#include "api/internal.h"
#include "runtime/signals.h"

#include <cstdlib>

namespace brisk {

compiler::ValType to_internal(ValKind k) {
  switch (k) {
    case ValKind::kI32: return compiler::ValType::kI32;
    case ValKind::kI64: return compiler::ValType::kI64;
    case ValKind::kF32: return compiler::ValType::kF32;
    case ValKind::kF64: return compiler::ValType::kF64;
    case ValKind::kV128: return compiler::ValType::kV128;
    case ValKind::kFuncRef: return compiler::ValType::kFuncRef;
    case ValKind::kExternRef: return compiler::ValType::kExternRef;
  }
  return compiler::ValType::kI32;
}

ValKind to_api(compiler::ValType t) {
  switch (t) {
    case compiler::ValType::kI64: return ValKind::kI64;
    case compiler::ValType::kF32: return ValKind::kF32;
    case compiler::ValType::kF64: return ValKind::kF64;
    case compiler::ValType::kV128: return ValKind::kV128;
    case compiler::ValType::kFuncRef: return ValKind::kFuncRef;
    case compiler::ValType::kExternRef: return ValKind::kExternRef;
    default: return ValKind::kI32;
  }
}

compiler::FuncType to_internal(const FuncType& t) {
  compiler::FuncType out;
  for (ValKind k : t.params) out.params.push_back(to_internal(k));
  for (ValKind k : t.results) out.results.push_back(to_internal(k));
  return out;
}

FuncType to_api(const compiler::FuncType& t) {
  FuncType out;
  for (auto v : t.params) out.params.push_back(to_api(v));
  for (auto v : t.results) out.results.push_back(to_api(v));
  return out;
}

const char* val_kind_name(ValKind k) { return compiler::val_type_name(to_internal(k)); }

uint32_t Engine::Impl::type_id(const compiler::FuncType& t) {
  // Parameter count first: type bytes alone are ambiguous across the split.
  std::string key = std::to_string(t.params.size()) + ":";
  for (auto v : t.params) key += static_cast<char>(v);
  for (auto v : t.results) key += static_cast<char>(v);
  std::lock_guard<std::mutex> lock(mu);
  auto it = type_ids.find(key);
  if (it != type_ids.end()) return it->second;
  uint32_t id = num_types;
  if (id >= kChunk * 1024) return 0xffffffffu;
  // Each signature has its own trampolines: which values travel in
  // registers depends on the parameter and result types.
  auto entry = compiler::Backend::make_entry_trampoline(t);
  auto exit = compiler::Backend::make_exit_trampoline(t);
  if (!entry || !exit) return 0xffffffffu;
  if (!chunks[id / kChunk]) chunks[id / kChunk] = new std::atomic<TypeInfo*>[kChunk]();
  auto* info = new TypeInfo{t, reinterpret_cast<compiler::Backend::EntryTrampoline>(const_cast<void*>(entry->code)),
                            exit->code, std::move(entry).value(), std::move(exit).value()};
  chunks[id / kChunk][id % kChunk].store(info, std::memory_order_release);
  ++num_types;
  type_ids.emplace(std::move(key), id);
  return id;
}

Engine::Impl::~Impl() {
  for (uint32_t id = 0; id < num_types; ++id) delete chunks[id / kChunk][id % kChunk].load();
  for (auto* c : chunks) delete[] c;
}

Engine::Engine(Config config) : impl_(std::make_shared<Impl>()) {
  impl_->config = config;
  auto cpu = compiler::effective_cpu_features(config.cpu_features);
  if (cpu) impl_->cpu = *cpu;
  else impl_->cpu_error = cpu.take_status();
  const char* veneers = getenv("BRISK_FORCE_VENEERS");
  impl_->force_veneers = veneers && veneers[0] == '1';
  runtime::install_signal_handlers(compiler::Backend::signal_context());
}

const Config& Engine::config() const { return impl_->config; }

void Engine::increment_epoch() const { __atomic_fetch_add(&impl_->epoch, 1, __ATOMIC_RELEASE); }
uint64_t Engine::epoch() const { return __atomic_load_n(&impl_->epoch, __ATOMIC_ACQUIRE); }

uint32_t trap_code(const Status& s) { return s.kind() == ErrorKind::kTrap ? s.code() : 0; }
TrapCode trap_code_of(const Status& s) { return static_cast<TrapCode>(trap_code(s)); }

std::vector<Frame> trap_frames(const Status& s) {
  if (s.kind() != ErrorKind::kTrap || !s.payload()) return {};
  return *static_cast<const std::vector<Frame>*>(s.payload().get());
}

Limits to_api(const compiler::Limits& l) { return Limits{l.min, l.max, l.has_max}; }

const char* extern_kind_name(const ExternType& t) {
  static const char* const kNames[] = {"func", "table", "memory", "global"};
  return kNames[t.index()];
}

namespace {
std::string limits_text(const Limits& l) {
  std::string s = "min " + std::to_string(l.min);
  if (l.has_max) s += " max " + std::to_string(l.max);
  return s;
}
}  // namespace

std::string to_string(const FuncType& t) { return to_internal(t).to_string(); }

std::string to_string(const ExternType& t) {
  struct V {
    std::string operator()(const FuncType& f) const { return to_string(f); }
    std::string operator()(const TableType& x) const { return std::string(val_kind_name(x.element)) + " " + limits_text(x.limits); }
    std::string operator()(const MemoryType& x) const { return limits_text(x.limits) + " pages"; }
    std::string operator()(const GlobalType& x) const { return std::string(x.mut ? "mut " : "") + val_kind_name(x.kind); }
  };
  return std::visit(V{}, t);
}

ExternType import_type(const compiler::Module& m, const compiler::Import& i) {
  switch (i.kind) {
    case compiler::ExternKind::kFunc: return to_api(m.types[i.type_index]);
    case compiler::ExternKind::kTable: return TableType{to_api(i.table.elem), to_api(i.table.limits)};
    case compiler::ExternKind::kMemory: return MemoryType{to_api(i.memory.limits)};
    case compiler::ExternKind::kGlobal: break;
  }
  return GlobalType{to_api(i.global.type), i.global.mut};
}

ExternType export_type(const compiler::Module& m, const compiler::Export& e) {
  switch (e.kind) {
    case compiler::ExternKind::kFunc: return to_api(m.func_type(e.index));
    case compiler::ExternKind::kTable: return TableType{to_api(m.tables[e.index].elem), to_api(m.tables[e.index].limits)};
    case compiler::ExternKind::kMemory: return MemoryType{to_api(m.memories[e.index].limits)};
    case compiler::ExternKind::kGlobal: break;
  }
  return GlobalType{to_api(m.globals[e.index].type), m.globals[e.index].mut};
}

}  // namespace brisk
