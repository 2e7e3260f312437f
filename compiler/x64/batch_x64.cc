// BatchAssembler: asmjit buffers, labels and call fixups for module code.
#include "compiler/x64/batch_x64.h"

#include <cstring>

namespace brisk::compiler::x64 {

BatchAssembler::BatchAssembler(uint32_t num_functions, Options options, size_t wasm_bytes,
                               std::span<uint8_t> buffer, std::vector<runtime::TrapSite>* sites)
    : BatchCode(asmjit::Arch::kX64, num_functions, buffer, wasm_bytes > 0 ? buffer_estimate(wasm_bytes) : 0, sites),
      options_(options) {
  asm_.emplace(&code_);
  unwind_ = asm_->newLabel();
  asm_->bind(unwind_);
  X64Masm::emit_unwind_stub(*asm_);
}

X64Masm& BatchAssembler::begin_function(uint32_t i) {
  if (masm_) label_errors_ += masm_->label_errors();
  asm_->align(asmjit::AlignMode::kCode, kFunctionAlign);
  starts_[i] = static_cast<uint32_t>(asm_->offset());
  masm_.emplace(*asm_, trap_sites_, relocs_, options_.explicit_bounds, &code_labels_);
  masm_->set_unwind_label(unwind_);
  masm_->set_cpu_features(options_.cpu);
  return *masm_;
}

Status BatchAssembler::finish() {
  if (masm_) label_errors_ += masm_->label_errors();
  masm_.reset();
  if (label_errors_ != 0) return Status(ErrorKind::kUnsupported, "code generation failed: a label bound twice or never");
  return resolve();
}

void BatchAssembler::apply(uint8_t* chunk, const Relocation& r, uint32_t target_offset, uint32_t value) {
  switch (r.kind) {
    case RelocKind::kDirectCall: {
      // call rel32: the displacement counts from the end of its 4 bytes.
      int64_t rel = static_cast<int64_t>(target_offset) - static_cast<int64_t>(r.offset + 4);
      int32_t rel32 = static_cast<int32_t>(rel);
      memcpy(chunk + r.offset, &rel32, 4);
      return;
    }
    case RelocKind::kTypeId:
      memcpy(chunk + r.offset, &value, 4);
      return;
  }
}

void BatchAssembler::write_slot(uint8_t* dst, uint32_t slot, uint32_t target) {
  // jmp rel32, then int3 padding to the slot size.
  int32_t rel = static_cast<int32_t>(static_cast<int64_t>(target) - static_cast<int64_t>(slot + 5));
  dst[0] = 0xE9;
  memcpy(dst + 1, &rel, 4);
  memset(dst + 5, 0xCC, kSlotSize - 5);
}

}  // namespace brisk::compiler::x64
