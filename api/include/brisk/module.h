/// \file Module: a compiled module, immutable and shareable.
#ifndef BRISK_API_MODULE_H_
#define BRISK_API_MODULE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "brisk/engine.h"
#include "brisk/status.h"
#include "brisk/types.h"

namespace brisk {

namespace detail { struct Access; }

/// A compiled module: immutable, shareable between stores and threads of
/// its engine.
class Module {
 public:
  /// An empty handle (to assign to later); using it aborts with a message.
  Module() = default;
  /// Decodes, validates and compiles `bytes`. Errors: malformed, invalid,
  /// unsupported (e.g. SIMD on a CPU below the code generator's SIMD floor).
  static Result<Module> compile(const Engine& engine, std::span<const uint8_t> bytes);
  static Result<Module> from_file(const Engine& engine, const std::string& path);
  /// Decodes and validates without compiling.
  static Status validate(std::span<const uint8_t> bytes);

  std::vector<ImportType> imports() const;
  std::vector<ExportType> exports() const;
  /// The module's name from its name section, if it has one.
  std::optional<std::string> name() const;

  /// The compiled artifact ("cwasm"): code, relocations, trap and function
  /// tables and the module itself, stamped with Brisk's version, the
  /// engine's CPU features and settings, and a checksum.
  Result<std::vector<uint8_t>> serialize() const;
  /// Bytes of machine code (with the entry table and trap stubs) this
  /// module was compiled to.
  size_t code_size() const;
  /// Loads an artifact of serialize(). One from another Brisk version,
  /// CPU-feature set or configuration, or a damaged one, is refused with the
  /// reason; its code never runs.
  static Result<Module> deserialize(const Engine& engine, std::span<const uint8_t> bytes);
  static Result<Module> deserialize_file(const Engine& engine, const std::string& path);
  /// True if `bytes` start like a serialized module (not a Wasm binary).
  static bool is_serialized(std::span<const uint8_t> bytes);

  /// What a module declares, found by decoding and validating it without
  /// compiling (what `brisk inspect` prints).
  struct Description {
    std::vector<ImportType> imports;
    std::vector<ExportType> exports;
    uint32_t imported_functions = 0;
    uint32_t defined_functions = 0;
    std::optional<uint64_t> memory_min_pages;  ///< the first memory's minimum, if any
  };
  static Result<Description> describe(std::span<const uint8_t> bytes);

  struct Impl;

 private:
  friend struct detail::Access;
  std::shared_ptr<Impl> impl_;
};

}  // namespace brisk

#endif  // BRISK_API_MODULE_H_
