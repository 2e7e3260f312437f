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
  explicit Engine(Config config = {});
  const Config& config() const;

  struct Impl;

 private:
  friend struct detail::Access;
  std::shared_ptr<Impl> impl_;
};

}  // namespace brisk

#endif  // BRISK_API_ENGINE_H_
