/// \file Brisk's embedder API, shaped like Wasmtime's:
/// Engine (shared, compiles) -> Module (immutable) -> Store (one thread at a
/// time, owns instances and their objects) -> Instance, with a Linker to
/// resolve imports.
///
/// \code
///   brisk::Engine engine;
///   auto module = brisk::Module::compile(engine, bytes).value();
///   brisk::Store store(engine);
///   brisk::Linker linker(engine);
///   auto instance = linker.instantiate(store, module).value();
///   auto add = instance.get_func(store, "add").value();
///   auto results = add.call(store, {brisk::Val::i32(1), brisk::Val::i32(2)});
/// \endcode
#ifndef BRISK_API_BRISK_H_
#define BRISK_API_BRISK_H_

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "brisk/status.h"
#include "brisk/types.h"

namespace brisk {

namespace runtime { struct FuncRef; class LinearMemory; struct TableObject; }

/// Engine-wide settings.
struct Config {
  /// Bounds-check every memory access instead of relying on guard pages
  /// (for hosts without 8 GiB of address space per memory).
  bool explicit_bounds_checks = false;
  /// Most stack Wasm code may use on a thread before "call stack exhausted".
  size_t max_wasm_stack = 1u << 20;
  /// Threads that compile a large module's functions (0: one per core, at
  /// most 8; modules under 64 KiB of code always compile on the caller's thread).
  unsigned compile_threads = 0;
  /// Compile a check into every loop header so that Store::interrupt_handle()
  /// can stop runaway code (costs a load and compare per loop iteration).
  bool interruptible = false;
  /// CPU features code may use beyond x86-64's SSE2 baseline: "" for all the
  /// CPU has, "baseline" for none, or a list such as "sse4.1,popcnt". The
  /// environment variable BRISK_CPU_FEATURES masks them further, for any
  /// program. An unknown name makes Module::compile fail with the reason.
  std::string cpu_features;
};

/// Compiles modules and holds what they share (type ids, trampolines).
/// Thread-safe; cheap to copy (shared).
class Engine {
 public:
  explicit Engine(Config config = {});
  const Config& config() const;
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

/// A compiled module: immutable, shareable between stores of its engine.
class Module {
 public:
  /// Decodes, validates and compiles `bytes`. Errors: malformed, invalid,
  /// unsupported (e.g. SIMD, not compiled yet).
  static Result<Module> compile(const Engine& engine, std::span<const uint8_t> bytes);
  static Result<Module> from_file(const Engine& engine, const std::string& path);
  /// Decodes and validates without compiling.
  static Status validate(std::span<const uint8_t> bytes);

  /// An import or export: its kind ("func", "table", "memory", "global")
  /// and its type in text form ("[i32 i32] -> [i32]", "funcref min 1",
  /// "min 1 pages", "mut i32").
  struct ImportDesc { std::string module, name; std::string kind; std::string type; };
  struct ExportDesc { std::string name; std::string kind; std::string type; };
  std::vector<ImportDesc> imports() const;
  std::vector<ExportDesc> exports() const;

  /// What a module declares, found by decoding and validating it without
  /// compiling (what `brisk inspect` prints).
  struct Description {
    std::vector<ImportDesc> imports;
    std::vector<ExportDesc> exports;
    uint32_t imported_functions = 0;
    uint32_t defined_functions = 0;
    std::optional<uint64_t> memory_min_pages;  ///< the first memory's minimum, if any
  };
  static Result<Description> describe(std::span<const uint8_t> bytes);

