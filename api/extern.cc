// Memories, tables and globals, and what the API says about any Extern.
#include "api/internal.h"
#include "runtime/trap.h"

namespace brisk {

const char* extern_kind_name(const Extern& e) {
  static const char* const kNames[] = {"func", "memory", "table", "global"};
  return kNames[e.index()];
}

ExternType extern_type(const Store& store, const Extern& e) {
  struct V {
    const Store& s;
    ExternType operator()(const Func& f) const { return f.type(s); }
    ExternType operator()(const Memory& m) const { return m.type(s); }
    ExternType operator()(const Table& t) const { return t.type(s); }
    ExternType operator()(const Global& g) const { return g.type(s); }
  };
  return std::visit(V{store}, e);
}

// -- Memory -------------------------------------------------------------------

Result<runtime::LinearMemory*> new_memory(Store::Impl& s, const compiler::MemoryType& type) {
  const compiler::Limits& l = type.limits;
  if (l.min > compiler::kMaxMemoryPages || (l.has_max && l.max < l.min)) {
    return Status(ErrorKind::kInvalid, "invalid memory limits");
  }
  if (s.memories.size() >= s.limits.memories) {
    return Status(ErrorKind::kResource, "store limit reached: at most " + std::to_string(s.limits.memories) +
                                            " memories");
  }
  uint64_t bytes = l.min * compiler::kPageSize;
  if (s.state.limiter && !s.limiter.memory_growing(0, bytes)) {
    return Status(ErrorKind::kResource, "store limit reached: a memory of " + std::to_string(l.min) +
                                            " pages is more than the store allows");
  }
  auto mode = s.engine->config.explicit_bounds_checks ? runtime::BoundsMode::kExplicit
                                                      : runtime::BoundsMode::kGuardPages;
  BRISK_ASSIGN_OR_RETURN(auto mem, runtime::LinearMemory::create(
                                       l.min, l.has_max ? l.max : compiler::kMaxMemoryPages, mode));
  if (s.state.limiter) mem->set_limiter(&s.limiter);
  runtime::LinearMemory* raw = mem.get();
  s.memories.push_back(std::move(mem));
  return raw;
}

Result<Memory> Memory::create(Store& store, const MemoryType& type) {
  Store::Impl& s = A::store(store);
  compiler::MemoryType mt;
  mt.limits = {type.limits.min, type.limits.max, type.limits.has_max};
  BRISK_ASSIGN_OR_RETURN(runtime::LinearMemory * m, new_memory(s, mt));
  return A::memory(m, s.id);
}

uint8_t* Memory::data(const Store& store) const { check_handle(store, store_id_); return mem_->base(); }
size_t Memory::data_size(const Store& store) const { check_handle(store, store_id_); return mem_->size_bytes(); }
uint64_t Memory::pages(const Store& store) const { check_handle(store, store_id_); return mem_->pages(); }

Result<uint64_t> Memory::grow(Store& store, uint64_t delta) const {
  check_handle(store, store_id_);
  int64_t old = mem_->grow(delta);
  if (old < 0) return Status(ErrorKind::kResource, "memory cannot grow by " + std::to_string(delta) + " pages");
  return static_cast<uint64_t>(old);
}

MemoryType Memory::type(const Store& store) const {
  check_handle(store, store_id_);
  MemoryType t;
  t.limits.min = mem_->pages();
  t.limits.max = mem_->max_pages();
  t.limits.has_max = mem_->max_pages() < compiler::kMaxMemoryPages;
  return t;
}

namespace {
Status out_of_range(uint64_t offset, uint64_t size, uint64_t have) {
  return Status(ErrorKind::kInvalid, "memory access [" + std::to_string(offset) + ", +" + std::to_string(size) +
                                         ") is outside the memory (" + std::to_string(have) + " bytes)");
}
}  // namespace

Status Memory::read(const Store& store, uint64_t offset, std::span<uint8_t> out) const {
  check_handle(store, store_id_);
  uint64_t have = mem_->size_bytes();
  if (offset > have || out.size() > have - offset) return out_of_range(offset, out.size(), have);
  if (!out.empty()) memcpy(out.data(), mem_->base() + offset, out.size());
  return Status::ok();
}

Status Memory::write(Store& store, uint64_t offset, std::span<const uint8_t> bytes) const {
  check_handle(store, store_id_);
  uint64_t have = mem_->size_bytes();
  if (offset > have || bytes.size() > have - offset) return out_of_range(offset, bytes.size(), have);
  if (!bytes.empty()) memcpy(mem_->base() + offset, bytes.data(), bytes.size());
  return Status::ok();
}

Result<std::string> Memory::read_string(const Store& store, uint64_t offset, uint64_t size) const {
  check_handle(store, store_id_);
  uint64_t have = mem_->size_bytes();
  if (offset > have || size > have - offset) return out_of_range(offset, size, have);
  return std::string(reinterpret_cast<const char*>(mem_->base() + offset), size);
}

// -- Table --------------------------------------------------------------------

Result<runtime::TableObject*> new_table(Store::Impl& s, compiler::ValType elem, const compiler::Limits& l,
                                        uint64_t init) {
  if (l.has_max && l.max < l.min) return Status(ErrorKind::kInvalid, "invalid table limits");
  if (s.tables.size() >= s.limits.tables) {
    return Status(ErrorKind::kResource, "store limit reached: at most " + std::to_string(s.limits.tables) + " tables");
  }
  if (l.min > s.limits.table_elements) {
    return Status(ErrorKind::kResource, "store limit reached: a table of " + std::to_string(l.min) +
                                            " elements is more than the store allows");
  }
  if (l.min > runtime::kMaxTableElements) return Status(ErrorKind::kResource, "table too large");
  auto t = std::make_unique<runtime::TableObject>();
  t->header.elem = elem;
  t->header.max = l.has_max ? static_cast<uint32_t>(std::min<uint64_t>(l.max, 0xffffffffu)) : 0xffffffffu;
  if (!t->init(static_cast<uint32_t>(l.min), init)) {
    return Status(ErrorKind::kResource, "out of memory allocating a table of " + std::to_string(l.min) + " elements");
  }
  if (s.state.limiter) t->limiter = &s.limiter;
  runtime::TableObject* raw = t.get();
  s.tables.push_back(std::move(t));
  return raw;
}

Result<Table> Table::create(Store& store, const TableType& type, Val init) {
  Store::Impl& s = A::store(store);
  if (init.kind() != type.element) return Status(ErrorKind::kInvalid, "table initial value has the wrong type");
  check_val(s.id, init);
  BRISK_ASSIGN_OR_RETURN(runtime::TableObject * t,
                         new_table(s, to_internal(type.element),
                                   compiler::Limits{type.limits.min, type.limits.max, type.limits.has_max}, init.bits()));
  return A::table(t, s.id);
}

uint32_t Table::size(const Store& store) const { check_handle(store, store_id_); return table_->header.size; }

std::optional<Val> Table::get(const Store& store, uint32_t index) const {
  check_handle(store, store_id_);
  if (index >= table_->header.size) return std::nullopt;
  uint64_t bits = table_->elements()[index];
  if (table_->header.elem == compiler::ValType::kFuncRef) {
    return A::funcref(reinterpret_cast<runtime::FuncRef*>(static_cast<uintptr_t>(bits)), store_id_);
  }
  return Val::from_bits(to_api(table_->header.elem), bits);
}

Status Table::set(Store& store, uint32_t index, Val value) const {
  check_handle(store, store_id_);
  if (to_internal(value.kind()) != table_->header.elem) return Status(ErrorKind::kInvalid, "table element type mismatch");
  check_val(store_id_, value);
  if (index >= table_->header.size) {
    return Status::trap(static_cast<uint32_t>(runtime::TrapCode::kTableOutOfBounds), "out of bounds table access");
  }
  table_->elements()[index] = value.bits();
  return Status::ok();
}

Result<uint32_t> Table::grow(Store& store, uint32_t delta, Val init) const {
  check_handle(store, store_id_);
  if (to_internal(init.kind()) != table_->header.elem) return Status(ErrorKind::kInvalid, "table element type mismatch");
  check_val(store_id_, init);
  int64_t old = table_->grow(delta, init.bits());
  if (old < 0) return Status(ErrorKind::kResource, "table cannot grow by " + std::to_string(delta) + " elements");
  return static_cast<uint32_t>(old);
}

TableType Table::type(const Store& store) const {
  check_handle(store, store_id_);
  TableType t;
  t.element = to_api(table_->header.elem);
  t.limits.min = table_->header.size;
  t.limits.max = table_->header.max;
  t.limits.has_max = table_->header.max != 0xffffffffu;
  return t;
}

// -- Global -------------------------------------------------------------------

Result<Global> Global::create(Store& store, const GlobalType& type, Val init) {
  if (init.kind() != type.kind) return Status(ErrorKind::kInvalid, "global initial value has the wrong type");
  check_val(A::store(store).id, init);
  auto c = std::make_unique<Cell>();
  c->type.type = to_internal(type.kind);
  c->type.mut = type.mut;
  c->value = c->storage;
  put_val(c->storage, 0, init);
  Store::Impl& s = A::store(store);
  Global g = A::global(c.get(), s.id);
  s.globals.push_back(std::move(c));
  return g;
}

Val Global::get(const Store& store) const {
  check_handle(store, store_id_);
  Val v;
  get_val(cell_->value, 0, to_api(cell_->type.type), &v, store_id_);
  return v;
}

Status Global::set(Store& store, Val value) const {
  check_handle(store, store_id_);
  if (!cell_->type.mut) return Status(ErrorKind::kInvalid, "global is immutable");
  if (to_internal(value.kind()) != cell_->type.type) return Status(ErrorKind::kInvalid, "type mismatch");
  check_val(store_id_, value);
  put_val(cell_->value, 0, value);
  return Status::ok();
}

GlobalType Global::type(const Store& store) const {
  check_handle(store, store_id_);
  return GlobalType{to_api(cell_->type.type), cell_->type.mut};
}

}  // namespace brisk
