/// \file Config: engine-wide settings.
#ifndef BRISK_API_CONFIG_H_
#define BRISK_API_CONFIG_H_

#include <cstddef>
#include <string>

namespace brisk {

/// Engine-wide settings.
struct Config {
  /// Bounds-check every memory access instead of relying on guard pages
  /// (for hosts without 8 GiB of address space per memory).
  bool explicit_bounds_checks = false;
  /// Most stack Wasm code may use on a thread before "call stack exhausted".
  size_t max_wasm_stack = 1u << 20;
  /// Threads that compile a large module's functions (0: one per core, at
  /// most 8; modules under 64 KiB of code always compile on the caller's thread).
  unsigned compile_threads = 0;
  /// Compile an epoch check into every function entry and loop header, so
  /// that epoch deadlines (Engine::increment_epoch, Store::set_epoch_deadline)
  /// and Store::interrupt_handle() can stop runaway code (three loads and a
  /// compare per check). Without it, neither has any effect.
  bool interruptible = false;
  /// CPU features code may use beyond x86-64's SSE2 baseline: "" for all the
  /// CPU has, "baseline" for none, or a list such as "sse4.1,popcnt". The
  /// environment variable BRISK_CPU_FEATURES masks them further, for any
  /// program. An unknown name makes Module::compile fail with the reason.
  std::string cpu_features;
  // Wasm features: Brisk compiles Wasm 2.0 with fixed-width SIMD (SIMD
  // operators need the code generator's floor of CPU features, named in the
  // error); a module that uses a proposal it does not compile is refused
  // with an error naming it.
};

}  // namespace brisk

#endif  // BRISK_API_CONFIG_H_
