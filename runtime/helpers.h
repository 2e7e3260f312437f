// The runtime functions generated code calls (C ABI). Code reaches them by
// index through VMContext::helpers, never by an address frozen into the
// code, so compiled code is position-independent and can be cached.
#ifndef BRISK_RUNTIME_HELPERS_H_
#define BRISK_RUNTIME_HELPERS_H_

#include <array>
#include <cstdint>

namespace brisk::runtime {

/// V(Id, name, signature comment). Each returns a u32: a trap code
/// (0 = none) unless noted.
#define BRISK_RUNTIME_HELPERS(V)                                      \
  V(MemoryGrow, memory_grow)  /* (vm, delta) -> old pages or -1 */     \
  V(MemoryInit, memory_init)  /* (vm, seg, dst, src, n) */             \
  V(DataDrop, data_drop)      /* (vm, seg) */                          \
  V(MemoryCopy, memory_copy)  /* (vm, dst, src, n) */                  \
  V(MemoryFill, memory_fill)  /* (vm, dst, value, n) */                \
  V(TableInit, table_init)    /* (vm, table, seg, dst, src, n) */      \
  V(ElemDrop, elem_drop)      /* (vm, seg) */                          \
  V(TableCopy, table_copy)    /* (vm, dst_table, src_table, dst, src, n) */ \
  V(TableGrow, table_grow)    /* (vm, table, init, delta) -> old size or -1 */ \
  V(TableFill, table_fill)    /* (vm, table, dst, value, n) */       \
  V(EpochDeadline, epoch_deadline) /* (vm): 0 to go on, or kInterrupted */

enum class HelperId : uint32_t {
#define BRISK_HELPER_ID(id, name) k##id,
  BRISK_RUNTIME_HELPERS(BRISK_HELPER_ID)
#undef BRISK_HELPER_ID
  kCount,
};
inline constexpr uint32_t kNumHelpers = static_cast<uint32_t>(HelperId::kCount);

/// Addresses by HelperId; VMContext::helpers points at this runtime's table.
using HelperTable = std::array<const void*, kNumHelpers>;
const HelperTable& runtime_helpers();

}  // namespace brisk::runtime

#endif  // BRISK_RUNTIME_HELPERS_H_
