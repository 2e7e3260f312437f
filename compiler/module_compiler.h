// bytes -> CompiledModule: validates and compiles every function body in one
// pass per body, into one code chunk with direct calls between functions.
#ifndef BRISK_COMPILER_MODULE_COMPILER_H_
#define BRISK_COMPILER_MODULE_COMPILER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "brisk/status.h"
#include "compiler/codegen/masm.h"
#include "compiler/cpu_features.h"
#include "compiler/decode/module.h"
#include "runtime/code_memory.h"

namespace brisk::compiler {

/// Where a compile's time went (filled when CompileOptions::stats is set):
/// the batches (decode, validate, codegen and emission, fused), then the
/// layout, copy and publication of the code.
struct CompileStats {
  double batches_ms = 0;
  double finalize_ms = 0;
  uint32_t piece_retries = 0;  ///< pieces compiled again: code outgrew the estimate, or a function needed long branches
  uint32_t veneers = 0;        ///< veneers laid out (a chunk beyond the direct reach, or forced)
  uint32_t pieces_moved = 0;   ///< pieces whose pages were moved into the chunk rather than copied
};

struct CompileOptions {
  bool explicit_bounds = false;  ///< emit a bounds check before every memory access
  unsigned max_threads = 0;      ///< worker threads for large modules; 0 = one per core (at most 8)
  bool interruptible = false;    ///< function entries and loop headers check the epoch deadline
  CpuFeatures cpu;               ///< what emission may use beyond the baseline
  CompileStats* stats = nullptr; ///< if set, receives the phase timings
  /// Lay the code out as for a chunk beyond the backend's direct reach (every
  /// direct call and entry-table slot through a veneer), whatever its size:
  /// for tests (BRISK_FORCE_VENEERS=1 sets it for any program).
  bool force_veneers = false;
};

struct CompiledModule {
  std::unique_ptr<runtime::CodeChunk> code;
  std::vector<uint32_t> func_offsets;  ///< entry of each defined function in `code`
  uint32_t entry_table_offset = 0;     ///< the slot of defined function i is at + i * slot size
  /// Every place in `code` that depends on layout or on the engine (direct
  /// calls to slots, canonical type ids), in chunk offsets: what a code
  /// cache or a later compilation must re-apply.
  std::vector<Relocation> relocations;
  const void* func_entry(uint32_t defined_index) const {
    return code->base() + func_offsets[defined_index];
  }
};

/// Code compiled earlier (a code cache entry), to be published again.
struct CompiledImage {
  std::span<const uint8_t> code;  ///< the chunk as laid out, type ids of the engine that made it
  std::vector<uint32_t> func_offsets;
  uint32_t entry_table_offset = 0;
  std::vector<Relocation> relocations;
  std::vector<runtime::TrapSite> trap_sites;
  uint32_t unwind_offset = 0;
};

/// Publishes `image` at a new address with `type_ids` (this engine's ids
/// for the module's types) patched into its kTypeId relocations. Every
/// offset and index is checked against the image first: a damaged image is
/// an error, never code that runs.
Result<CompiledModule> load_compiled(const CompiledImage& image, std::span<const uint32_t> type_ids);

/// Validates and compiles all function bodies of a decoded module.
/// `type_ids` maps each type index to its engine-wide canonical id; it is
/// used only when the code is linked (kTypeId relocations), never compiled in.
Result<CompiledModule> compile_module(const Module& module, std::span<const uint32_t> type_ids,
                                      const CompileOptions& options);

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_MODULE_COMPILER_H_
