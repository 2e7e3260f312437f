// Engine, Module and type conversions.
#include <fstream>
#include <sstream>

#include "api/internal.h"
#include "compiler/decode/module_decoder.h"
#include "compiler/validate/func_validator.h"

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
}

const Config& Engine::config() const { return impl_->config; }

Result<Module> Module::compile(const Engine& engine, std::span<const uint8_t> bytes) {
  if (!engine.impl_->cpu_error.is_ok()) return engine.impl_->cpu_error;
  BRISK_ASSIGN_OR_RETURN(auto decoded, compiler::decode_module(bytes.data(), bytes.size()));
  auto impl = std::make_shared<Impl>();
  impl->engine = engine.impl_;
  for (const auto& t : decoded->types) {
    uint32_t id = engine.impl_->type_id(t);
    if (id == 0xffffffffu) return Status(ErrorKind::kResource, "cannot register function type " + t.to_string());
    impl->type_ids.push_back(id);
  }
  compiler::CompileOptions opts;
  opts.explicit_bounds = engine.config().explicit_bounds_checks;
  opts.max_threads = engine.config().compile_threads;
  opts.interruptible = engine.config().interruptible;
  opts.cpu = engine.impl_->cpu;
  BRISK_ASSIGN_OR_RETURN(impl->compiled,
                         compiler::compile_module(*decoded, impl->type_ids, opts));
  impl->module = std::move(decoded);
  impl->compiled.code->set_functions(impl->compiled.func_offsets, impl.get());
  Module m;
  m.impl_ = std::move(impl);
  return m;
}

Result<Module> Module::from_file(const Engine& engine, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorKind::kIo, "cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return compile(engine, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
}

Status Module::validate(std::span<const uint8_t> bytes) {
  auto m = compiler::decode_and_validate(bytes.data(), bytes.size());
  return m ? Status::ok() : m.take_status();
}

namespace {

std::string limits_text(const compiler::Limits& l) {
  std::string s = "min " + std::to_string(l.min);
  if (l.has_max) s += " max " + std::to_string(l.max);
  return s;
}

std::string type_text(const compiler::TableType& t) {
  return std::string(compiler::val_type_name(t.elem)) + " " + limits_text(t.limits);
}
std::string type_text(const compiler::MemoryType& t) { return limits_text(t.limits) + " pages"; }
std::string type_text(const compiler::GlobalType& t) {
  return std::string(t.mut ? "mut " : "") + compiler::val_type_name(t.type);
}

std::string import_type(const compiler::Module& m, const compiler::Import& i) {
  switch (i.kind) {
    case compiler::ExternKind::kFunc: return m.types[i.type_index].to_string();
    case compiler::ExternKind::kTable: return type_text(i.table);
    case compiler::ExternKind::kMemory: return type_text(i.memory);
    case compiler::ExternKind::kGlobal: return type_text(i.global);
  }
  return "?";
}

std::string export_type(const compiler::Module& m, const compiler::Export& e) {
  switch (e.kind) {
    case compiler::ExternKind::kFunc: return m.func_type(e.index).to_string();
    case compiler::ExternKind::kTable: return type_text(m.tables[e.index]);
    case compiler::ExternKind::kMemory: return type_text(m.memories[e.index]);
    case compiler::ExternKind::kGlobal: return type_text(m.globals[e.index]);
  }
  return "?";
}

std::vector<Module::ImportDesc> imports_of(const compiler::Module& m) {
  std::vector<Module::ImportDesc> out;
  for (const auto& i : m.imports) out.push_back({i.module, i.name, compiler::extern_kind_name(i.kind), import_type(m, i)});
  return out;
}

std::vector<Module::ExportDesc> exports_of(const compiler::Module& m) {
  std::vector<Module::ExportDesc> out;
  for (const auto& e : m.exports) out.push_back({e.name, compiler::extern_kind_name(e.kind), export_type(m, e)});
  return out;
}

}  // namespace

std::vector<Module::ImportDesc> Module::imports() const { return imports_of(*impl_->module); }
std::vector<Module::ExportDesc> Module::exports() const { return exports_of(*impl_->module); }

Result<Module::Description> Module::describe(std::span<const uint8_t> bytes) {
  BRISK_ASSIGN_OR_RETURN(auto m, compiler::decode_and_validate(bytes.data(), bytes.size()));
  Description d;
  d.imports = imports_of(*m);
  d.exports = exports_of(*m);
  d.imported_functions = m->num_imported_funcs;
  d.defined_functions = m->num_defined_funcs();
  if (!m->memories.empty()) d.memory_min_pages = m->memories[0].limits.min;
  return d;
}

uint32_t trap_code(const Status& s) { return s.kind() == ErrorKind::kTrap ? s.code() : 0; }

}  // namespace brisk
