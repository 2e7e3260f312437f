// publish_code: a resolved CodeHolder into executable memory.
#include "compiler/codegen/asmjit_code.h"

#include <cstring>

namespace brisk::compiler {

namespace {

struct Writer {
  asmjit::CodeHolder* code;
  static bool write(void* ctx, uint8_t* dst, uint64_t address) {
    auto* self = static_cast<Writer*>(ctx);
    if (self->code->relocateToBase(address) != asmjit::kErrorOk) return false;
    return self->code->copyFlattenedData(dst, self->code->codeSize()) == asmjit::kErrorOk;
  }
};

}  // namespace

asmjit::Label ConstantPool::get(asmjit::BaseEmitter& a, const uint8_t (&bytes)[16]) {
  // Shared among the first kShared entries only: a function of many
  // distinct constants costs linear time, not quadratic.
  constexpr size_t kShared = 64;
  for (size_t i = 0; i < entries_.size() && i < kShared; ++i) {
    if (memcmp(entries_[i].bytes, bytes, 16) == 0) return entries_[i].label;
  }
  Entry e;
  e.label = a.newLabel();
  memcpy(e.bytes, bytes, 16);
  entries_.push_back(e);
  return e.label;
}

void ConstantPool::emit(asmjit::BaseEmitter& a) {
  if (entries_.empty()) return;
  a.align(asmjit::AlignMode::kData, 16);
  for (const Entry& e : entries_) {
    a.bind(e.label);
    a.embed(e.bytes, 16);
  }
  entries_.clear();
}

Result<std::unique_ptr<runtime::CodeChunk>> publish_code(asmjit::CodeHolder& code,
                                                         std::vector<runtime::TrapSite> trap_sites,
                                                         asmjit::Label unwind) {
  if (code.flatten() != asmjit::kErrorOk || code.resolveUnresolvedLinks() != asmjit::kErrorOk ||
      code.hasUnresolvedLinks()) {
    return Status(ErrorKind::kUnsupported, "code generation failed: unresolved code");
  }
  Writer w{&code};
  return runtime::CodeMemory::publish(code.codeSize(), &Writer::write, &w, std::move(trap_sites),
                                      static_cast<uint32_t>(code.labelOffsetFromBase(unwind)));
}

}  // namespace brisk::compiler
