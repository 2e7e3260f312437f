// Command-line values: `brisk run` arguments parsed by parameter type and
// results printed back in the same notation (the text format's literals).
#ifndef BRISK_CLI_VALUES_H_
#define BRISK_CLI_VALUES_H_

#include <string>

#include "brisk/brisk.h"

namespace brisk::cli {

/// Integers: decimal or 0x-hex with an optional sign and `_` between digits
/// (as in the text format; a leading 0 is decimal, never octal). An i32 takes
/// -2^31 .. 2^32-1 (signed or unsigned reading of the same bits), an i64
/// -2^63 .. 2^64-1; anything else is an error, never a wrapped value.
/// Floats: decimal or hex, `inf`, `nan`, `nan:0xPAYLOAD`, each signed; a
/// finite literal that rounds to infinity is an error.
Result<Val> parse_value(ValKind kind, const std::string& text);

/// The inverse: i32/i64 in signed decimal, floats with enough digits to read
/// back exactly, NaNs as `nan` (canonical) or `nan:0x...`, infinities as `inf`.
std::string format_value(const Val& v);

/// A duration as `-W timeout=` takes it: a number with a unit, `ms`, `s`,
/// `m` or `h` ("500ms", "2s", "1.5m"), in milliseconds. Zero, negative,
/// unitless or absurd (over a year) durations are errors.
Result<uint64_t> parse_duration_ms(const std::string& text);

}  // namespace brisk::cli

#endif  // BRISK_CLI_VALUES_H_
