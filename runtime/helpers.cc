// Runtime functions called from generated code for the operations that are
// not worth inlining (bulk memory, table growth, segment management). Each
// returns a trap code (0 = none) unless it returns a size.
#include <cstring>

#include "runtime/instance.h"

namespace brisk::runtime {

bool TableObject::init(uint32_t size, uint64_t value) {
  header.size = 0;
  return size == 0 || grow(size, value) == 0;
}

int64_t TableObject::grow(uint32_t delta, uint64_t value) {
  uint64_t old = header.size;
  uint64_t want = old + delta;
  if (want > header.max || want > kMaxTableElements) return -1;
  if (delta == 0) return static_cast<int64_t>(old);
  if (limiter && !limiter->table_growing(old, want)) return -1;
  auto* data = static_cast<uint64_t*>(realloc(header.data, want * sizeof(uint64_t)));
  if (!data) return -1;
  for (uint64_t i = old; i < want; ++i) data[i] = value;
  header.data = data;
  header.size = static_cast<uint32_t>(want);
  return static_cast<int64_t>(old);
}

TrapCode init_memory(Instance& inst, uint32_t seg, uint64_t dst, uint64_t src, uint64_t n) {
  const wasm::DataSegment& d = inst.module->datas[seg];
  uint64_t len = inst.data_dropped[seg] ? 0 : d.size;
  uint64_t mem = inst.memory ? inst.memory->size_bytes() : 0;
  if (src + n > len || dst + n > mem) return TrapCode::kMemoryOutOfBounds;
  if (n) memcpy(inst.memory->base() + dst, inst.module->bytes.data() + d.bytes_offset + src, n);
  return TrapCode::kNone;
}

uint64_t elem_item_value(const Instance& inst, wasm::ElemItem item) {
  switch (item.kind()) {
    case wasm::ElemItem::Kind::kRefFunc: return reinterpret_cast<uintptr_t>(inst.func_refs[item.index()]);
    case wasm::ElemItem::Kind::kGlobalGet: return *inst.global_values[item.index()];
    case wasm::ElemItem::Kind::kRefNull: break;
  }
  return 0;
}

TrapCode init_table(Instance& inst, uint32_t table, uint32_t seg, uint64_t dst, uint64_t src, uint64_t n) {
  // Items are evaluated here rather than at instantiation: ref.func is fixed
  // per instance and global.get reads an immutable global, so the result is
  // the same, and an instance holds no copy of its segments.
  const std::vector<wasm::ElemItem>& items = inst.module->elems[seg].items;
  uint64_t len = inst.elem_dropped[seg] ? 0 : items.size();
  TableObject* t = inst.tables[table];
  if (src + n > len || dst + n > t->header.size) return TrapCode::kTableOutOfBounds;
  for (uint64_t i = 0; i < n; ++i) t->elements()[dst + i] = elem_item_value(inst, items[src + i]);
  return TrapCode::kNone;
}

namespace {

uint32_t memory_grow(void* vm, uint32_t delta) {
  Instance* inst = Instance::from_vmctx(vm);
  if (!inst->memory) return UINT32_MAX;
  return static_cast<uint32_t>(inst->memory->grow(delta));
}

uint32_t memory_init(void* vm, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n) {
  return static_cast<uint32_t>(init_memory(*Instance::from_vmctx(vm), seg, dst, src, n));
}

uint32_t data_drop(void* vm, uint32_t seg) {
  Instance::from_vmctx(vm)->data_dropped[seg] = true;
  return 0;
}

uint32_t memory_copy(void* vm, uint32_t dst, uint32_t src, uint32_t n) {
  LinearMemory* m = Instance::from_vmctx(vm)->memory;
  uint64_t size = m->size_bytes();
  if (uint64_t{src} + n > size || uint64_t{dst} + n > size) return static_cast<uint32_t>(TrapCode::kMemoryOutOfBounds);
  if (n) memmove(m->base() + dst, m->base() + src, n);
  return 0;
}

uint32_t memory_fill(void* vm, uint32_t dst, uint32_t value, uint32_t n) {
  LinearMemory* m = Instance::from_vmctx(vm)->memory;
  if (uint64_t{dst} + n > m->size_bytes()) return static_cast<uint32_t>(TrapCode::kMemoryOutOfBounds);
  if (n) memset(m->base() + dst, static_cast<int>(value & 0xff), n);
  return 0;
}

uint32_t table_init(void* vm, uint32_t table, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n) {
  return static_cast<uint32_t>(init_table(*Instance::from_vmctx(vm), table, seg, dst, src, n));
}

uint32_t elem_drop(void* vm, uint32_t seg) {
  Instance::from_vmctx(vm)->elem_dropped[seg] = true;
  return 0;
}

uint32_t table_copy(void* vm, uint32_t dst_table, uint32_t src_table, uint32_t dst, uint32_t src, uint32_t n) {
  Instance* inst = Instance::from_vmctx(vm);
  TableObject* d = inst->tables[dst_table];
  TableObject* s = inst->tables[src_table];
  if (uint64_t{src} + n > s->header.size || uint64_t{dst} + n > d->header.size) {
    return static_cast<uint32_t>(TrapCode::kTableOutOfBounds);
  }
  if (n) memmove(d->elements() + dst, s->elements() + src, sizeof(uint64_t) * n);
  return 0;
}

uint32_t epoch_deadline(void* vm) {
  StoreState* st = *static_cast<StoreState**>(vm);
  if (__atomic_load_n(&st->interrupt_requested, __ATOMIC_ACQUIRE)) return static_cast<uint32_t>(TrapCode::kInterrupted);
  // The deadline may have moved since the check (a host function set it).
  if (__atomic_load_n(st->epoch, __ATOMIC_ACQUIRE) < __atomic_load_n(&st->epoch_deadline, __ATOMIC_ACQUIRE)) return 0;
  if (!st->on_epoch_deadline) return static_cast<uint32_t>(TrapCode::kInterrupted);
  return st->on_epoch_deadline(st);
}

uint32_t table_grow(void* vm, uint32_t table, uint64_t init, uint32_t delta) {
  return static_cast<uint32_t>(Instance::from_vmctx(vm)->tables[table]->grow(delta, init));
}

uint32_t table_fill(void* vm, uint32_t table, uint32_t dst, uint64_t value, uint32_t n) {
  TableObject* t = Instance::from_vmctx(vm)->tables[table];
  if (uint64_t{dst} + n > t->header.size) return static_cast<uint32_t>(TrapCode::kTableOutOfBounds);
  for (uint32_t i = 0; i < n; ++i) t->elements()[dst + i] = value;
  return 0;
}

}  // namespace

const HelperTable& runtime_helpers() {
  static const HelperTable table = {
#define BRISK_HELPER_ADDRESS(id, name) reinterpret_cast<const void*>(&name),
      BRISK_RUNTIME_HELPERS(BRISK_HELPER_ADDRESS)
#undef BRISK_HELPER_ADDRESS
  };
  return table;
}

}  // namespace brisk::runtime
