// The runtime functions generated code calls (C ABI), by address: the
// compiler embeds calls to them, the runtime implements them.
#ifndef BRISK_RUNTIME_HELPERS_H_
#define BRISK_RUNTIME_HELPERS_H_

namespace brisk::runtime {

/// Each returns a u32: a trap code (0 = none) unless noted.
struct RuntimeHelpers {
  const void* memory_grow = nullptr;  ///< (vm, delta) -> old pages or -1
  const void* memory_init = nullptr;  ///< (vm, seg, dst, src, n)
  const void* data_drop = nullptr;    ///< (vm, seg)
  const void* memory_copy = nullptr;  ///< (vm, dst, src, n)
  const void* memory_fill = nullptr;  ///< (vm, dst, value, n)
  const void* table_init = nullptr;   ///< (vm, table, seg, dst, src, n)
  const void* elem_drop = nullptr;    ///< (vm, seg)
  const void* table_copy = nullptr;   ///< (vm, dst_table, src_table, dst, src, n)
  const void* table_grow = nullptr;   ///< (vm, table, init, delta) -> old size or -1
  const void* table_fill = nullptr;   ///< (vm, table, dst, value, n)
};

/// The helper table of this runtime.
const RuntimeHelpers& runtime_helpers();

}  // namespace brisk::runtime

#endif  // BRISK_RUNTIME_HELPERS_H_
