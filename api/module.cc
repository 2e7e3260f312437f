// Module: compiling, reflection, and the code cache (serialize/deserialize).
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>

#include <cstring>
#include <fstream>
#include <sstream>

#include "api/internal.h"
#include "compiler/backend.h"
#include "compiler/decode/module_decoder.h"
#include "compiler/validate/func_validator.h"
#include "runtime/code_memory.h"

namespace brisk {

namespace {

Result<std::shared_ptr<Module::Impl>> new_impl(const Engine& engine, std::unique_ptr<compiler::Module> decoded) {
  Engine::Impl& e = A::engine(engine);
  auto impl = std::make_shared<Module::Impl>();
  impl->engine = A::engine_ptr(engine);
  for (const auto& t : decoded->types) {
    uint32_t id = e.type_id(t);
    if (id == 0xffffffffu) return Status(ErrorKind::kResource, "cannot register function type " + t.to_string());
    impl->type_ids.push_back(id);
  }
  impl->module = std::move(decoded);
  return impl;
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorKind::kIo, "cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status(ErrorKind::kIo, "error reading " + path);
  return ss.str();
}

std::span<const uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace

Result<Module> Module::compile(const Engine& engine, std::span<const uint8_t> bytes) {
  Engine::Impl& e = A::engine(engine);
  if (!e.cpu_error.is_ok()) return e.cpu_error;
  if (is_serialized(bytes)) {
    return Status(ErrorKind::kMalformed, "this is a serialized module: load it with Module::deserialize");
  }
  // The module keeps its own copy of the binary: a big one on huge pages
  // (fewer faults while copying, as for the code buffers).
  std::vector<uint8_t> copy;
  copy.reserve(bytes.size());
  runtime::advise_huge_pages(copy.data(), bytes.size());
  copy.insert(copy.end(), bytes.begin(), bytes.end());
  BRISK_ASSIGN_OR_RETURN(auto decoded, compiler::decode_module(std::move(copy)));
  BRISK_ASSIGN_OR_RETURN(auto impl, new_impl(engine, std::move(decoded)));
  compiler::CompileOptions opts;
  opts.explicit_bounds = e.config.explicit_bounds_checks;
  opts.max_threads = e.config.compile_threads;
  opts.interruptible = e.config.interruptible;
  opts.cpu = e.cpu;
  opts.force_veneers = e.force_veneers;
  BRISK_ASSIGN_OR_RETURN(impl->compiled, compiler::compile_module(*impl->module, impl->type_ids, opts));
  impl->compiled.code->set_functions(impl->compiled.func_offsets, impl.get());
  return A::make_module(std::move(impl));
}

Result<Module> Module::from_file(const Engine& engine, const std::string& path) {
  BRISK_ASSIGN_OR_RETURN(std::string s, read_file(path));
  return compile(engine, as_bytes(s));
}

Status Module::validate(std::span<const uint8_t> bytes) {
  auto m = compiler::decode_and_validate(bytes.data(), bytes.size());
  return m ? Status::ok() : m.take_status();
}

std::vector<ImportType> Module::imports() const {
  if (!impl_) api_misuse("empty Module handle used");
  const compiler::Module& m = *impl_->module;
  std::vector<ImportType> out;
  for (const auto& i : m.imports) out.push_back({i.module, i.name, import_type(m, i)});
  return out;
}

std::vector<ExportType> Module::exports() const {
  if (!impl_) api_misuse("empty Module handle used");
  const compiler::Module& m = *impl_->module;
  std::vector<ExportType> out;
  for (const auto& e : m.exports) out.push_back({e.name, export_type(m, e)});
  return out;
}

std::optional<std::string> Module::name() const {
  if (!impl_) api_misuse("empty Module handle used");
  if (impl_->module->module_name.empty()) return std::nullopt;
  return impl_->module->module_name;
}

Result<Module::Description> Module::describe(std::span<const uint8_t> bytes) {
  BRISK_ASSIGN_OR_RETURN(auto m, compiler::decode_and_validate(bytes.data(), bytes.size()));
  Description d;
  for (const auto& i : m->imports) d.imports.push_back({i.module, i.name, import_type(*m, i)});
  for (const auto& e : m->exports) d.exports.push_back({e.name, export_type(*m, e)});
  d.imported_functions = m->num_imported_funcs;
  d.defined_functions = m->num_defined_funcs();
  if (!m->memories.empty()) d.memory_min_pages = m->memories[0].limits.min;
  return d;
}

// -- Code cache -----------------------------------------------------------------
//
// Layout (little-endian):
//   "BRISKCW\0"  u32 format  u32 header size  header: version string, ISA,
//   CPU feature bits, settings;  then u64-length-prefixed sections: the Wasm
//   binary, the code chunk, function offsets, relocations, trap sites, and
//   the entry-table and unwind offsets;  last, the CRC-32 of everything before.
//
// The checksum catches damage, the header catches artifacts this engine must
// not run. Like Wasmtime's, a serialized module is trusted input: the checks
// are not a defence against a crafted file (the code in it is native code).

namespace {

constexpr char kMagic[8] = {'B', 'R', 'I', 'S', 'K', 'C', 'W', 0};
constexpr uint32_t kFormat = 1;
// Bump kCodegenAbi whenever generated code, trampolines, VMContext layout
// or this format change in a way an old artifact would not survive.
constexpr uint32_t kCodegenAbi = 1;
const std::string kBriskVersion = "brisk 0.1.0 (codegen abi " + std::to_string(kCodegenAbi) + ")";
constexpr uint32_t kIsa = compiler::Backend::kIsaId;  // the backend's, never guessed here

struct Writer {
  std::vector<uint8_t> out;
  void u32(uint32_t v) { bytes(&v, 4); }
  void u64(uint64_t v) { bytes(&v, 8); }
  void bytes(const void* p, size_t n) {
    auto* b = static_cast<const uint8_t*>(p);
    out.insert(out.end(), b, b + n);
  }
  void blob(const void* p, size_t n) { u64(n); bytes(p, n); }
  void str(const std::string& s) { blob(s.data(), s.size()); }
};

struct Reader {
  std::span<const uint8_t> in;
  size_t pos = 0;
  bool ok = true;
  const uint8_t* take(size_t n) {
    if (!ok || n > in.size() - pos) { ok = false; return nullptr; }
    const uint8_t* p = in.data() + pos;
    pos += n;
    return p;
  }
  uint32_t u32() { uint32_t v = 0; if (auto* p = take(4)) memcpy(&v, p, 4); return v; }
  uint64_t u64() { uint64_t v = 0; if (auto* p = take(8)) memcpy(&v, p, 8); return v; }
  std::span<const uint8_t> blob() {
    uint64_t n = u64();
    if (!ok || n > in.size() - pos) { ok = false; return {}; }
    return {take(n), n};
  }
  std::string str() { auto b = blob(); return std::string(b.begin(), b.end()); }
};

uint32_t settings_bits(const Config& c) {
  return (c.explicit_bounds_checks ? 1u : 0u) | (c.interruptible ? 2u : 0u);
}

std::string settings_text(uint32_t bits) {
  std::string s = bits & 1 ? "explicit bounds checks" : "guard pages";
  s += bits & 2 ? ", interruptible" : ", not interruptible";
  return s;
}

Status refused(const std::string& why) { return Status(ErrorKind::kMalformed, "cannot load serialized module: " + why); }

}  // namespace

bool Module::is_serialized(std::span<const uint8_t> bytes) {
  return bytes.size() >= sizeof kMagic && memcmp(bytes.data(), kMagic, sizeof kMagic) == 0;
}

size_t Module::code_size() const {
  if (!impl_) api_misuse("empty Module handle used");
  return impl_->compiled.code ? impl_->compiled.code->size() : 0;
}

Result<std::vector<uint8_t>> Module::serialize() const {
  if (!impl_) api_misuse("empty Module handle used");
  const Impl& mi = *impl_;
  const compiler::CompiledModule& c = mi.compiled;
  Writer w;
  w.bytes(kMagic, sizeof kMagic);
  w.u32(kFormat);
  w.str(kBriskVersion);
  w.u32(kIsa);
  w.u32(mi.engine->cpu.bits());
  w.u32(settings_bits(mi.engine->config));
  w.blob(mi.module->bytes.data(), mi.module->bytes.size());
  w.blob(c.code->base(), c.code->size());
  w.u32(c.entry_table_offset);
  w.u32(c.code->unwind_offset());
  w.u64(c.func_offsets.size());
  for (uint32_t o : c.func_offsets) w.u32(o);
  w.u64(c.relocations.size());
  for (const auto& r : c.relocations) {
    w.u32(r.offset);
    w.u32(static_cast<uint32_t>(r.kind));
    w.u32(r.index);
  }
  const auto& sites = c.code->trap_sites();
  w.u64(sites.size());
  for (const auto& t : sites) {
    w.u32(t.offset);
    w.u32(static_cast<uint32_t>(t.code));
  }
  uint32_t crc = static_cast<uint32_t>(crc32(0, w.out.data(), static_cast<uInt>(w.out.size())));
  w.u32(crc);
  return std::move(w.out);
}

Result<Module> Module::deserialize(const Engine& engine, std::span<const uint8_t> bytes) {
  Engine::Impl& e = A::engine(engine);
  if (!e.cpu_error.is_ok()) return e.cpu_error;
  if (!is_serialized(bytes)) return refused("not a serialized Brisk module");
  if (bytes.size() < sizeof kMagic + 8) return refused("truncated");
  uint32_t stored_crc;
  memcpy(&stored_crc, bytes.data() + bytes.size() - 4, 4);
  if (static_cast<uint32_t>(crc32(0, bytes.data(), static_cast<uInt>(bytes.size() - 4))) != stored_crc) {
    return refused("checksum mismatch (the file is damaged)");
  }
  Reader r{bytes.first(bytes.size() - 4)};
  r.take(sizeof kMagic);
  uint32_t format = r.u32();
  if (format != kFormat) return refused("format " + std::to_string(format) + ", this Brisk reads " + std::to_string(kFormat));
  std::string version = r.str();
  if (version != kBriskVersion) return refused("made by " + version + ", this is " + kBriskVersion);
  if (r.u32() != kIsa) return refused("compiled for another instruction set");
  auto cpu_bits = r.u32();
  if ((cpu_bits & ~e.cpu.bits()) != 0) {
    return refused("compiled for CPU features " + compiler::CpuFeatures::from_bits(cpu_bits).to_string() +
                   ", more than this engine allows (" + e.cpu.to_string() + ")");
  }
  uint32_t settings = r.u32();
  if (settings != settings_bits(e.config)) {
    return refused("compiled with " + settings_text(settings) + ", the engine uses " + settings_text(settings_bits(e.config)));
  }
  auto wasm = r.blob();
  compiler::CompiledImage image;
  image.code = r.blob();
  image.entry_table_offset = r.u32();
  image.unwind_offset = r.u32();
  uint64_t nf = r.u64();
  if (!r.ok || nf > bytes.size() / 4) return refused("truncated");
  for (uint64_t i = 0; i < nf; ++i) image.func_offsets.push_back(r.u32());
  uint64_t nr = r.u64();
  if (!r.ok || nr > bytes.size() / 12) return refused("truncated");
  for (uint64_t i = 0; i < nr; ++i) {
    compiler::Relocation rel;
    rel.offset = r.u32();
    rel.kind = static_cast<compiler::RelocKind>(r.u32());
    rel.index = r.u32();
    image.relocations.push_back(rel);
  }
  uint64_t nt = r.u64();
  if (!r.ok || nt > bytes.size() / 8) return refused("truncated");
  for (uint64_t i = 0; i < nt; ++i) {
    uint32_t off = r.u32();
    uint32_t code = r.u32();
    image.trap_sites.push_back({off, static_cast<runtime::TrapCode>(code)});
  }
  if (!r.ok || r.pos != r.in.size()) return refused("truncated or trailing data");

  auto decoded = compiler::decode_module(wasm.data(), wasm.size());
  if (!decoded) return refused("its Wasm module does not decode: " + decoded.status().message());
  if ((*decoded)->num_defined_funcs() != image.func_offsets.size()) return refused("function count mismatch");
  BRISK_ASSIGN_OR_RETURN(auto impl, new_impl(engine, std::move(decoded).value()));
  auto loaded = compiler::load_compiled(image, impl->type_ids);
  if (!loaded) return refused(loaded.status().message());
  impl->compiled = std::move(loaded).value();
  impl->compiled.code->set_functions(impl->compiled.func_offsets, impl.get());
  return A::make_module(std::move(impl));
}

Result<Module> Module::deserialize_file(const Engine& engine, const std::string& path) {
  // Mapped, not read: the code is copied once, into code memory.
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status(ErrorKind::kIo, "cannot open " + path + ": " + strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_size <= 0) {
    close(fd);
    return refused(path + " is empty or unreadable");
  }
  void* p = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (p == MAP_FAILED) return Status(ErrorKind::kIo, "cannot map " + path + ": " + strerror(errno));
  auto m = deserialize(engine, {static_cast<const uint8_t*>(p), static_cast<size_t>(st.st_size)});
  munmap(p, static_cast<size_t>(st.st_size));
  return m;
}

}  // namespace brisk
