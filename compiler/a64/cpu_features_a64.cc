// Host feature detection on AArch64: the backend needs nothing beyond the
// ARMv8.0 baseline (NEON included), so there is nothing to detect yet.
#include "compiler/cpu_features.h"

namespace brisk::compiler {

CpuFeatures host_cpu_features() { return CpuFeatures::baseline(); }

}  // namespace brisk::compiler
