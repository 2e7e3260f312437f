// Feature masks: names, parsing, and the environment variable.
#include "compiler/cpu_features.h"

#include <cstdlib>

namespace brisk::compiler {

const char* cpu_feature_name(CpuFeature f) {
  switch (f) {
    case CpuFeature::kLzcnt: return "lzcnt";
    case CpuFeature::kBmi1: return "bmi1";
    case CpuFeature::kBmi2: return "bmi2";
    case CpuFeature::kPopcnt: return "popcnt";
    case CpuFeature::kSse41: return "sse4.1";
    case CpuFeature::kAvx: return "avx";
    case CpuFeature::kAvx2: return "avx2";
    case CpuFeature::kSse42: return "sse4.2";
    case CpuFeature::kCount: break;
  }
  return "?";
}

std::string CpuFeatures::to_string() const {
  std::string out;
  for (unsigned i = 0; i < static_cast<unsigned>(CpuFeature::kCount); ++i) {
    if (!has(static_cast<CpuFeature>(i))) continue;
    if (!out.empty()) out += ',';
    out += cpu_feature_name(static_cast<CpuFeature>(i));
  }
  return out.empty() ? "baseline" : out;
}

Result<CpuFeatures> parse_cpu_features(std::string_view spec) {
  if (spec.empty()) return CpuFeatures::all();
  if (spec == "baseline") return CpuFeatures::baseline();
  CpuFeatures out;
  while (!spec.empty()) {
    size_t comma = spec.find(',');
    std::string_view name = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
    bool found = false;
    for (unsigned i = 0; i < static_cast<unsigned>(CpuFeature::kCount); ++i) {
      if (name == cpu_feature_name(static_cast<CpuFeature>(i))) {
        out.add(static_cast<CpuFeature>(i));
        found = true;
      }
    }
    if (!found) {
      return Status(ErrorKind::kInvalid, "unknown CPU feature \"" + std::string(name) +
                                             "\" (known: baseline, lzcnt, bmi1, bmi2, popcnt, sse4.1, avx, avx2, sse4.2)");
    }
  }
  return out;
}

Result<CpuFeatures> effective_cpu_features(std::string_view config_spec) {
  BRISK_ASSIGN_OR_RETURN(CpuFeatures config, parse_cpu_features(config_spec));
  const char* env = getenv("BRISK_CPU_FEATURES");
  CpuFeatures from_env = CpuFeatures::all();
  if (env) {
    auto parsed = parse_cpu_features(env);
    if (!parsed) return Status(ErrorKind::kInvalid, "BRISK_CPU_FEATURES: " + parsed.status().message());
    from_env = *parsed;
  }
  return host_cpu_features() & config & from_env;
}

}  // namespace brisk::compiler
