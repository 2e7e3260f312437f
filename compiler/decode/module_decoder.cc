// Section-by-section decoding of a Wasm binary (spec 5.5), with the
// module-level validation rules of spec 3.4 applied as each part is read.
#include "compiler/decode/module_decoder.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <string>

#include "compiler/decode/instr.h"
#include "compiler/decode/reader.h"

namespace brisk::compiler {

bool is_valid_utf8(const uint8_t* p, size_t n) {
  size_t i = 0;
  while (i < n) {
    // ASCII eight bytes at a time (names are mostly ASCII: duckdb has 7 MB).
    for (uint64_t w; i + 8 <= n && (memcpy(&w, p + i, 8), (w & 0x8080808080808080ull) == 0);) i += 8;
    if (i == n) break;
    uint8_t b = p[i];
    if (b < 0x80) { ++i; continue; }
    uint32_t cp;
    size_t len;
    if ((b & 0xe0) == 0xc0) { cp = b & 0x1f; len = 2; }
    else if ((b & 0xf0) == 0xe0) { cp = b & 0x0f; len = 3; }
    else if ((b & 0xf8) == 0xf0) { cp = b & 0x07; len = 4; }
    else return false;
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

namespace {

// The export names seen so far, for the duplicate check: open addressing in
// one array that doubles at half load (duckdb's 75,000 exports cost 25 ms a
// decode in a node-per-name std::unordered_set, most of it to free the nodes).
class NameSet {
 public:
  /// False if `name` was inserted before.
  bool insert(std::string_view name) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    size_t h = std::hash<std::string_view>{}(name);
    for (size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& s = slots_[i];
      if (!s.data) {
        s = {name.data(), name.size(), h};
        ++size_;
        return true;
      }
      if (s.hash == h && std::string_view(s.data, s.size) == name) return false;
    }
  }

 private:
  struct Slot {
    const char* data = nullptr;  // into the module's bytes: never null when used
    size_t size = 0;
    size_t hash = 0;
  };
  void grow() {
    std::vector<Slot> old(std::max<size_t>(16, 2 * slots_.size()));
    old.swap(slots_);
    for (const Slot& s : old) {
      if (!s.data) continue;
      size_t i = s.hash & (slots_.size() - 1);
      while (slots_[i].data) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  size_t size_ = 0;
};

enum SectionId : uint8_t {
  kCustom = 0, kType = 1, kImport = 2, kFunction = 3, kTable = 4, kMemory = 5, kGlobal = 6,
  kExport = 7, kStart = 8, kElement = 9, kCode = 10, kData = 11, kDataCount = 12,
};

// Position of each known section in the required order (datacount sits
// between element and code).
int section_rank(uint8_t id) {
  static constexpr int kRank[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};
  return kRank[id];
}

class ModuleDecoder {
 public:
  explicit ModuleDecoder(std::vector<uint8_t> bytes) : module_(std::make_unique<Module>()) {
    module_->bytes = std::move(bytes);
  }

  Result<std::unique_ptr<Module>> run() {
    BRISK_TRY(decode());
    if (!deferred_.is_ok()) {
      // Decoding precedes validation: a malformed body still wins.
      for (uint32_t i = 0; i < module_->num_defined_funcs(); ++i) {
        BRISK_TRY(scan_function_body(*module_, i));
      }
      return deferred_;
    }
    return std::move(module_);
  }

 private:
  Status decode();
  Status section(uint8_t id, Reader& r);
  Status type_section(Reader& r);
  Status import_section(Reader& r);
  Status function_section(Reader& r);
  Status table_section(Reader& r);
  Status memory_section(Reader& r);
  Status global_section(Reader& r);
  Status export_section(Reader& r);
  Status start_section(Reader& r);
  Status element_section(Reader& r);
  Status code_section(Reader& r);
  Status data_section(Reader& r);
  Status custom_section(Reader& r);
  void name_section(Reader r);
  bool read_func_names(Reader& s, uint32_t count);  // false at an error
  void sort_func_names();

  Status limits(Reader& r, Limits& out, bool memory);
  Status table_type(Reader& r, TableType& out);
  Status memory_type(Reader& r, MemoryType& out);
  Status global_type(Reader& r, GlobalType& out);
  /// A constant expression of type `expected`; `num_globals` bounds global.get.
  Status const_expr(Reader& r, ValType expected, uint32_t num_globals, ConstExpr& out);
  Result<uint32_t> count(Reader& r);

  /// Records the first validation error; decoding goes on so that a later
  /// malformedness is still reported first.
  void invalid(std::string msg, size_t offset) {
    if (deferred_.is_ok()) deferred_ = Status::invalid(std::move(msg), static_cast<int64_t>(offset));
  }
  static std::string unknown(const char* what, uint32_t index) {
    return std::string("unknown ") + what + " " + std::to_string(index);
  }

  std::unique_ptr<Module> module_;
  Status deferred_;
  uint32_t declared_func_count_ = 0;  // from the function section
  bool saw_function_section_ = false;
  bool saw_code_section_ = false;
  bool saw_data_section_ = false;
};

Result<uint32_t> ModuleDecoder::count(Reader& r) { return r.u32(); }

Status ModuleDecoder::decode() {
  Module& m = *module_;
  Reader r(m.bytes.data(), m.bytes.data() + m.bytes.size(), 0, false);
  BRISK_ASSIGN_OR_RETURN(uint32_t magic, r.u32_fixed());
  if (magic != 0x6d736100) return r.error_at(0, "magic header not detected");
  BRISK_ASSIGN_OR_RETURN(uint32_t version, r.u32_fixed());
  if (version != 1) return r.error_at(4, "unknown binary version");

  int last_rank = 0;
  while (!r.at_end()) {
    size_t id_at = r.offset();
    BRISK_ASSIGN_OR_RETURN(uint8_t id, r.u8());
    if (id == 13) {
      return r.error_at(id_at, "malformed section id: 13 is the tag section; exception handling is not supported");
    }
    if (id > kDataCount) return r.error_at(id_at, "malformed section id");
    BRISK_ASSIGN_OR_RETURN(uint32_t size, r.u32());
    BRISK_ASSIGN_OR_RETURN(Reader sr, r.sub_reader(size));
    if (id != kCustom) {
      int rank = section_rank(id);
      if (rank <= last_rank) return r.error_at(id_at, "unexpected content after last section");
      last_rank = rank;
    }
    BRISK_TRY(section(id, sr));
    if (!sr.at_end()) return sr.error("section size mismatch");
  }

  if (m.bodies.size() != declared_func_count_) {
    return r.error("function and code section have inconsistent lengths");
  }
  if (m.data_count && *m.data_count != m.datas.size()) {
    return r.error("data count and data section have inconsistent lengths");
  }
  // C.refs: ref.func in bodies may only name functions referenced elsewhere.
  m.declared_funcs.resize(m.funcs.size(), false);
  for (const Export& e : m.exports) {
    if (e.kind == ExternKind::kFunc && e.index < m.funcs.size()) m.declared_funcs[e.index] = true;
  }
  auto declare = [&](const ConstExpr& c) {
    if (c.kind == ConstExpr::Kind::kRefFunc && c.index < m.funcs.size()) m.declared_funcs[c.index] = true;
  };
  for (const ConstExpr& c : m.global_inits) declare(c);
  for (const ElemSegment& s : m.elems) {
    for (ElemItem item : s.items) {
      if (item.kind() == ElemItem::Kind::kRefFunc && item.index() < m.funcs.size()) m.declared_funcs[item.index()] = true;
    }
  }
  return Status::ok();
}

Status ModuleDecoder::section(uint8_t id, Reader& r) {
  switch (id) {
    case kCustom: return custom_section(r);
    case kType: return type_section(r);
    case kImport: return import_section(r);
    case kFunction: return function_section(r);
    case kTable: return table_section(r);
    case kMemory: return memory_section(r);
    case kGlobal: return global_section(r);
    case kExport: return export_section(r);
    case kStart: return start_section(r);
    case kElement: return element_section(r);
    case kCode: return code_section(r);
    case kData: return data_section(r);
    case kDataCount: {
      BRISK_ASSIGN_OR_RETURN(uint32_t n, r.u32());
      module_->data_count = n;
      return Status::ok();
    }
  }
  return r.error("malformed section id");
}

Status ModuleDecoder::type_section(Reader& r) {
  BRISK_ASSIGN_OR_RETURN(uint32_t n, count(r));
  for (uint32_t i = 0; i < n; ++i) {
    size_t at = r.offset();
    BRISK_ASSIGN_OR_RETURN(uint8_t form, r.u8());
    if (form & 0x80) return r.error_at(at, "integer representation too long");  // s7 form
    if (form == 0x5e || form == 0x5f || form == 0x4e || form == 0x50 || form == 0x4f) {
      return r.error_at(at, "malformed function type: garbage collection is not supported");
    }
    if (form != 0x60) return r.error_at(at, "malformed function type");
    FuncType ft;
    BRISK_ASSIGN_OR_RETURN(uint32_t np, r.u32());
    for (uint32_t k = 0; k < np; ++k) {
      BRISK_ASSIGN_OR_RETURN(ValType t, read_val_type(r));
      ft.params.push_back(t);
    }
    BRISK_ASSIGN_OR_RETURN(uint32_t nr, r.u32());
    for (uint32_t k = 0; k < nr; ++k) {
      BRISK_ASSIGN_OR_RETURN(ValType t, read_val_type(r));
      ft.results.push_back(t);
    }
    module_->types.push_back(std::move(ft));
  }
  return Status::ok();
}

Status ModuleDecoder::limits(Reader& r, Limits& out, bool memory) {
  size_t at = r.offset();
  // The flag is a one-byte LEB128 (spec: u1 in Wasm 1.0, a flags byte since).
  BRISK_ASSIGN_OR_RETURN(uint8_t flags, r.u8());
  if (flags & 0x80) return r.error_at(at, "integer representation too long");
  if (flags > 1) {
    // Flag bits of later proposals: shared (threads), 64-bit indices, page sizes.
    const char* p = flags & 8 ? "custom page sizes" : flags & 4 ? "memory64" : flags & 2 ? "threads" : nullptr;
    if (p && flags < 16) return r.error_at(at, std::string("integer too large: ") + p + " is not supported");
    return r.error_at(at, "integer too large");
  }
  out.has_max = flags == 1;
  BRISK_ASSIGN_OR_RETURN(uint32_t min, r.u32());
  out.min = min;
  if (out.has_max) {
    BRISK_ASSIGN_OR_RETURN(uint32_t max, r.u32());
    out.max = max;
  }
  if (memory) {
    if (out.min > kMaxMemoryPages || (out.has_max && out.max > kMaxMemoryPages)) {
      invalid("memory size must be at most 65536 pages (4GiB)", at);
    }
  }
  if (out.has_max && out.min > out.max) invalid("size minimum must not be greater than maximum", at);
  return Status::ok();
}

Status ModuleDecoder::table_type(Reader& r, TableType& out) {
  BRISK_ASSIGN_OR_RETURN(out.elem, read_ref_type(r));
  return limits(r, out.limits, false);
}

Status ModuleDecoder::memory_type(Reader& r, MemoryType& out) { return limits(r, out.limits, true); }

Status ModuleDecoder::global_type(Reader& r, GlobalType& out) {
  BRISK_ASSIGN_OR_RETURN(out.type, read_val_type(r));
  size_t at = r.offset();
  BRISK_ASSIGN_OR_RETURN(uint8_t mut, r.u8());
  if (mut > 1) return r.error_at(at, "malformed mutability");
  out.mut = mut == 1;
  return Status::ok();
}

Status ModuleDecoder::import_section(Reader& r) {
  Module& m = *module_;
  BRISK_ASSIGN_OR_RETURN(uint32_t n, count(r));
  for (uint32_t i = 0; i < n; ++i) {
    Import imp;
    BRISK_ASSIGN_OR_RETURN(std::string_view mod, r.name());
    BRISK_ASSIGN_OR_RETURN(std::string_view name, r.name());
    imp.module = mod;
    imp.name = name;
    size_t at = r.offset();
    BRISK_ASSIGN_OR_RETURN(uint8_t kind, r.u8());
    switch (kind) {
      case 0: {
        imp.kind = ExternKind::kFunc;
        size_t idx_at = r.offset();
        BRISK_ASSIGN_OR_RETURN(imp.type_index, r.u32());
        if (imp.type_index >= m.types.size()) invalid(unknown("type", imp.type_index), idx_at);
        m.funcs.push_back(imp.type_index);
        ++m.num_imported_funcs;
        break;
      }
      case 1:
        imp.kind = ExternKind::kTable;
        BRISK_TRY(table_type(r, imp.table));
        m.tables.push_back(imp.table);
        ++m.num_imported_tables;
        break;
      case 2:
        imp.kind = ExternKind::kMemory;
        BRISK_TRY(memory_type(r, imp.memory));
        m.memories.push_back(imp.memory);
        ++m.num_imported_memories;
        if (m.memories.size() > 1) invalid("multiple memories: multi-memory is not supported", at);
        break;
      case 3:
        imp.kind = ExternKind::kGlobal;
        BRISK_TRY(global_type(r, imp.global));
        m.globals.push_back(imp.global);
        ++m.num_imported_globals;
        break;
      default:
        return r.error_at(at, "malformed import kind");
    }
    m.imports.push_back(std::move(imp));
  }
  return Status::ok();
}

Status ModuleDecoder::function_section(Reader& r) {
  Module& m = *module_;
  saw_function_section_ = true;
  BRISK_ASSIGN_OR_RETURN(uint32_t n, count(r));
  if (n > r.remaining()) return r.error_eof();
  declared_func_count_ = n;
  for (uint32_t i = 0; i < n; ++i) {
    size_t at = r.offset();
    BRISK_ASSIGN_OR_RETURN(uint32_t t, r.u32());
    if (t >= m.types.size()) invalid(unknown("type", t), at);
    m.funcs.push_back(t);
  }
  return Status::ok();
}

Status ModuleDecoder::table_section(Reader& r) {
  BRISK_ASSIGN_OR_RETURN(uint32_t n, count(r));
  for (uint32_t i = 0; i < n; ++i) {
    TableType t;
    BRISK_TRY(table_type(r, t));
    module_->tables.push_back(t);
  }
  return Status::ok();
}

Status ModuleDecoder::memory_section(Reader& r) {
  BRISK_ASSIGN_OR_RETURN(uint32_t n, count(r));
  for (uint32_t i = 0; i < n; ++i) {
    size_t at = r.offset();
    MemoryType t;
    BRISK_TRY(memory_type(r, t));
    module_->memories.push_back(t);
    if (module_->memories.size() > 1) invalid("multiple memories: multi-memory is not supported", at);
  }
  return Status::ok();
}

Status ModuleDecoder::const_expr(Reader& r, ValType expected, uint32_t num_globals, ConstExpr& out) {
  Module& m = *module_;
  InstrDecoder dec(true);
  Instr in;
  int produced = 0;
  bool type_ok = true;
  bool constant = true;
  size_t start = r.offset();
  for (;;) {
    BRISK_TRY(dec.next(r, in));
    if (in.op == Opcode::kEnd) break;
    ++produced;
    ValType t = ValType::kBottom;
    switch (in.op) {
      case Opcode::kI32Const:
        out.kind = ConstExpr::Kind::kI32; t = ValType::kI32;
        out.bits[0] = static_cast<uint32_t>(in.imm.i32);
        break;
      case Opcode::kI64Const:
        out.kind = ConstExpr::Kind::kI64; t = ValType::kI64;
        out.bits[0] = static_cast<uint64_t>(in.imm.i64);
        break;
      case Opcode::kF32Const:
        out.kind = ConstExpr::Kind::kF32; t = ValType::kF32;
        out.bits[0] = in.imm.f32_bits;
        break;
      case Opcode::kF64Const:
        out.kind = ConstExpr::Kind::kF64; t = ValType::kF64;
        out.bits[0] = in.imm.f64_bits;
        break;
      case Opcode::kV128Const:
        out.kind = ConstExpr::Kind::kV128; t = ValType::kV128;
        memcpy(out.bits, in.v128, 16);
        break;
      case Opcode::kRefNull:
        out.kind = ConstExpr::Kind::kRefNull; t = in.type;
        break;
      case Opcode::kRefFunc:
        out.kind = ConstExpr::Kind::kRefFunc; t = ValType::kFuncRef;
        out.index = in.index;
        if (in.index >= m.funcs.size()) {
          invalid(unknown("function", in.index), in.offset);
          type_ok = false;
        }
        break;
      case Opcode::kGlobalGet:
        out.kind = ConstExpr::Kind::kGlobalGet;
        out.index = in.index;
        if (in.index >= num_globals) {
          invalid(unknown("global", in.index), in.offset);
          type_ok = false;
        } else {
          t = m.globals[in.index].type;
          if (m.globals[in.index].mut) {
            invalid("constant expression required", in.offset);
            type_ok = false;
          }
        }
        break;
      case Opcode::kI32Add: case Opcode::kI32Sub: case Opcode::kI32Mul:
      case Opcode::kI64Add: case Opcode::kI64Sub: case Opcode::kI64Mul:
        if (constant) invalid("constant expression required: extended constant expressions are not supported", in.offset);
        constant = false;
        break;
      default:
        if (constant) invalid("constant expression required", in.offset);
        constant = false;
        break;
    }
    out.type = t;
    if (t != expected && t != ValType::kBottom) type_ok = false;
  }
  if (constant && type_ok && produced != 1) invalid("type mismatch", start);
  if (constant && produced == 1 && out.type != expected && out.type != ValType::kBottom) {
    invalid("type mismatch", start);
  }
  return Status::ok();
}

Status ModuleDecoder::global_section(Reader& r) {
  Module& m = *module_;
  BRISK_ASSIGN_OR_RETURN(uint32_t n, count(r));
  for (uint32_t i = 0; i < n; ++i) {
    GlobalType gt;
    BRISK_TRY(global_type(r, gt));
    ConstExpr init;
    // Wasm 2.0: initialisers may read imported globals only.
    BRISK_TRY(const_expr(r, gt.type, m.num_imported_globals, init));
    m.globals.push_back(gt);
    m.global_inits.push_back(init);
  }
  return Status::ok();
}

Status ModuleDecoder::export_section(Reader& r) {
  Module& m = *module_;
  BRISK_ASSIGN_OR_RETURN(uint32_t n, count(r));
  NameSet names;
  for (uint32_t i = 0; i < n; ++i) {
    size_t name_at = r.offset();
    BRISK_ASSIGN_OR_RETURN(std::string_view name, r.name());
    Export e;
    e.name = name;
    size_t at = r.offset();
    BRISK_ASSIGN_OR_RETURN(uint8_t kind, r.u8());
    if (kind > 3) return r.error_at(at, "malformed export kind");
    e.kind = static_cast<ExternKind>(kind);
    size_t idx_at = r.offset();
    BRISK_ASSIGN_OR_RETURN(e.index, r.u32());
    size_t limit = 0;
    const char* what = "";
    switch (e.kind) {
      case ExternKind::kFunc: limit = m.funcs.size(); what = "function"; break;
      case ExternKind::kTable: limit = m.tables.size(); what = "table"; break;
      case ExternKind::kMemory: limit = m.memories.size(); what = "memory"; break;
      case ExternKind::kGlobal: limit = m.globals.size(); what = "global"; break;
    }
    if (e.index >= limit) invalid(unknown(what, e.index), idx_at);
    if (!names.insert(name)) invalid("duplicate export name", name_at);
    m.exports.push_back(std::move(e));
  }
  return Status::ok();
}

Status ModuleDecoder::start_section(Reader& r) {
  Module& m = *module_;
  size_t at = r.offset();
  BRISK_ASSIGN_OR_RETURN(uint32_t f, r.u32());
  if (f >= m.funcs.size()) {
    invalid(unknown("function", f), at);
  } else if (m.funcs[f] < m.types.size()) {
    const FuncType& ft = m.func_type(f);
    if (!ft.params.empty() || !ft.results.empty()) invalid("start function", at);
  }
  m.start = f;
  return Status::ok();
}

Status ModuleDecoder::element_section(Reader& r) {
  Module& m = *module_;
  BRISK_ASSIGN_OR_RETURN(uint32_t n, count(r));
  for (uint32_t i = 0; i < n; ++i) {
    size_t at = r.offset();
    BRISK_ASSIGN_OR_RETURN(uint32_t flags, r.u32());
    if (flags > 7) return r.error_at(at, "malformed elements segment kind");
    ElemSegment seg;
    // Bit 0: passive or declarative (else active); bit 1: explicit table
    // index (active) or declarative (else passive); bit 2: expressions
    // instead of function indices.
    bool non_active = flags & 1;
    bool bit1 = flags & 2;
    bool exprs = flags & 4;
    seg.mode = !non_active ? SegmentMode::kActive : bit1 ? SegmentMode::kDeclarative : SegmentMode::kPassive;
    if (seg.mode == SegmentMode::kActive) {
      if (bit1) {
        BRISK_ASSIGN_OR_RETURN(seg.table, r.u32());
      }
      BRISK_TRY(const_expr(r, ValType::kI32, m.num_imported_globals, seg.offset));
    }
    // Forms 1-3 and 5-7 name the element kind / type; 0 and 4 imply funcref.
    if (non_active || bit1) {
      if (exprs) {
        BRISK_ASSIGN_OR_RETURN(seg.type, read_ref_type(r));
      } else {
        size_t k_at = r.offset();
        BRISK_ASSIGN_OR_RETURN(uint8_t kind, r.u8());
        if (kind != 0) return r.error_at(k_at, "malformed element kind");
        seg.type = ValType::kFuncRef;
      }
    }
    size_t count_at = r.offset();
    BRISK_ASSIGN_OR_RETURN(uint32_t count, r.u32());
    if (count > r.remaining()) return r.error_eof();
    // No table can hold more (wasmparser has the same limit).
    if (count > kMaxTableElements) {
      return r.error_at(count_at, "element segment of " + std::to_string(count) +
                                      " items is over the implementation limit of " +
                                      std::to_string(kMaxTableElements));
    }
    seg.items.resize(count);
    for (uint32_t k = 0; k < count; ++k) {
      if (exprs) {
        ConstExpr e;
        BRISK_TRY(const_expr(r, seg.type, m.num_imported_globals, e));
        seg.items[k] = e.kind == ConstExpr::Kind::kRefFunc ? ElemItem::ref_func(e.index)
                       : e.kind == ConstExpr::Kind::kGlobalGet ? ElemItem::global_get(e.index)
                                                               : ElemItem::ref_null();
      } else {
        size_t f_at = r.offset();
        BRISK_ASSIGN_OR_RETURN(uint32_t f, r.u32());
        if (f >= m.funcs.size()) invalid(unknown("function", f), f_at);
        seg.items[k] = ElemItem::ref_func(f);
      }
    }
    if (seg.mode == SegmentMode::kActive) {
      if (seg.table >= m.tables.size()) {
        invalid(unknown("table", seg.table), at);
      } else if (m.tables[seg.table].elem != seg.type) {
        invalid("type mismatch", at);
      }
    }
    m.elems.push_back(std::move(seg));
  }
  return Status::ok();
}

Status ModuleDecoder::code_section(Reader& r) {
  Module& m = *module_;
  saw_code_section_ = true;
  size_t at = r.offset();
  BRISK_ASSIGN_OR_RETURN(uint32_t n, count(r));
  if (n != declared_func_count_) {
    return r.error_at(at, "function and code section have inconsistent lengths");
  }
  m.bodies.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    size_t size_at = r.offset();
    BRISK_ASSIGN_OR_RETURN(uint32_t size, r.u32());
    // Implementation limit (V8's): keeps every frame offset well inside 32 bits.
    if (size > kMaxFunctionBodySize) {
      return Status(ErrorKind::kUnsupported, "function body too large (" + std::to_string(size) + " bytes)",
                    static_cast<int64_t>(size_at));
    }
    uint32_t offset = static_cast<uint32_t>(r.offset());
    BRISK_TRY(r.sub_reader(size).take_status());  // bounds only; bodies are read when compiled
    m.bodies.push_back(FuncBody{offset, size});
  }
  return Status::ok();
}

Status ModuleDecoder::data_section(Reader& r) {
  Module& m = *module_;
  saw_data_section_ = true;
  size_t at = r.offset();
  BRISK_ASSIGN_OR_RETURN(uint32_t n, count(r));
  if (m.data_count && *m.data_count != n) {
    return r.error_at(at, "data count and data section have inconsistent lengths");
  }
  // Room for them all at once (esbuild has 98,450): a segment takes three
  // bytes at least, so a false count cannot reserve much.
  m.datas.reserve(std::min<size_t>(n, r.remaining() / 3));
  for (uint32_t i = 0; i < n; ++i) {
    size_t seg_at = r.offset();
    BRISK_ASSIGN_OR_RETURN(uint32_t flags, r.u32());
    DataSegment seg;
    switch (flags) {
      case 0:
        seg.mode = SegmentMode::kActive;
        break;
      case 1:
        seg.mode = SegmentMode::kPassive;
        break;
      case 2: {
        seg.mode = SegmentMode::kActive;
        BRISK_ASSIGN_OR_RETURN(seg.memory, r.u32());
        break;
      }
      default:
        return r.error_at(seg_at, "malformed data segment kind");
    }
    if (seg.mode == SegmentMode::kActive) {
      BRISK_TRY(const_expr(r, ValType::kI32, m.num_imported_globals, seg.offset));
      if (seg.memory >= m.memories.size()) invalid(unknown("memory", seg.memory), seg_at);
    }
    BRISK_ASSIGN_OR_RETURN(uint32_t len, r.u32());
    seg.bytes_offset = static_cast<uint32_t>(r.offset());
    seg.size = len;
    BRISK_TRY(r.bytes(len).take_status());
    m.datas.push_back(seg);
  }
  return Status::ok();
}

Status ModuleDecoder::custom_section(Reader& r) {
  BRISK_ASSIGN_OR_RETURN(std::string_view name, r.name());
  if (name == "name") name_section(r);
  r.set_pos(r.end());  // the payload is not ours to judge
  return Status::ok();
}

// The name section is advisory: any error just stops reading it.
void ModuleDecoder::name_section(Reader r) {
  Module& m = *module_;
  while (!r.at_end()) {
    auto id = r.u8();
    if (!id) return;
    auto size = r.u32();
    if (!size) return;
    auto sub = r.sub_reader(*size);
    if (!sub) return;
    Reader s = *sub;
    if (*id == 0) {
      auto n = s.name();
      if (n) m.module_name = std::string(*n);
    } else if (*id == 1) {
      auto count = s.u32();
      if (!count) return;
      m.func_names.clear();
      m.func_names.reserve(std::min<size_t>(*count, s.remaining() / 2));
      bool whole = read_func_names(s, *count);  // else up to an error: the names before it are kept
      sort_func_names();
      if (!whole) return;
    }
  }
}

bool ModuleDecoder::read_func_names(Reader& s, uint32_t count) {
  Module& m = *module_;
  for (uint32_t i = 0; i < count; ++i) {
    auto idx = s.u32();
    if (!idx) return false;
    auto n = s.name();
    if (!n) return false;
    auto offset = static_cast<uint32_t>(reinterpret_cast<const uint8_t*>(n->data()) - m.bytes.data());
    m.func_names.push_back({*idx, offset, static_cast<uint32_t>(n->size())});
  }
  return true;
}

// By index, the last name given to an index kept (names come in order in
// practice: then this only looks).
void ModuleDecoder::sort_func_names() {
  std::vector<Module::FuncName>& v = module_->func_names;
  auto before = [](const Module::FuncName& a, const Module::FuncName& b) { return a.func_index < b.func_index; };
  if (std::adjacent_find(v.begin(), v.end(), [&](const auto& a, const auto& b) { return !before(a, b); }) == v.end()) {
    return;
  }
  std::stable_sort(v.begin(), v.end(), before);
  size_t w = 0;
  for (size_t r = 0; r < v.size(); ++r) {
    if (w > 0 && v[w - 1].func_index == v[r].func_index) v[w - 1] = v[r];
    else v[w++] = v[r];
  }
  v.resize(w);
}

}  // namespace

Result<std::unique_ptr<Module>> decode_module(const uint8_t* bytes, size_t size) {
  return ModuleDecoder(std::vector<uint8_t>(bytes, bytes + size)).run();
}

Result<std::unique_ptr<Module>> decode_module(std::vector<uint8_t> bytes) {
  return ModuleDecoder(std::move(bytes)).run();
}

Status scan_function_body(const Module& module, uint32_t defined_index) {
  const FuncBody& body = module.bodies[defined_index];
  Reader r(module.bytes.data() + body.offset, module.bytes.data() + body.offset + body.size,
           body.offset, true);
  BRISK_ASSIGN_OR_RETURN(uint32_t groups, r.u32());
  uint32_t type_index = module.funcs[module.num_imported_funcs + defined_index];
  uint64_t total = type_index < module.types.size() ? module.types[type_index].params.size() : 0;
  for (uint32_t i = 0; i < groups; ++i) {
    size_t at = r.offset();
    BRISK_ASSIGN_OR_RETURN(uint32_t n, r.u32());
    total += n;
    if (total > kMaxLocals) return r.error_at(at, "too many locals");
    BRISK_ASSIGN_OR_RETURN(ValType t, read_val_type(r));
    (void)t;
  }
  InstrDecoder dec(module.data_count.has_value());
  Instr in;
  uint32_t depth = 1;
  while (depth > 0) {
    if (r.at_end()) return r.error("END opcode expected");
    BRISK_TRY(dec.next(r, in));
    if (in.op == Opcode::kBlock || in.op == Opcode::kLoop || in.op == Opcode::kIf) ++depth;
    if (in.op == Opcode::kEnd) --depth;
  }
  if (!r.at_end()) return r.error("section size mismatch");
  return Status::ok();
}

}  // namespace brisk::compiler
