// LoopScan: per-loop local-use summaries in one linear pass.
#include "compiler/codegen/loop_scan.h"

#include <algorithm>

#include "compiler/decode/instr.h"

namespace brisk::compiler {

void LoopScan::prune(std::vector<Use>& v) {
  if (v.size() <= kMaxUses) return;
  std::nth_element(v.begin(), v.begin() + kMaxUses, v.end(), [](const Use& a, const Use& b) {
    return a.count > b.count || (a.count == b.count && a.local < b.local);
  });
  v.resize(kMaxUses);
}

void LoopScan::flush(Open& o) {
  for (uint32_t i : touched_) {
    o.saved.push_back({i, count_[i]});
    count_[i] = 0;
  }
  touched_.clear();
  // saved may hold a local twice (flushed before and after a nested loop):
  // fold duplicates so pruning sees the totals.
  std::sort(o.saved.begin(), o.saved.end(), [](const Use& a, const Use& b) { return a.local < b.local; });
  size_t w = 0;
  for (size_t r = 0; r < o.saved.size(); ++r) {
    if (w > 0 && o.saved[w - 1].local == o.saved[r].local) o.saved[w - 1].count += o.saved[r].count;
    else o.saved[w++] = o.saved[r];
  }
  o.saved.resize(w);
  prune(o.saved);
}

void LoopScan::load(const Open& o) {
  for (const Use& u : o.saved) {
    if (count_[u.local] == 0) touched_.push_back(u.local);
    count_[u.local] += u.count;
  }
}

void LoopScan::scan_loop(Reader r, uint32_t num_locals, bool has_data_count) {
  // count_ is all zero between scans (every count is flushed when its loop
  // closes), so it is sized once, not cleared per loop.
  if (count_.size() != num_locals) count_.assign(num_locals, 0);
  std::vector<Open>& open = open_;        // the open loops, innermost last
  std::vector<bool>& is_loop = is_loop_;  // the open blocks: loop or not
  open.clear();
  is_loop.clear();
  is_loop.push_back(true);
  loops_.push_back({r.offset(), 0, 0, false});
  open.push_back({static_cast<uint32_t>(loops_.size() - 1), {}, false});
  InstrDecoder dec(has_data_count);
  Instr in;
  // Most operators are skipped here without decoding their immediates'
  // values (only local indices matter); the rest, and anything odd, go
  // through the decoder.
  const uint8_t* p = r.pos();
  const uint8_t* const end = r.end();
  while (p < end) {
    uint8_t b = *p;
    Opcode op;
    uint32_t index = 0;
    detail::FastForm form = detail::kFastForm[b];
    switch (form) {
      case detail::FastForm::kNone:
        op = detail::kPlainOps.ops[b];
        p += 1;
        break;
      case detail::FastForm::kIndex: {
        op = detail::kPlainOps.ops[b];
        const uint8_t* q = p + 1;
        for (uint32_t shift = 0; q < end && shift < 35; shift += 7) {
          uint8_t c = *q++;
          index |= static_cast<uint32_t>(c & 0x7f) << shift;
          if (!(c & 0x80)) break;
        }
        p = q;
        break;
      }
      case detail::FastForm::kI32Const:
      case detail::FastForm::kI64Const:
      case detail::FastForm::kMem: {
        op = Opcode::kNop;  // nothing the summary counts
        int immediates = form == detail::FastForm::kMem ? 2 : 1;
        const uint8_t* q = p + 1;
        for (int k = 0; k < immediates; ++k) {
          for (int i = 0; q < end && i < 10; ++i) {
            if (!(*q++ & 0x80)) break;
          }
        }
        p = q;
        break;
      }
      default: {
        r.set_pos(p);
        if (!dec.next(r, in).is_ok()) {
          p = end;
          op = Opcode::kCount;
          break;
        }
        op = in.op;
        index = in.index;
        p = r.pos();
        break;
      }
    }
    if (op == Opcode::kCount) break;
    switch (op) {
      case Opcode::kBlock: case Opcode::kIf:
        is_loop.push_back(false);
        break;
      case Opcode::kLoop:
        flush(open.back());
        is_loop.push_back(true);
        loops_.push_back({r.offset(), 0, 0, false});
        open.push_back({static_cast<uint32_t>(loops_.size() - 1), {}, false});
        break;
      case Opcode::kEnd: {
        bool loop = is_loop.back();
        is_loop.pop_back();
        if (!loop) break;
        Open done = close();
        if (open.empty()) return;  // the scanned loop's end
        // The enclosing loop runs everything the nested one does.
        Open& outer = open.back();
        outer.calls |= done.calls;
        outer.saved.insert(outer.saved.end(), done.saved.begin(), done.saved.end());
        Open merged{outer.loop, std::move(outer.saved), false};
        outer.saved.clear();
        load(merged);
        break;
      }
      case Opcode::kCall: case Opcode::kCallIndirect:
        open.back().calls = true;
        break;
      case Opcode::kLocalGet: case Opcode::kLocalSet: case Opcode::kLocalTee:
        if (index < num_locals && count_[index]++ == 0) touched_.push_back(index);
        break;
      default:
        break;
    }
  }
  // Loops left open by a truncated body keep what was counted.
  while (!open.empty()) close();
}

LoopScan::Open LoopScan::close() {
  Open done = std::move(open_.back());
  open_.pop_back();
  flush(done);
  Loop& l = loops_[done.loop];
  l.first = static_cast<uint32_t>(uses_.size());
  l.n = static_cast<uint32_t>(done.saved.size());
  l.calls = done.calls;
  uses_.insert(uses_.end(), done.saved.begin(), done.saved.end());
  return done;
}

const LoopScan::Loop* LoopScan::find(size_t offset) {
  while (next_ < loops_.size() && loops_[next_].body_offset < offset) ++next_;
  if (next_ < loops_.size() && loops_[next_].body_offset == offset) return &loops_[next_];
  return nullptr;
}

}  // namespace brisk::compiler
