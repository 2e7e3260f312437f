// Labels of the function X64Masm is emitting: an index, the offset it is
// bound at, and the 32-bit fields that wait for it.
#ifndef BRISK_COMPILER_X64_LABELS_X64_H_
#define BRISK_COMPILER_X64_LABELS_X64_H_

#include <cstdint>
#include <cstring>
#include <vector>

namespace brisk::compiler::x64 {

/// A code position in the function being emitted (valid until the next
/// function starts: the table is reset then).
struct Label {
  uint32_t id = UINT32_MAX;
};

/// asmjit's labels cost a zone allocation each and a link record per
/// forward use, resolved when the buffer is flattened; a function's labels
/// are all bound by its end, so here a label is a vector entry and a forward
/// reference a rel32 patched when its label is bound. Storage is kept from
/// one function to the next.
class LabelTable {
 public:
  void reset() {
    slots_.clear();
    refs_.clear();
    pending_ = 0;
    bad_binds_ = 0;
  }
  Label make() {
    slots_.push_back({-1, -1});
    return Label{static_cast<uint32_t>(slots_.size() - 1)};
  }
  bool is_bound(Label l) const { return slots_[l.id].offset >= 0; }
  int32_t offset(Label l) const { return slots_[l.id].offset; }
  /// The 32-bit field at code offset `at` becomes offset(l) - base when l
  /// is bound (l not bound yet).
  void refer(Label l, uint32_t at, uint32_t base) {
    refs_.push_back({at, base, slots_[l.id].first});
    slots_[l.id].first = static_cast<int32_t>(refs_.size() - 1);
    ++pending_;
  }
  /// Binds l at `offset` and patches the fields waiting for it in `code`
  /// (`size` bytes emitted: a field beyond them, whose branch could not be
  /// emitted because the buffer was full, is not written). Binding a label
  /// twice is a compiler bug: the second bind is ignored and counted
  /// (bad_binds()).
  void bind(Label l, uint32_t offset, uint8_t* code, size_t size) {
    Slot& s = slots_[l.id];
    if (s.offset >= 0) {
      ++bad_binds_;
      return;
    }
    s.offset = static_cast<int32_t>(offset);
    for (int32_t r = s.first; r >= 0; r = refs_[r].next) {
      int32_t v = static_cast<int32_t>(offset - refs_[r].base);
      if (refs_[r].at + size_t{4} <= size) memcpy(code + refs_[r].at, &v, 4);
      --pending_;
    }
    s.first = -1;
  }
  /// Fields still waiting for a label: nonzero at the end of a function
  /// means a branch to a label that was never bound.
  uint32_t pending() const { return pending_; }
  uint32_t bad_binds() const { return bad_binds_; }

 private:
  struct Slot {
    int32_t offset;  // -1 until bound
    int32_t first;   // head of its waiting fields in refs_, or -1
  };
  struct Ref {
    uint32_t at;
    uint32_t base;
    int32_t next;
  };
  std::vector<Slot> slots_;
  std::vector<Ref> refs_;
  uint32_t pending_ = 0;
  uint32_t bad_binds_ = 0;
};

}  // namespace brisk::compiler::x64

#endif  // BRISK_COMPILER_X64_LABELS_X64_H_
