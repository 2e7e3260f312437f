/// \file Engine: compiles modules and holds what they share.
#ifndef BRISK_API_ENGINE_H_
#define BRISK_API_ENGINE_H_

#include <memory>

#include "brisk/config.h"

namespace brisk {

namespace detail { struct Access; }

/// Compiles modules and holds what they share (type ids, trampolines).
/// Thread-safe; cheap to copy (copies share one engine).
class Engine {
 public:
  /// Also installs Brisk's signal handlers (once per process, race-free):
  /// a fault in Wasm code on any thread is a trap from then on.
  explicit Engine(Config config = {});
  const Config& config() const;

  /// Advances the engine's epoch by one, from any thread (a timer thread
  /// calls it every tick). Interruptible code of every store of the engine
  /// whose deadline the epoch reaches traps with "interrupted" at its next
  /// function entry or loop header.
  void increment_epoch() const;
  uint64_t epoch() const;

  struct Impl;

 private:
  friend struct detail::Access;
  std::shared_ptr<Impl> impl_;
};

}  // namespace brisk

#endif  // BRISK_API_ENGINE_H_
