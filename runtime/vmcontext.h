// The data generated code reads at fixed offsets: StoreState (per store),
// VMContext (per instance), FuncRef, Table and LinearMemory headers.
//
// VMContext layout (offsets from the pinned VMContext register):
//   0   StoreState*   store
//   8   uint8_t*      memory_base     (never moves)
//   16  LinearMemory* memory          (size for memory.size / explicit checks)
//   24  FuncRef**     func_refs       (ref.func, one per function index)
//   32  void*         instance        (the runtime instance, for helpers)
//   40  const void* const* helpers  (runtime functions by HelperId)
//   48  imported functions: {void* code; void* vmctx} x num_imported_funcs
//   ..  tables: Table* x num_tables
//   ..  globals: 16-byte cells x num_globals; a defined global's value lives
//       in its cell, an imported one's cell holds a pointer to the owner's cell
#ifndef BRISK_RUNTIME_VMCONTEXT_H_
#define BRISK_RUNTIME_VMCONTEXT_H_

#include <cstddef>
#include <cstdint>

#include "module/module.h"

namespace brisk::runtime {

/// Per-store state shared by every instance of the store; Wasm code reaches
/// it through VMContext::store (and host contexts put it first as well).
struct StoreState {
  uintptr_t entry_sp = 0;     ///< innermost entry trampoline frame, for unwinding
  uintptr_t stack_limit = 0;  ///< Wasm code traps when rsp drops below this
  uint32_t trap_code = 0;     ///< set by the unwinder
  uint32_t depth = 0;         ///< nested host -> Wasm entries
  uint32_t trap_detail = 0;   ///< extra trap data (the table index of a null call_indirect)
  uint32_t reserved = 0;
  /// Interruptible code traps with "interrupted" at a function entry or loop
  /// header once *epoch >= epoch_deadline. An interrupt sets the deadline to
  /// 0 (from any thread); the outermost call into the store restores the
  /// store's own deadline when it starts.
  uint64_t epoch_deadline = UINT64_MAX;
  const uint64_t* epoch = nullptr;  ///< the engine's epoch counter
  uint32_t interrupt_requested = 0;  ///< set with the 0 deadline by an interrupt
  /// Asked when code finds the deadline passed and no interrupt was
  /// requested: 0 to go on (after moving the deadline), or a trap code.
  /// Null: trap with kInterrupted.
  uint32_t (*on_epoch_deadline)(StoreState* store) = nullptr;
  uint32_t backtrace_len = 0;   ///< Wasm return addresses captured at the last trap
  uintptr_t backtrace[32] = {};
  uintptr_t backtrace_vmctx[32] = {};  ///< the VMContext of each captured frame
  uintptr_t trap_pc = 0;      ///< faulting PC for signal traps
  void* owner = nullptr;      ///< the API-level store
  /// Consulted before memories and tables of this store grow (null: no limits).
  struct ResourceLimiter* limiter = nullptr;
  /// What the unwind stub calls to record the Wasm backtrace (reached through
  /// the store so that code holds no absolute address).
  void (*capture_backtrace)(StoreState* store, uintptr_t fp, uintptr_t pc) = nullptr;
};
inline constexpr int32_t kStoreEntrySp = offsetof(StoreState, entry_sp);
inline constexpr int32_t kStoreStackLimit = offsetof(StoreState, stack_limit);
inline constexpr int32_t kStoreTrapCode = offsetof(StoreState, trap_code);
inline constexpr int32_t kStoreTrapDetail = offsetof(StoreState, trap_detail);
inline constexpr int32_t kStoreEpochDeadline = offsetof(StoreState, epoch_deadline);
inline constexpr int32_t kStoreEpoch = offsetof(StoreState, epoch);
inline constexpr int32_t kStoreCaptureBacktrace = offsetof(StoreState, capture_backtrace);

/// What a store allows its memories and tables to grow to. Growth the
/// limiter refuses fails the way the spec lets it (memory.grow returns -1).
struct ResourceLimiter {
  virtual ~ResourceLimiter() = default;
  virtual bool memory_growing(uint64_t current_bytes, uint64_t desired_bytes) = 0;
  virtual bool table_growing(uint64_t current_elements, uint64_t desired_elements) = 0;
};

/// A function reference: what call_indirect, ref.func and tables hold.
struct FuncRef {
  void* code;        ///< entry with Brisk's internal calling convention
  void* vmctx;       ///< VMContext of the owning instance, or a host context
  uint32_t type_id;  ///< engine-wide canonical signature id
};
inline constexpr int32_t kFuncRefCode = offsetof(FuncRef, code);
inline constexpr int32_t kFuncRefVmctx = offsetof(FuncRef, vmctx);
inline constexpr int32_t kFuncRefTypeId = offsetof(FuncRef, type_id);

/// A table's storage: 8-byte elements (FuncRef* or an externref payload; 0 is null).
struct Table {
  uint64_t* data = nullptr;
  uint32_t size = 0;
  uint32_t max = 0xffffffffu;
  wasm::ValType elem = wasm::ValType::kFuncRef;
};
inline constexpr int32_t kTableData = offsetof(Table, data);
inline constexpr int32_t kTableSize = offsetof(Table, size);

/// A linear memory's header; the object itself lives in runtime/linear_memory.h.
struct MemoryHeader {
  uint8_t* base = nullptr;
  uint64_t size = 0;  ///< bytes currently accessible
};
inline constexpr int32_t kMemoryHeaderSize = offsetof(MemoryHeader, size);

/// Host function context: what an exit trampoline finds in the VMContext
/// register. The store comes first so the unwinder treats both alike.
/// `caller_vmctx` is the VMContext of the Wasm function that made the call,
/// or null when the host called the function directly (through an entry
/// trampoline, whose frame holds null where a Wasm frame keeps its VMContext).
struct HostContext;
using HostCallback = uint32_t (*)(HostContext* ctx, uint64_t* slots, void* caller_vmctx);
struct HostContext {
  StoreState* store;
  HostCallback callback;
};
inline constexpr int32_t kHostContextCallback = offsetof(HostContext, callback);

inline constexpr int32_t kVmStore = 0;
inline constexpr int32_t kVmMemoryBase = 8;
inline constexpr int32_t kVmMemory = 16;
inline constexpr int32_t kVmFuncRefs = 24;
inline constexpr int32_t kVmInstance = 32;
inline constexpr int32_t kVmHelpers = 40;
inline constexpr int32_t kVmHeaderSize = 48;

/// Offsets of the variable part of a module's VMContext, computed from
/// counts alone (Wasmtime's VMOffsets): the compiler that emits the accesses
/// and the runtime that lays the VMContext out use this one computation.
struct VMLayout {
  int32_t imported_funcs = kVmHeaderSize;
  int32_t tables = 0;
  int32_t globals = 0;
  int32_t size = 0;

  VMLayout(uint32_t num_imported_funcs, uint32_t num_tables, uint32_t num_globals) {
    tables = imported_funcs + 16 * static_cast<int32_t>(num_imported_funcs);
    globals = tables + 8 * static_cast<int32_t>(num_tables);
    size = globals + 16 * static_cast<int32_t>(num_globals);
  }
  explicit VMLayout(const wasm::Module& m)
      : VMLayout(m.num_imported_funcs, static_cast<uint32_t>(m.tables.size()),
                 static_cast<uint32_t>(m.globals.size())) {}
  int32_t import_code(uint32_t i) const { return imported_funcs + 16 * static_cast<int32_t>(i); }
  int32_t import_vmctx(uint32_t i) const { return import_code(i) + 8; }
  int32_t table(uint32_t i) const { return tables + 8 * static_cast<int32_t>(i); }
  int32_t global(uint32_t i) const { return globals + 16 * static_cast<int32_t>(i); }
};

}  // namespace brisk::runtime

#endif  // BRISK_RUNTIME_VMCONTEXT_H_
