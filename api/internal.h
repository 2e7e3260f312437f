// Private definitions behind the public API handles (not installed).
#ifndef BRISK_API_INTERNAL_H_
#define BRISK_API_INTERNAL_H_

#include <atomic>
#include <map>
#include <mutex>

#include "brisk/brisk.h"
#include "compiler/decode/module.h"
#include "compiler/module_compiler.h"
#include "compiler/backend.h"
#include "runtime/instance.h"
#include "runtime/linear_memory.h"
#include "runtime/vmcontext.h"

namespace brisk {

compiler::ValType to_internal(ValKind k);
ValKind to_api(compiler::ValType t);
compiler::FuncType to_internal(const FuncType& t);
FuncType to_api(const compiler::FuncType& t);

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
  std::mutex mu;                              // guards registration only
  std::map<std::string, uint32_t> type_ids;   // keyed by an encoding of the signature
  uint32_t num_types = 0;
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

struct HostFuncData : runtime::HostContext {
  runtime::FuncRef ref;
  HostFunc fn;
  compiler::FuncType type;
  Store::Impl* owner;
};

struct Instance::Impl : runtime::Instance {
  std::shared_ptr<Module::Impl> module_ref;  // keeps the code alive
  std::vector<Global::Cell*> globals;        // global index space
  std::vector<std::pair<std::string, Extern>> exports;
};

struct Store::Impl {
  std::shared_ptr<Engine::Impl> engine;
  Engine engine_handle;
  runtime::StoreState state;
  std::string host_error;
  std::vector<std::unique_ptr<runtime::LinearMemory>> memories;
  std::vector<std::unique_ptr<runtime::TableObject>> tables;
  std::vector<std::unique_ptr<Global::Cell>> globals;
  std::vector<std::unique_ptr<HostFuncData>> host_funcs;
  std::vector<std::unique_ptr<Instance::Impl>> instances;
};

}  // namespace brisk

#endif  // BRISK_API_INTERNAL_H_
