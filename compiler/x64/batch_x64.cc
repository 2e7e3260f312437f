// BatchAssembler: asmjit buffers, labels and call fixups for module code.
#include "compiler/x64/batch_x64.h"

#include <cstring>

namespace brisk::compiler::x64 {

BatchAssembler::BatchAssembler(uint32_t num_functions, Options options, size_t wasm_bytes,
                               std::span<uint8_t> buffer)
    : options_(options) {
  code_.init(asmjit::Environment(asmjit::Arch::kX64));
  code_.setErrorHandler(&errors_);
  asmjit::CodeBuffer& buf = code_.textSection()->buffer();
  if (!buffer.empty()) {
    // The caller's memory, fixed: asmjit neither frees nor grows it (a
    // growth would lose the external contents), it fails with
    // kErrorTooLarge instead.
    buf._data = buffer.data();
    buf._capacity = buffer.size();
    buf._size = 0;
    buf._flags = asmjit::CodeBufferFlags::kIsExternal | asmjit::CodeBufferFlags::kIsFixed;
  } else if (wasm_bytes > 0) {
    // About 3 bytes of code per Wasm byte: reserve once rather than grow by
    // doubling, and let a big buffer take huge pages (a fault per 2 MiB).
    if (code_.reserveBuffer(&buf, buffer_estimate(wasm_bytes)) == asmjit::kErrorOk) {
      runtime::advise_huge_pages(buf.data(), buf.capacity());
    }
  }
  asm_.emplace(&code_);
  unwind_ = asm_->newLabel();
  asm_->bind(unwind_);
  X64Masm::emit_unwind_stub(*asm_);
  labels_.resize(num_functions);
}

X64Masm& BatchAssembler::begin_function(uint32_t i) {
  if (masm_) label_errors_ += masm_->label_errors();
  asm_->align(asmjit::AlignMode::kCode, 16);
  labels_[i] = asm_->newLabel();
  asm_->bind(labels_[i]);
  masm_.emplace(*asm_, trap_sites_, relocs_, options_.explicit_bounds, &code_labels_);
  masm_->set_unwind_label(unwind_);
  masm_->set_cpu_features(options_.cpu);
  return *masm_;
}

Status BatchAssembler::finish() {
  if (masm_) label_errors_ += masm_->label_errors();
  masm_.reset();
  if (label_errors_ != 0) return Status(ErrorKind::kUnsupported, "code generation failed: a label bound twice or never");
  if (errors_.error != asmjit::kErrorOk || code_.flatten() != asmjit::kErrorOk ||
      code_.resolveUnresolvedLinks() != asmjit::kErrorOk) {
    return Status(ErrorKind::kUnsupported, "code generation failed: " + errors_.text);
  }
  return Status::ok();
}

uint32_t BatchAssembler::function_offset(uint32_t i) const {
  return static_cast<uint32_t>(code_.labelOffsetFromBase(labels_[i]));
}

uint32_t BatchAssembler::unwind_offset() const { return static_cast<uint32_t>(code_.labelOffsetFromBase(unwind_)); }

bool BatchAssembler::write(uint8_t* dst, uint64_t address) {
  if (code_.relocateToBase(address) != asmjit::kErrorOk) return false;
  return code_.copyFlattenedData(dst, code_.codeSize()) == asmjit::kErrorOk;
}

std::span<const uint8_t> BatchAssembler::code_in_place() {
  const asmjit::CodeBuffer& buf = code_.textSection()->buffer();
  if (!buf.isExternal() || code_.sectionCount() != 1 || code_.relocateToBase(0) != asmjit::kErrorOk) return {};
  return {buf.data(), buf.size()};
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
