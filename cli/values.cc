// Parsing and printing of `brisk run` values.
#include "cli/values.h"

#include <cctype>

#include <algorithm>

#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace brisk::cli {

namespace {

Status bad(const std::string& text, ValKind kind, const char* why) {
  return Status(ErrorKind::kInvalid, "cannot read \"" + text + "\" as " + val_kind_name(kind) + ": " + why);
}

enum class Parse { kOk, kSyntax, kOverflow };

// Sign, then digits with optional '_' separators between them.
Parse parse_magnitude(const std::string& s, size_t i, bool* neg, uint64_t* out) {
  *neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) *neg = s[i++] == '-';
  unsigned base = 10;
  if (i + 1 < s.size() && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
    base = 16;
    i += 2;
  }
  if (i >= s.size()) return Parse::kSyntax;
  uint64_t v = 0;
  bool overflow = false;
  bool prev_digit = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_') {
      if (!prev_digit || i + 1 >= s.size()) return Parse::kSyntax;
      prev_digit = false;
      continue;
    }
    unsigned d;
    if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
    else if (base == 16 && c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
    else if (base == 16 && c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
    else return Parse::kSyntax;
    if (v > (UINT64_MAX - d) / base) overflow = true;
    v = v * base + d;
    prev_digit = true;
  }
  *out = v;
  if (!prev_digit) return Parse::kSyntax;
  return overflow ? Parse::kOverflow : Parse::kOk;
}

Result<Val> parse_int(ValKind kind, const std::string& text) {
  bool neg;
  uint64_t mag;
  switch (parse_magnitude(text, 0, &neg, &mag)) {
    case Parse::kSyntax: return bad(text, kind, "not an integer (decimal or 0x-hex)");
    case Parse::kOverflow: return bad(text, kind, "out of range");
    case Parse::kOk: break;
  }
  bool is32 = kind == ValKind::kI32;
  uint64_t max_pos = is32 ? UINT32_MAX : UINT64_MAX;
  uint64_t max_neg = is32 ? uint64_t{1} << 31 : uint64_t{1} << 63;
  if (neg ? mag > max_neg : mag > max_pos) return bad(text, kind, "out of range");
  uint64_t bits = neg ? 0 - mag : mag;
  return is32 ? Val::i32(static_cast<int32_t>(static_cast<uint32_t>(bits))) : Val::i64(static_cast<int64_t>(bits));
}

Result<Val> parse_float(ValKind kind, const std::string& text) {
  bool is32 = kind == ValKind::kF32;
  std::string t;
  for (char c : text) {
    if (c != '_') t += c;
  }
  bool neg = !t.empty() && t[0] == '-';
  std::string body = !t.empty() && (t[0] == '-' || t[0] == '+') ? t.substr(1) : t;
  const uint64_t sign = neg ? (is32 ? uint64_t{1} << 31 : uint64_t{1} << 63) : 0;
  const uint64_t exp_all = is32 ? 0x7f800000u : 0x7ff0000000000000u;
  const uint64_t payload_mask = is32 ? 0x7fffffu : 0xfffffffffffffu;
  if (body == "inf") return Val::from_bits(kind, sign | exp_all);
  if (body == "nan") return Val::from_bits(kind, sign | exp_all | ((payload_mask + 1) >> 1));
  if (body.rfind("nan:", 0) == 0) {
    bool pneg;
    uint64_t payload;
    if (body.size() < 6 || body.compare(4, 2, "0x") != 0 || parse_magnitude(body, 4, &pneg, &payload) != Parse::kOk || pneg ||
        payload == 0 || payload > payload_mask) {
      return bad(text, kind, is32 ? "a NaN payload is 1 .. 0x7fffff" : "a NaN payload is 1 .. 0xfffffffffffff");
    }
    return Val::from_bits(kind, sign | exp_all | payload);
  }
  if (body.empty() || !(isdigit(static_cast<unsigned char>(body[0])) || body[0] == '.')) {
    return bad(text, kind, "not a number");
  }
  char* end = nullptr;
  errno = 0;
  if (is32) {
    float f = strtof(t.c_str(), &end);
    if (*end != 0 || end == t.c_str()) return bad(text, kind, "not a number");
    if (std::isinf(f)) return bad(text, kind, "out of range");
    return Val::f32(f);
  }
  double d = strtod(t.c_str(), &end);
  if (*end != 0 || end == t.c_str()) return bad(text, kind, "not a number");
  if (std::isinf(d)) return bad(text, kind, "out of range");
  return Val::f64(d);
}

}  // namespace

Result<Val> parse_value(ValKind kind, const std::string& text) {
  switch (kind) {
    case ValKind::kI32: case ValKind::kI64: return parse_int(kind, text);
    case ValKind::kF32: case ValKind::kF64: return parse_float(kind, text);
    default:
      if (text == "null") return kind == ValKind::kFuncRef ? Val::null_funcref() : Val::externref(nullptr);
      return bad(text, kind, "only null can be given for a reference");
  }
}

std::string format_value(const Val& v) {
  char buf[64];
  switch (v.kind()) {
    case ValKind::kI32: snprintf(buf, sizeof buf, "%d", v.i32()); return buf;
    case ValKind::kI64: snprintf(buf, sizeof buf, "%" PRId64, v.i64()); return buf;
    case ValKind::kF32: case ValKind::kF64: {
      bool is32 = v.kind() == ValKind::kF32;
      uint64_t bits = v.bits();
      uint64_t sign = bits >> (is32 ? 31 : 63);
      uint64_t payload = bits & (is32 ? 0x7fffffu : 0xfffffffffffffu);
      double d = is32 ? static_cast<double>(v.f32()) : v.f64();
      std::string s = sign ? "-" : "";
      if (std::isnan(d)) {
        uint64_t canonical = is32 ? 0x400000u : 0x8000000000000u;
        if (payload == canonical) return s + "nan";
        snprintf(buf, sizeof buf, "nan:0x%" PRIx64, payload);
        return s + buf;
      }
      if (std::isinf(d)) return s + "inf";
      snprintf(buf, sizeof buf, is32 ? "%.9g" : "%.17g", d);
      return buf;
    }
    default:
      return v.is_null_ref() ? "null" : "<ref>";
  }
}

Result<uint64_t> parse_duration_ms(const std::string& text) {
  auto bad = [&] {
    return Status(ErrorKind::kInvalid, "invalid duration \"" + text + "\" (expected e.g. 500ms, 2s, 1m)");
  };
  size_t i = 0;
  while (i < text.size() && (isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == 0 || i == text.size()) return bad();
  std::string number = text.substr(0, i), unit = text.substr(i);
  if (std::count(number.begin(), number.end(), '.') > 1 || number.front() == '.' || number.back() == '.') return bad();
  double scale = unit == "ms" ? 1 : unit == "s" ? 1e3 : unit == "m" ? 60e3 : unit == "h" ? 3600e3 : 0;
  if (scale == 0) return bad();
  double ms = strtod(number.c_str(), nullptr) * scale;
  if (!(ms >= 1) || ms > 366.0 * 24 * 3600e3) return bad();
  return static_cast<uint64_t>(ms);
}

}  // namespace brisk::cli
