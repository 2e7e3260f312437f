// CPU features the code generators may use: detected once per engine,
// masked by Config::cpu_features and the BRISK_CPU_FEATURES environment
// variable. Emitters test them (Liftoff's CpuFeatures::IsSupported) and fall
// back to baseline code without them.
#ifndef BRISK_COMPILER_CPU_FEATURES_H_
#define BRISK_COMPILER_CPU_FEATURES_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "brisk/status.h"

namespace brisk::compiler {

/// x86-64 features beyond the SSE2 baseline (AArch64's join with that backend).
/// (Appended, never reordered: masks are stored with cached code.)
enum class CpuFeature : uint8_t { kLzcnt, kBmi1, kBmi2, kPopcnt, kSse41, kAvx, kAvx2, kSse42, kCount };

class CpuFeatures {
 public:
  constexpr CpuFeatures() = default;
  static constexpr CpuFeatures baseline() { return CpuFeatures(); }
  static constexpr CpuFeatures from_bits(uint32_t b) { return CpuFeatures(b & all().bits_); }
  static constexpr CpuFeatures all() { return CpuFeatures((1u << static_cast<unsigned>(CpuFeature::kCount)) - 1); }
  bool has(CpuFeature f) const { return bits_ & bit(f); }
  void add(CpuFeature f) { bits_ |= bit(f); }
  CpuFeatures operator&(CpuFeatures o) const { return CpuFeatures(bits_ & o.bits_); }
  bool operator==(const CpuFeatures&) const = default;
  uint32_t bits() const { return bits_; }
  /// "baseline" or a comma list of names, e.g. "sse4.1,popcnt".
  std::string to_string() const;

 private:
  constexpr explicit CpuFeatures(uint32_t b) : bits_(b) {}
  static constexpr uint32_t bit(CpuFeature f) { return 1u << static_cast<unsigned>(f); }
  uint32_t bits_ = 0;
};

/// The feature's name in specs: lzcnt bmi1 bmi2 popcnt sse4.1 avx avx2 sse4.2.
const char* cpu_feature_name(CpuFeature f);

/// Parses a feature mask: "" (everything the CPU has), "baseline" (none
/// beyond SSE2), or a comma list of names. Unknown names are errors.
Result<CpuFeatures> parse_cpu_features(std::string_view spec);

/// What this CPU (and OS, for AVX state) supports. Detected on first use.
CpuFeatures host_cpu_features();

/// host & parse(config_spec) & parse($BRISK_CPU_FEATURES): what an engine's
/// code generators may use.
Result<CpuFeatures> effective_cpu_features(std::string_view config_spec);

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CPU_FEATURES_H_
