// BatchAssembler (AArch64): asmjit buffers and labels, relocation patching.
#include "compiler/a64/batch_a64.h"

#include <cstring>

namespace brisk::compiler::a64 {

BatchAssembler::BatchAssembler(uint32_t num_functions, Options options, size_t wasm_bytes,
                               std::span<uint8_t> buffer, std::vector<runtime::TrapSite>* sites)
    : BatchCode(asmjit::Arch::kAArch64, num_functions, buffer, wasm_bytes > 0 ? buffer_estimate(wasm_bytes) : 0, sites),
      options_(options) {
  asm_.emplace(&code_);
  unwind_ = asm_->newLabel();
  asm_->bind(unwind_);
  A64Masm::emit_unwind_stub(*asm_);
}

A64Masm& BatchAssembler::begin_function(uint32_t i) {
  asm_->align(asmjit::AlignMode::kCode, kFunctionAlign);
  starts_[i] = static_cast<uint32_t>(asm_->offset());
  masm_.emplace(*asm_, trap_sites_, relocs_, options_.explicit_bounds);
  masm_->set_unwind_label(unwind_);
  masm_->set_cpu_features(options_.cpu);
  return *masm_;
}

Status BatchAssembler::finish() {
  masm_.reset();
  return resolve();
}

void BatchAssembler::apply(uint8_t* chunk, const Relocation& r, uint32_t target_offset, uint32_t value) {
  switch (r.kind) {
    case RelocKind::kDirectCall: {
      // bl: imm26 words from the instruction (the module compiler passes a
      // target within kDirectReach: the callee or a veneer to it).
      int64_t rel = (static_cast<int64_t>(target_offset) - static_cast<int64_t>(r.offset)) >> 2;
      uint32_t w = 0x94000000u | (static_cast<uint32_t>(rel) & 0x03ffffffu);
      memcpy(chunk + r.offset, &w, 4);
      return;
    }
    case RelocKind::kTypeId: {
      uint32_t w[2];
      memcpy(w, chunk + r.offset, 8);
      w[0] = (w[0] & ~(0xffffu << 5)) | ((value & 0xffffu) << 5);
      w[1] = (w[1] & ~(0xffffu << 5)) | ((value >> 16) << 5);
      memcpy(chunk + r.offset, w, 8);
      return;
    }
  }
}

void BatchAssembler::write_slot(uint8_t* dst, uint32_t slot, uint32_t target) {
  int64_t rel = (static_cast<int64_t>(target) - static_cast<int64_t>(slot)) >> 2;
  uint32_t w[2] = {0x14000000u | (static_cast<uint32_t>(rel) & 0x03ffffffu), 0x00000000u /* udf #0 */};
  memcpy(dst, w, 8);
}

void BatchAssembler::write_veneer(uint8_t* dst, uint32_t at, uint32_t target) {
  int64_t pages = (static_cast<int64_t>(target) >> 12) - (static_cast<int64_t>(at) >> 12);
  uint32_t lo = static_cast<uint32_t>(pages) & 3, hi = (static_cast<uint32_t>(pages) >> 2) & 0x7ffff;
  uint32_t w[4] = {
      0x90000000u | (lo << 29) | (hi << 5) | 16,          // adrp x16, target's page
      0x91000000u | ((target & 0xfffu) << 10) | (16 << 5) | 16,  // add x16, x16, #(target & 0xfff)
      0xd61f0000u | (16 << 5),                            // br x16
      0x00000000u,                                        // udf #0
  };
  memcpy(dst, w, sizeof w);
}

}  // namespace brisk::compiler::a64
