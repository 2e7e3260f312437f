// LoopScan: per-loop local-use summaries in one linear pass.
#include "compiler/codegen/loop_scan.h"

#include <algorithm>
#include <array>

#include "compiler/decode/instr.h"

namespace brisk::compiler {

namespace {

// What scan_loop does with an operator, by its first byte: skip it (no
// immediates, or one or two LEB128 ones, with nothing to count); note a
// call; read a local index; a block, loop or if (a one-byte block type read
// here); note a branch (br and br_if, else); or decode it (prefixes,
// br_table, constants of fixed width, ...). `end` has a form of its own.
enum class ScanForm : uint8_t { kDecode, kSkip, kSkipLeb, kSkipMemarg, kCall, kLocal, kBlock, kEnd, kBranch, kBranchLeb };
constexpr std::array<ScanForm, 256> scan_forms() {
  std::array<ScanForm, 256> t{};
  for (uint32_t b = 0; b < 256; ++b) {
    Opcode op = detail::kPlainOps.find(b);
    ScanForm f = ScanForm::kDecode;
    switch (detail::kFastForm[b]) {
      case detail::FastForm::kNone:
        f = op == Opcode::kEnd ? ScanForm::kEnd : op == Opcode::kElse ? ScanForm::kBranch : ScanForm::kSkip;
        break;
      case detail::FastForm::kIndex:
        f = op == Opcode::kLocalGet || op == Opcode::kLocalSet || op == Opcode::kLocalTee ? ScanForm::kLocal
            : op == Opcode::kCall                                                        ? ScanForm::kCall
            : op == Opcode::kBr || op == Opcode::kBrIf                                   ? ScanForm::kBranchLeb
                                                                                         : ScanForm::kSkipLeb;
        break;
      case detail::FastForm::kI32Const: case detail::FastForm::kI64Const: f = ScanForm::kSkipLeb; break;
      case detail::FastForm::kMem: f = ScanForm::kSkipMemarg; break;
      case detail::FastForm::kBlock: f = ScanForm::kBlock; break;
      case detail::FastForm::kSlow: f = ScanForm::kDecode; break;
    }
    t[b] = f;
  }
  return t;
}
constexpr std::array<ScanForm, 256> kScanForm = scan_forms();

}  // namespace

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

bool LoopScan::scan_loop(Reader r, uint32_t num_locals, bool has_data_count) {
  // count_ is all zero between scans (every count is flushed when its loop
  // closes), so it is sized once, not cleared per loop.
  if (count_.size() != num_locals) count_.assign(num_locals, 0);
  std::vector<Open>& open = open_;        // the open loops, innermost last
  std::vector<bool>& is_loop = is_loop_;  // the open blocks: loop or not
  open.clear();
  is_loop.clear();
  is_loop.push_back(true);
  if (give_up_budget_ == kNoBudgetYet) give_up_budget_ = r.remaining();
  first_scanned_ = loops_.size();
  const size_t first_use = uses_.size();
  loops_.push_back({r.offset(), 0, 0, false, 0});
  open.push_back({static_cast<uint32_t>(loops_.size() - 1), {}, false});
  drop_index();
  base_ = r.offset();
  index_ = Index::kListed;
  InstrDecoder dec(has_data_count);
  Instr in;
  const uint8_t* const begin = r.pos();
  const uint8_t* p = begin;
  // Offsets must fit Access::offset_set: a longer body (far above the
  // limit on function bodies) is scanned as far as they do.
  const uint8_t* const end = begin + std::min(r.remaining(), size_t{kPast >> 2});
  // The local accesses, for next_use. Each takes two bytes at least, so
  // the buffer is sized once for all here (and grows for a longer body
  // only): no capacity test per access.
  size_t need = static_cast<size_t>(end - begin) / 2 + 1;
  if (acc_cap_ < need) {
    acc_.reset(new Access[need]);
    acc_cap_ = need;
  }
  Access* out = acc_.get();
  auto skip_leb = [end](const uint8_t* q) {
    while (q < end && (*q++ & 0x80)) {
    }
    return q;
  };
  const uint8_t* start = p;  // the operator at hand
  auto record = [&](uint32_t index, bool write) __attribute__((always_inline)) {
    if (index >= num_locals) return;
    if (count_[index]++ == 0) touched_.push_back(index);
    *out++ = {index, static_cast<uint32_t>(start - begin) << 1 | (write ? 1u : 0u)};
  };
  auto branch = [&]() __attribute__((always_inline)) { branches_.push_back(static_cast<uint32_t>(start - begin)); };
  // At a call: whether to give the loop up (see kGiveUpBytes).
  auto give_up = [&]() __attribute__((always_inline)) {
    size_t n = static_cast<size_t>(p - begin);
    return n > kGiveUpBytes && n <= give_up_budget_;
  };
  // One dispatch per operator on its first byte (kScanForm): most are
  // skipped without decoding their immediates' values (only local indices
  // matter); the rest, and anything odd, go through the decoder.
  while (p < end) {
    start = p;
    Opcode op = Opcode::kCount;
    uint32_t index = 0;
    switch (kScanForm[*p]) {
      case ScanForm::kSkip:
        ++p;
        continue;
      case ScanForm::kSkipLeb:
        p = skip_leb(p + 1);
        continue;
      case ScanForm::kSkipMemarg:
        p = skip_leb(skip_leb(p + 1));
        continue;
      case ScanForm::kCall:
        if (give_up()) [[unlikely]] return abandon(static_cast<size_t>(p - begin), first_use);
        open.back().calls = true;
        p = skip_leb(p + 1);
        continue;
      case ScanForm::kBranch:
        branch();
        ++p;
        continue;
      case ScanForm::kBranchLeb:
        branch();
        p = skip_leb(p + 1);
        continue;
      case ScanForm::kEnd:
        op = Opcode::kEnd;
        ++p;
        break;
      case ScanForm::kLocal: {
        const bool write = detail::kPlainOps.ops[*p] != Opcode::kLocalGet;  // set or tee: the old value is dead
        const uint8_t* q = p + 1;
        if (q < end && *q < 0x80) [[likely]] {  // most indices take one byte
          index = *q++;
        } else {
          for (uint32_t shift = 0; q < end && shift < 35; shift += 7) {
            uint8_t c = *q++;
            index |= static_cast<uint32_t>(c & 0x7f) << shift;
            if (!(c & 0x80)) break;
          }
        }
        p = q;
        record(index, write);
        continue;
      }
      case ScanForm::kBlock:
        // A one-byte block type (empty, a value type, a small type index);
        // 0x63 and 0x64 (ref types) take a heap type after them.
        if (p + 1 < end && p[1] < 0x80 && p[1] != 0x63 && p[1] != 0x64) {
          op = detail::kPlainOps.ops[*p];
          p += 2;
          break;
        }
        [[fallthrough]];
      case ScanForm::kDecode:
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
    if (op == Opcode::kCount) break;
    switch (op) {
      case Opcode::kIf:
        branch();
        is_loop.push_back(false);
        break;
      case Opcode::kBlock:
        is_loop.push_back(false);
        break;
      // Every other way control leaves straight-line code (a future
      // try_table's calls too: they may land in a handler) is a branch.
      case Opcode::kBr: case Opcode::kBrIf: case Opcode::kBrTable: case Opcode::kElse:
        branch();
        break;
      case Opcode::kLoop:
        flush(open.back());
        is_loop.push_back(true);
        loops_.push_back({base_ + static_cast<size_t>(p - begin), 0, 0, false, 0});
        open.push_back({static_cast<uint32_t>(loops_.size() - 1), {}, false});
        break;
      case Opcode::kEnd: {
        bool loop = is_loop.back();
        is_loop.pop_back();
        if (!loop) break;
        loops_[open.back().loop].end_offset = base_ + static_cast<size_t>(start - begin);
        Open done = close();
        if (open.empty()) {  // the scanned loop's end
          p = end;
          break;
        }
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
        if (give_up()) [[unlikely]] return abandon(static_cast<size_t>(p - begin), first_use);
        open.back().calls = true;
        break;
      case Opcode::kLocalGet: case Opcode::kLocalSet: case Opcode::kLocalTee:
        record(index, op != Opcode::kLocalGet);
        break;
      default:
        break;
    }
  }
  acc_n_ = static_cast<uint32_t>(out - acc_.get());
  // Loops left open by a truncated body keep what was counted.
  while (!open.empty()) {
    loops_[open.back().loop].end_offset = base_ + static_cast<size_t>(end - begin);
    close();
  }
  return true;
}

bool LoopScan::abandon(size_t scanned, size_t first_use) {
  give_up_budget_ -= scanned;
  for (uint32_t i : touched_) count_[i] = 0;  // zero between scans
  touched_.clear();
  open_.clear();
  loops_.resize(first_scanned_);
  uses_.resize(first_use);
  drop_index();
  return false;
}

void LoopScan::drop_index() {
  if (index_ == Index::kIndexed) {
    for (uint32_t k = 0; k < acc_n_; ++k) head_[acc_[k].local] = kNone;
  }
  index_ = Index::kNone;
  acc_n_ = 0;
  branches_.clear();
  branch_cursor_ = 0;
  write_cursor_ = 0;
  cursor_ = 0;
  memo_body_ = 0;
  memo_loop_ = nullptr;
}

void LoopScan::index_accesses() {
  // Backwards: each access's next of its local; head_ ends at each local's
  // first. head_ is all kNone here (drop_index ran before the scan).
  index_ = Index::kIndexed;
  if (head_.size() < count_.size()) head_.resize(count_.size(), kNone);  // count_: one per local
  uint32_t n = acc_n_;
  next_same_.resize(n);
  prev_same_.assign(n, kNone);
  for (uint32_t k = n; k-- > 0;) {
    uint32_t& h = head_[acc_[k].local];
    next_same_[k] = h;
    if (h != kNone) prev_same_[h] = k;
    h = k;
  }
}

uint32_t LoopScan::next_use(uint32_t local, size_t at, size_t loop_body) {
  if (index_ == Index::kListed) index_accesses();
  size_t base = base_;
  if (local >= head_.size() || at < base || at - base >= kPast >> 1) return kNever;
  uint32_t rel = static_cast<uint32_t>(at - base);
  auto offset_of = [&](uint32_t k) { return acc_[k].offset_set >> 1; };
  auto is_set = [&](uint32_t k) { return (acc_[k].offset_set & 1) != 0; };
  // The cursor moves past the accesses before `at`.
  uint32_t n = acc_n_;
  while (cursor_ < n && offset_of(cursor_) < rel) {
    uint32_t next = next_same_[cursor_];
    head_[acc_[cursor_].local] = next != kNone ? next : cursor_ | kPast;
    ++cursor_;
  }
  uint32_t h = head_[local];
  if (h == kNone) return kNever;
  bool more = !(h & kPast);
  if (loop_body != memo_body_) {  // asked for each candidate in turn: looked up once
    memo_body_ = loop_body;
    memo_loop_ = nullptr;
    auto it = std::lower_bound(loops_.begin() + static_cast<ptrdiff_t>(first_scanned_), loops_.end(), loop_body,
                               [](const Loop& l, size_t b) { return l.body_offset < b; });
    if (loop_body != 0 && it != loops_.end() && it->body_offset == loop_body) memo_loop_ = &*it;
  }
  const Loop* loop = memo_loop_ && at <= memo_loop_->end_offset ? memo_loop_ : nullptr;
  if (more && (!loop || offset_of(h) < loop->end_offset - base)) return is_set(h) ? kDead : offset_of(h) - rel;
  if (loop) {
    // Not again in this iteration: its first access in the loop's body, if
    // one came before `at`, is where the next iteration uses it. (A local
    // read very often there is looked for a bounded number of steps back.)
    uint32_t body = static_cast<uint32_t>(loop->body_offset - base);
    uint32_t last = more ? prev_same_[h] : h & ~kPast;
    if (last != kNone && offset_of(last) >= body) {
      uint32_t first = last;
      for (int steps = 0; steps < 32 && prev_same_[first] != kNone && offset_of(prev_same_[first]) >= body; ++steps) {
        first = prev_same_[first];
      }
      uint32_t end = static_cast<uint32_t>(loop->end_offset - base);
      return is_set(first) ? kDead : (end - rel) + (offset_of(first) - body);
    }
  }
  return !more ? kNever : is_set(h) ? kDead : offset_of(h) - rel;
}

uint32_t LoopScan::overwritten_first(size_t at, const uint32_t* locals, uint32_t n) {
  if (acc_n_ == 0 || at < base_ || at - base_ >= kPast >> 1) return 0;
  uint32_t rel = static_cast<uint32_t>(at - base_);
  // Cursors of their own (`at` only grows): the first access and the first
  // branch at or after it.
  while (write_cursor_ < acc_n_ && (acc_[write_cursor_].offset_set >> 1) < rel) ++write_cursor_;
  while (branch_cursor_ < branches_.size() && branches_[branch_cursor_] < rel) ++branch_cursor_;
  uint32_t limit = branch_cursor_ < branches_.size() ? branches_[branch_cursor_] : UINT32_MAX;
  // The straight-line stretch up to that branch, as far as kLookAhead
  // accesses: each candidate's first access in it decides.
  constexpr uint32_t kLookAhead = 8;
  uint32_t dead = 0, decided = 0, all = n >= 32 ? ~0u : (1u << n) - 1;
  for (uint32_t k = write_cursor_; k < acc_n_ && k < write_cursor_ + kLookAhead && decided != all; ++k) {
    const Access& a = acc_[k];
    if ((a.offset_set >> 1) >= limit) break;
    for (uint32_t c = 0; c < n && c < 32; ++c) {
      if (locals[c] != a.local || (decided >> c & 1)) continue;
      decided |= 1u << c;
      if (a.offset_set & 1) dead |= 1u << c;
    }
  }
  return dead;
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
