// One pass over a function body that summarises, for every loop, the locals
// it (with the loops nested in it) uses most and whether it calls: what a
// loop header needs to choose locals to keep in registers.
#ifndef BRISK_COMPILER_CODEGEN_LOOP_SCAN_H_
#define BRISK_COMPILER_CODEGEN_LOOP_SCAN_H_

#include <cstddef>
#include <cstdint>
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
  };

  /// Adds the summaries of one outermost loop and the loops nested in it:
  /// `loop_body` is positioned just after that loop's block type, and the
  /// scan stops at its `end`. The compiler calls it at a loop header that
  /// has no summary yet, so each byte is scanned at most once and code
  /// outside loops not at all. Stops quietly at a decode error: the compiler
  /// reports it when it gets there.
  void scan_loop(Reader loop_body, uint32_t num_locals, bool has_data_count);
  /// Forgets every summary (a new function); keeps the storage.
  void reset() {
    loops_.clear();
    uses_.clear();
    next_ = 0;
  }
  /// The loop whose body starts at `offset`, or nullptr. Offsets must be
  /// asked in increasing order (as the compiler meets loops).
  const Loop* find(size_t offset);
  std::span<const Use> uses(const Loop& l) const { return {uses_.data() + l.first, l.n}; }
  size_t num_loops() const { return loops_.size(); }

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

  std::vector<Loop> loops_;
  std::vector<Use> uses_;
  size_t next_ = 0;
  std::vector<Open> open_;         // run()'s stacks, kept for their capacity
  std::vector<bool> is_loop_;
  std::vector<uint32_t> count_;    // per local: uses in the innermost open loop
  std::vector<uint32_t> touched_;  // locals with a nonzero count_
};

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CODEGEN_LOOP_SCAN_H_
