// Brisk's internal calling convention and frame layout on x86-64.
//
//   r14  VMContext* of the running instance (pinned; a callee returns with it unchanged)
//   r15  linear memory base of that instance (pinned)
//   r10, r11, xmm14, xmm15  masm scratch, never allocated
//   everything else is caller-saved between Wasm functions
//
// The register calling convention (compiler/codegen/wasm_abi.h, with the
// register lists in X64Masm): the first four integer/reference parameters in
// rsi, rbx, r8, r9, the first four float parameters in xmm0-xmm3, the first
// integer result in rax and the first float/vector result in xmm0 (a v128
// is of the float class). Every other argument is written by the caller to
// its positional slot [rsp + 8*u], u counting 8-byte units of the values
// before it (two for a v128: slot_units), every other result by the callee
// to the same area ([rbp + 16 + 8*u] from its side). The caller reserves
// max(param units, result units), so a register parameter has a slot to be
// spilled to. Entry and exit trampolines are per signature.
//
//   [rbp + 16 + 8*u]   parameter / result at unit u (caller's outgoing area)
//   [rbp + 8]          return address
//   [rbp]              caller's rbp
//   [rbp - 8]          own VMContext (restored into r14 after cross-instance calls)
//   [rbp - 8 - ...]    declared locals, packed downwards, each slot sized and
//                      aligned by its type (4: i32/f32, 8: i64/f64/refs,
//                      16: v128; zeroed in the prologue)
//   [below]            home slot of each operand stack position, sized by type
//                      and assigned when the operand is pushed
//   [rsp + 8*i]        outgoing arguments of calls made by this function
//
// Entry trampolines (C ABI -> internal) keep null at [rbp - 8] (no caller
// instance: exit trampolines pass [caller rbp - 8] to host functions as the
// caller's VMContext), save rbx, rbp, r12-r15, chain the
// store's entry_sp and return a trap code (0 = none); the unwind stub at the
// start of each code chunk restores that frame from StoreState::entry_sp.
#ifndef BRISK_COMPILER_X64_ABI_X64_H_
#define BRISK_COMPILER_X64_ABI_X64_H_

#include <cstdint>

namespace brisk::compiler::x64 {

inline constexpr int32_t kFrameVmctx = -8;
inline constexpr int32_t kFrameFirstLocal = -16;
inline constexpr int32_t kFrameFirstParam = 16;

/// C signature of an entry trampoline: runs `code` with the given VMContext;
/// slots hold the arguments on entry and the results on return.
using EntryTrampoline = uint32_t (*)(void* vmctx, const void* code, uint64_t* slots);

}  // namespace brisk::compiler::x64

#endif  // BRISK_COMPILER_X64_ABI_X64_H_
