// One pass over a function body that summarises, for every loop, the locals
// it (with the loops nested in it) uses most and whether it calls: what a
// loop header needs to choose locals to keep in registers; and, for the
// register allocator's evictions, where each local is next used.
#ifndef BRISK_COMPILER_CODEGEN_LOOP_SCAN_H_
#define BRISK_COMPILER_CODEGEN_LOOP_SCAN_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "compiler/decode/reader.h"

namespace brisk::compiler {

/// Linear in the body whatever the nesting: each loop keeps at most
/// kMaxUses locals (the most used), so merging a loop into the loop around it
/// costs O(kMaxUses). The counts steer a heuristic only; dropping a rarely
/// used local from a summary never changes what the code computes.
class LoopScan {
 public:
  static constexpr uint32_t kMaxUses = 32;
  struct Use {
    uint32_t local;
    uint32_t count;
  };
  struct Loop {
    size_t body_offset;  ///< Reader offset just after the loop's block type
    uint32_t first;      ///< its uses are uses_[first, first + n)
    uint32_t n;
    bool calls;          ///< contains a call (every register dies there)
    size_t end_offset;   ///< Reader offset of its `end`
  };

  /// Adds the summaries of one outermost loop and the loops nested in it:
  /// `loop_body` is positioned just after that loop's block type, and the
  /// scan stops at its `end`. The compiler calls it at a loop header that
  /// has no summary yet, so each byte is scanned at most twice (see
  /// kGiveUpBytes) and code outside loops not at all. Stops quietly at a
  /// decode error: the compiler reports it when it gets there.
  ///
  /// A loop with calls that turns out longer than kGiveUpBytes is given up
  /// on at its first call past that length: nothing is recorded (false),
  /// and the loops inside it are scanned when the compiler meets them. At a
  /// call every register dies, so such a loop gains little from a summary,
  /// and the long outer loops of real code are of this kind (Go wraps every
  /// function in one; esbuild compiled 18% faster without any summaries).
  /// The bytes given up on count against the function's budget (the bytes
  /// from its first loop on): once spent, scans run to the end as before.
  /// Call-free loops, where keeping locals in registers pays, are always
  /// scanned in full. Compile speed: esbuild +11%, swc +5%, the other
  /// large modules +2-4%; their code grows 0.1-0.7%; the benchmark
  /// kernels' code is unchanged.
  static constexpr size_t kGiveUpBytes = 256;
  bool scan_loop(Reader loop_body, uint32_t num_locals, bool has_data_count);
  /// Forgets every summary (a new function); keeps the storage.
  void reset() {
    drop_index();
    loops_.clear();
    uses_.clear();
    next_ = 0;
    give_up_budget_ = kNoBudgetYet;
  }
  /// The loop whose body starts at `offset`, or nullptr. Offsets must be
  /// asked in increasing order (as the compiler meets loops).
  const Loop* find(size_t offset);
  std::span<const Use> uses(const Loop& l) const { return {uses_.data() + l.first, l.n}; }
  size_t num_loops() const { return loops_.size(); }

  /// Where a local is next used, for the register allocator's choice of one
  /// to evict (Belady's: the one used furthest ahead). Known inside the
  /// outermost loop scanned last, which is where the compiler is when it
  /// asks: how many bytes from offset `at` on come before local i's next
  /// access, kDead when that access writes it (local.set or local.tee),
  /// kNever when it has none
  /// there. After its last access in an iteration of the innermost loop
  /// around `at` (its body at offset `loop_body`, 0 for none) comes its
  /// first in the next. Straight-line otherwise: branches are not followed.
  /// `at` must not decrease between calls for one scan. The scan lists the
  /// loop's local accesses; the first call after it links each to the next
  /// of its local (paid only by loops under register pressure); each call
  /// is O(1) amortised.
  static constexpr uint32_t kDead = UINT32_MAX;
  static constexpr uint32_t kNever = UINT32_MAX - 1;
  uint32_t next_use(uint32_t local, size_t at, size_t loop_body);
  /// Of locals[0, n) (32 at most), a mask of those whose value at offset
  /// `at` is dead for certain: the next access is a local.set or local.tee
  /// with no branch (br, br_if, br_table, if, else) before it, so every path
  /// from `at` writes the local before reading it, and a register holding it
  /// need not be stored. Looks a bounded number of accesses ahead; inside
  /// the outermost loop scanned last only (0 elsewhere). `at` must not
  /// decrease between calls for one scan.
  uint32_t overwritten_first(size_t at, const uint32_t* locals, uint32_t n);

 private:
  struct Open {
    uint32_t loop;             // index into loops_
    std::vector<Use> saved;    // counts flushed while a nested loop was open
    bool calls = false;
  };
  void flush(Open& o);         // moves the dense counts into o.saved (pruned)
  void load(const Open& o);    // back into the dense counts
  static void prune(std::vector<Use>& v);

  Open close();                // pops the innermost loop and records its summary
  bool abandon(size_t scanned, size_t first_use);  // scan_loop's giving up: back to before it

  std::vector<Loop> loops_;
  std::vector<Use> uses_;
  // next_use's index of the last scan's outermost loop, built on its first
  // call: the local accesses in order, each one's next and previous access
  // of the same local, and a cursor (the first access at or after the last
  // `at`) with, per local, the first access at or after it.
  struct Access {
    uint32_t local;
    uint32_t offset_set;  // (offset - scan base) << 1 | writes (local.set, local.tee)
  };
  std::vector<uint32_t> branches_;  // the last scan's branches (offsets from base_), in order
  size_t branch_cursor_ = 0;        // overwritten_first's: the first branch and the first
  uint32_t write_cursor_ = 0;       // access at or after its last `at`
  static constexpr uint32_t kNone = UINT32_MAX;
  static constexpr uint32_t kPast = 1u << 31;  // head_: no more; the last one was head_ & ~kPast
  void index_accesses();
  void drop_index();               // no accesses; head_ back to all kNone
  // kListed: acc_ holds a scan's accesses, index_accesses is due;
  // kIndexed: head_ holds values for acc_'s locals (drop_index clears them).
  enum class Index : uint8_t { kNone, kListed, kIndexed };
  Index index_ = Index::kNone;
  size_t base_ = 0;                // the last scan's body offset (Access offsets count from it)
  size_t first_scanned_ = 0;       // loops_ index of the last scan's outermost loop
  std::unique_ptr<Access[]> acc_;  // acc_cap_ entries; the first acc_n_ hold the accesses
  size_t acc_cap_ = 0;
  uint32_t acc_n_ = 0;
  std::vector<uint32_t> next_same_, prev_same_;
  std::vector<uint32_t> head_;     // per local; kNone where acc_ has none
  uint32_t cursor_ = 0;
  size_t memo_body_ = 0;           // next_use's last loop_body, and its Loop
  const Loop* memo_loop_ = nullptr;
  size_t next_ = 0;
  static constexpr size_t kNoBudgetYet = SIZE_MAX;
  size_t give_up_budget_ = kNoBudgetYet;  // bytes scan_loop may still give up on in this function
  std::vector<Open> open_;         // run()'s stacks, kept for their capacity
  std::vector<bool> is_loop_;
  std::vector<uint32_t> count_;    // per local: uses in the innermost open loop
  std::vector<uint32_t> touched_;  // locals with a nonzero count_
};

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CODEGEN_LOOP_SCAN_H_
