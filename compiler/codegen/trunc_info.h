// What a float-to-int truncation converts, by ConvertKind (both the checked
// and the saturating forms), and float constants as bits: shared by the
// backends' conversion sequences.
#ifndef BRISK_COMPILER_CODEGEN_TRUNC_INFO_H_
#define BRISK_COMPILER_CODEGEN_TRUNC_INFO_H_

#include <cstdint>
#include <cstring>

#include "compiler/codegen/masm.h"

namespace brisk::compiler {

struct TruncInfo {
  bool src64;     // f64 source
  bool dst64;     // i64 result
  bool is_signed;
};

inline TruncInfo trunc_info(ConvertKind op) {
  switch (op) {
    case ConvertKind::kI32TruncF32S: case ConvertKind::kI32TruncSatF32S: return {false, false, true};
    case ConvertKind::kI32TruncF32U: case ConvertKind::kI32TruncSatF32U: return {false, false, false};
    case ConvertKind::kI32TruncF64S: case ConvertKind::kI32TruncSatF64S: return {true, false, true};
    case ConvertKind::kI32TruncF64U: case ConvertKind::kI32TruncSatF64U: return {true, false, false};
    case ConvertKind::kI64TruncF32S: case ConvertKind::kI64TruncSatF32S: return {false, true, true};
    case ConvertKind::kI64TruncF32U: case ConvertKind::kI64TruncSatF32U: return {false, true, false};
    case ConvertKind::kI64TruncF64S: case ConvertKind::kI64TruncSatF64S: return {true, true, true};
    default: return {true, true, false};
  }
}

inline uint64_t f32_bits(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }
inline uint64_t f64_bits(double d) { uint64_t b; memcpy(&b, &d, 8); return b; }

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CODEGEN_TRUNC_INFO_H_