  struct Impl;
  std::shared_ptr<Impl> impl_;
};

class Store;
class Func;
class Memory;
class Table;
class Global;

/// A host function: reads `args`, writes `results`; a non-ok Status traps
/// with its message.
using HostFunc = std::function<Status(std::span<const Val> args, std::span<Val> results)>;

/// A function (Wasm or host). A handle: valid while its store lives.
class Func {
 public:
  Func() = default;
  static Func create(Store& store, const FuncType& type, HostFunc fn);
  FuncType type(const Store& store) const;
  /// Calls with dynamically typed values. A trap comes back as a Status of
  /// kind kTrap (trap_code() says which); the store stays usable.
  Result<std::vector<Val>> call(Store& store, std::span<const Val> args) const;
  Result<std::vector<Val>> call(Store& store, std::initializer_list<Val> args) const {
    return call(store, std::span<const Val>(args.begin(), args.size()));
  }
  /// The same without allocating: `results` must have the function's result count.
  Status call(Store& store, std::span<const Val> args, std::span<Val> results) const;
  /// The funcref value of this function.
  Val as_val() const;
  static std::optional<Func> from_val(const Val& v);

  runtime::FuncRef* ref_ = nullptr;
};

/// A linear memory.
class Memory {
 public:
  static Result<Memory> create(Store& store, const MemoryType& type);
  uint8_t* data(const Store& store) const;
  size_t data_size(const Store& store) const;
  uint64_t pages(const Store& store) const;
  /// Returns the old size in pages, or an error if it cannot grow.
  Result<uint64_t> grow(Store& store, uint64_t delta) const;
  MemoryType type(const Store& store) const;
  runtime::LinearMemory* mem_ = nullptr;
};

/// A table of references.
class Table {
 public:
  static Result<Table> create(Store& store, const TableType& type, Val init);
  uint32_t size(const Store& store) const;
  std::optional<Val> get(const Store& store, uint32_t index) const;
  Status set(Store& store, uint32_t index, Val value) const;
  TableType type(const Store& store) const;
  runtime::TableObject* table_ = nullptr;
};

/// A global variable.
class Global {
 public:
  static Result<Global> create(Store& store, const GlobalType& type, Val init);
  Val get(const Store& store) const;
  Status set(Store& store, Val value) const;
  GlobalType type(const Store& store) const;
  struct Cell;
  Cell* cell_ = nullptr;
};

using Extern = std::variant<Func, Memory, Table, Global>;

/// An instantiated module.
class Instance {
 public:
  std::optional<Extern> get_export(const Store& store, std::string_view name) const;
  std::optional<Func> get_func(const Store& store, std::string_view name) const;
  std::optional<Memory> get_memory(const Store& store, std::string_view name) const;
  std::optional<Global> get_global(const Store& store, std::string_view name) const;
  std::vector<std::pair<std::string, Extern>> exports(const Store& store) const;
  struct Impl;
  Impl* impl_ = nullptr;  // owned by the store
};

/// Stops Wasm code running in a store, from any thread: the next loop
/// header it reaches traps with "interrupted" (Config::interruptible).
class InterruptHandle {
 public:
  void interrupt() const;
  uint32_t* flag_ = nullptr;
};

/// Owns instances and every object they create. One thread at a time.
class Store {
 public:
  explicit Store(const Engine& engine);
  ~Store();
  /// A handle other threads may use to interrupt this store's Wasm code.
  InterruptHandle interrupt_handle() const;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  const Engine& engine() const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Resolves imports by (module, name) and instantiates.
class Linker {
 public:
  explicit Linker(const Engine& engine);
  /// Defines (or redefines) an import.
  void define(std::string_view module, std::string_view name, const Extern& item);
  /// Defines every export of `instance` under `module`.
  void define_instance(const Store& store, std::string_view module, const Instance& instance);
  /// Instantiates: links imports (kUnlinkable errors), initialises tables
  /// and memories, runs the start function (kTrap errors).
  Result<Instance> instantiate(Store& store, const Module& module) const;

 private:
  Engine engine_;
  std::vector<std::pair<std::pair<std::string, std::string>, Extern>> defs_;
};

/// The trap code of a kTrap Status (see runtime/trap.h for the list).
uint32_t trap_code(const Status& s);

}  // namespace brisk

#endif  // BRISK_API_BRISK_H_
