/// \file Store: owns instances and every object they create; limits.
#ifndef BRISK_API_STORE_H_
#define BRISK_API_STORE_H_

#include <any>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "brisk/status.h"

#include "brisk/engine.h"

namespace brisk {

namespace detail { struct Access; }

/// What a store's guest may allocate (Wasmtime's StoreLimits). A limit that
/// is hit is an error where the API creates an object (Memory::create,
/// instantiation) and a failed grow where Wasm code asks (memory.grow and
/// table.grow return -1, as the spec allows); never an abort.
struct StoreLimits {
  uint64_t memory_size = UINT64_MAX;     ///< bytes per linear memory
  uint64_t memories_total = UINT64_MAX;  ///< bytes of all the store's memories together
  uint64_t table_elements = UINT64_MAX;  ///< elements per table
  size_t instances = 10000;
  size_t memories = 10000;
  size_t tables = 10000;
};

/// Stops Wasm code running in a store, from any thread (Config::interruptible).
///
/// interrupt() makes the store's running call trap with "interrupted" at the
/// next function entry or loop header it reaches. The trap stops the
/// outermost call, also through re-entry: if a host function called back
/// into Wasm, the inner call traps first, and the outer call traps at its
/// next check whether the host propagates the inner trap or ignores it (a
/// propagated trap keeps its "interrupted" code). An interrupt that arrives
/// while no call runs is dropped when the next outermost call starts: it
/// never stops a later, unrelated call: so a watchdog that fires before the
/// call has entered Wasm (a short delay, a loaded machine) is missed, and
/// should fire again until the call returns. For a time limit, an epoch
/// deadline set before the call (set_epoch_deadline) cannot be missed. The
/// handle may outlive its store; interrupt() then does nothing.
class InterruptHandle {
 public:
  void interrupt() const;
  struct Slot;

 private:
  friend struct detail::Access;
  std::shared_ptr<Slot> slot_;
};

/// Owns instances and every object they create; handles (Func, Memory, ...)
/// are valid with this store only and are checked against it on every use,
/// so a handle cannot reach a store that is gone: there is no store to pass.
/// One thread at a time.
class Store {
 public:
  explicit Store(const Engine& engine, std::any data = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const Engine& engine() const;
  /// The embedder's data (Wasmtime's Store<T>): reachable from host
  /// functions through Caller::store().
  std::any& data();
  template <class T> T* data_as() { return std::any_cast<T>(&data()); }

  void set_limits(const StoreLimits& limits);
  const StoreLimits& limits() const;

  /// A handle other threads may use to interrupt this store's Wasm code.
  InterruptHandle interrupt_handle() const;

  /// Interruptible code traps with "interrupted" once the engine's epoch
  /// reaches (current epoch + ticks). The deadline stays until set again
  /// (calls after it is reached trap at once); the default is none.
  void set_epoch_deadline(uint64_t ticks);
  /// No epoch deadline (the default).
  void clear_epoch_deadline();
  /// What happens when code reaches the epoch deadline: without a callback
  /// it traps with "interrupted"; with one, the callback runs (on the
  /// store's thread, inside the call) and returns how many ticks beyond the
  /// current epoch the new deadline is (the code goes on), or an error (the
  /// code traps with "interrupted"). An interrupt() never asks the callback.
  void set_epoch_deadline_callback(std::function<Result<uint64_t>(Store&)> callback);

  struct Impl;

 private:
  friend struct detail::Access;
  std::unique_ptr<Impl> impl_;
};

}  // namespace brisk

#endif  // BRISK_API_STORE_H_
