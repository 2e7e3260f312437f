// Brisk's internal calling convention and frame layout on AArch64.
//
//   x28  VMContext* of the running instance (pinned; callee-saved in AAPCS64,
//        so host code and runtime helpers keep it)
//   x27  linear memory base of that instance (pinned)
//   x16, x17, v30, v31  masm scratch, never allocated (x16 and v31 are the
//        shared compiler's parallel-move scratch; x30 is free inside a body,
//        saved by the prologue, and serves as a third scratch)
//   x18  the platform register: never touched
//   x0-x15, x19-x26, v0-v29  allocatable; all of them are caller-saved
//        between Wasm functions (the entry trampoline saves what AAPCS64
//        wants kept: x19-x28, x29, x30, d8-d15)
//
// The register calling convention (compiler/codegen/wasm_abi.h, register
// lists in A64Masm): integer/reference parameters in x0-x3, float parameters
// in v0-v3, the first integer result in x0 and the first float/vector
// result in v0. Every other value travels in its positional slot of the
// caller's outgoing area ([sp + 8*u] at the call), as on x86-64.
//
//   [fp + 16 + 8*u]   parameter / result at unit u (caller's outgoing area)
//   [fp + 8]          return address (x30, saved by stp x29, x30)
//   [fp]              caller's fp
//   [fp - 8]          own VMContext
//   [fp - 8 - ...]    locals and operand homes, as on x86-64
//   [sp + 8*i]        outgoing arguments; sp stays 16-byte aligned
//
// Trap protocol: w0 = trap code, x17 = trapping PC, then the chunk's unwind
// stub, which calls StoreState::capture_backtrace and restores the entry
// trampoline's frame from StoreState::entry_sp (see A64Masm::emit_unwind_stub).
#ifndef BRISK_COMPILER_A64_ABI_A64_H_
#define BRISK_COMPILER_A64_ABI_A64_H_

#include <cstdint>

namespace brisk::compiler::a64 {

inline constexpr int32_t kFrameVmctx = -8;
inline constexpr int32_t kFrameFirstLocal = -16;
inline constexpr int32_t kFrameFirstParam = 16;

/// The entry trampoline's frame below its fp: null VMContext, slots pointer,
/// x19-x28, d8-d15, then [previous entry_sp, pad] at entry_sp.
inline constexpr int32_t kEntryFrameBytes = 176;
/// The callee-saved pairs of that frame: x(19 + 2k), x(20 + 2k) at
/// fp - 32 - 16k for k < 5, then d(8 + 2k), d(9 + 2k) at fp - 112 - 16k for
/// k < 4. The entry trampoline stores them, emit_entry_frame_exit reloads them.
inline constexpr int kEntrySavedGpPairs = 5, kEntrySavedFpPairs = 4;
inline constexpr int32_t entry_saved_gp_offset(int k) { return -32 - 16 * k; }
inline constexpr int32_t entry_saved_fp_offset(int k) { return -112 - 16 * k; }

/// C signature of an entry trampoline (same as x86-64's).
using EntryTrampoline = uint32_t (*)(void* vmctx, const void* code, uint64_t* slots);

}  // namespace brisk::compiler::a64

#endif  // BRISK_COMPILER_A64_ABI_A64_H_
