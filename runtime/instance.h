// The runtime side of an instance: its VMContext allocation and what the
// runtime helpers (bulk memory, table operations) need to reach from it.
#ifndef BRISK_RUNTIME_INSTANCE_H_
#define BRISK_RUNTIME_INSTANCE_H_

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "module/module.h"
#include "runtime/helpers.h"
#include "runtime/linear_memory.h"
#include "runtime/trap.h"
#include "runtime/vmcontext.h"

namespace brisk::runtime {

/// A table with its storage; Table (the header code reads) comes first.
/// Storage is malloc'd so that running out of memory is a failed grow (or a
/// failed instantiation), not an exception that would end the process.
struct TableObject {
  Table header;
  ResourceLimiter* limiter = nullptr;  ///< the store's, asked before growth
  TableObject() = default;
  TableObject(const TableObject&) = delete;
  TableObject& operator=(const TableObject&) = delete;
  ~TableObject() { free(header.data); }
  /// Sets the size to `size` elements of `init`; false if out of memory.
  bool init(uint32_t size, uint64_t init);
  /// Grows by `delta` elements set to `init`; returns the old size or -1.
  int64_t grow(uint32_t delta, uint64_t init);
  uint64_t* elements() { return header.data; }
};

/// Limit beyond which table.grow fails rather than allocating.
using wasm::kMaxTableElements;

struct Instance {
  const wasm::Module* module = nullptr;
  uint8_t* vmctx = nullptr;                      ///< VMLayout-sized, 16-byte aligned
  LinearMemory* memory = nullptr;                ///< defined or imported; may be null
  std::vector<TableObject*> tables;              ///< table index space
  std::vector<FuncRef*> func_refs;               ///< function index space
  std::unique_ptr<FuncRef[]> own_func_refs;      ///< defined functions (stable addresses)
  std::vector<const uint64_t*> global_values;    ///< each global's value cell (index space)
  std::vector<bool> elem_dropped;                ///< items are read from the module until dropped
  std::vector<bool> data_dropped;

  ~Instance() { free(vmctx); }
  static Instance* from_vmctx(void* vm) {
    return *reinterpret_cast<Instance**>(static_cast<uint8_t*>(vm) + kVmInstance);
  }
};

/// The reference an element item stands for in this instance.
uint64_t elem_item_value(const Instance& inst, wasm::ElemItem item);

/// memory.init / table.init semantics, shared with instantiation.
TrapCode init_memory(Instance& inst, uint32_t seg, uint64_t dst, uint64_t src, uint64_t n);
TrapCode init_table(Instance& inst, uint32_t table, uint32_t seg, uint64_t dst, uint64_t src, uint64_t n);

}  // namespace brisk::runtime

#endif  // BRISK_RUNTIME_INSTANCE_H_
