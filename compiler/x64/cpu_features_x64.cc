// Host feature detection on x86-64 (CPUID and XGETBV through asmjit).
#include <asmjit/core.h>

#include "compiler/cpu_features.h"

namespace brisk::compiler {

CpuFeatures host_cpu_features() {
  static const CpuFeatures features = [] {
    const auto& x = asmjit::CpuInfo::host().features().x86();
    CpuFeatures f;
    if (x.hasLZCNT()) f.add(CpuFeature::kLzcnt);
    if (x.hasBMI()) f.add(CpuFeature::kBmi1);
    if (x.hasBMI2()) f.add(CpuFeature::kBmi2);
    if (x.hasPOPCNT()) f.add(CpuFeature::kPopcnt);
    if (x.hasSSE4_1()) f.add(CpuFeature::kSse41);
    if (x.hasSSE4_2()) f.add(CpuFeature::kSse42);
    if (x.hasAVX()) f.add(CpuFeature::kAvx);  // asmjit checks the OS saves YMM state
    if (x.hasAVX2()) f.add(CpuFeature::kAvx2);
    return f;
  }();
  return features;
}

}  // namespace brisk::compiler
