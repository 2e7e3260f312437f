// Bounds-checked byte reader over a Wasm binary with the spec's LEB128 rules.
// Every failure becomes a malformed Status carrying the absolute byte offset.
#ifndef BRISK_COMPILER_DECODE_READER_H_
#define BRISK_COMPILER_DECODE_READER_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "brisk/status.h"

namespace brisk::compiler {

/// Reads [pos, end) of a buffer whose first byte sits at absolute offset
/// `base`. A reader limited to a section or function body reports running
/// off its end as "unexpected end of section or function" (the spec tests'
/// text); the whole-module reader reports "unexpected end".
class Reader {
 public:
  Reader() = default;
  Reader(const uint8_t* begin, const uint8_t* end, size_t base, bool bounded)
      : begin_(begin), pos_(begin), end_(end), base_(base), bounded_(bounded) {}

  /// A reader over the next `length` bytes, which this reader skips.
  Result<Reader> sub_reader(uint32_t length) {
    if (length > remaining()) return error("length out of bounds");
    Reader r(pos_, pos_ + length, offset(), true);
    pos_ += length;
    return r;
  }

  size_t offset() const { return base_ + static_cast<size_t>(pos_ - begin_); }
  size_t remaining() const { return static_cast<size_t>(end_ - pos_); }
  bool at_end() const { return pos_ == end_; }
  const uint8_t* pos() const { return pos_; }
  const uint8_t* end() const { return end_; }
  void set_pos(const uint8_t* p) { pos_ = p; }

  Status error(std::string msg) const { return Status::malformed(std::move(msg), offset()); }
  Status error_at(size_t off, std::string msg) const { return Status::malformed(std::move(msg), off); }
  Status error_eof() const {
    return error(bounded_ ? "unexpected end of section or function" : "unexpected end");
  }

  Result<uint8_t> u8() {
    if (pos_ >= end_) return error_eof();
    return *pos_++;
  }
  uint8_t peek_u8() const { return pos_ < end_ ? *pos_ : 0; }

  Result<uint32_t> u32_fixed() {
    if (remaining() < 4) return error_eof();
    uint32_t v;
    memcpy(&v, pos_, 4);
    pos_ += 4;
    return v;
  }
  Result<uint64_t> u64_fixed() {
    if (remaining() < 8) return error_eof();
    uint64_t v;
    memcpy(&v, pos_, 8);
    pos_ += 8;
    return v;
  }

  Result<uint32_t> u32() {
    if (pos_ < end_ && *pos_ < 0x80) [[likely]] return uint32_t{*pos_++};  // one byte, as most are
    return leb<uint32_t, 32, false>();
  }
  Result<int32_t> s32() {
    BRISK_ASSIGN_OR_RETURN(uint64_t v, (leb<uint64_t, 32, true>()));
    return static_cast<int32_t>(v);
  }
  Result<int64_t> s33() {
    BRISK_ASSIGN_OR_RETURN(uint64_t v, (leb<uint64_t, 33, true>()));
    return static_cast<int64_t>(v);
  }
  Result<int64_t> s64() {
    BRISK_ASSIGN_OR_RETURN(uint64_t v, (leb<uint64_t, 64, true>()));
    return static_cast<int64_t>(v);
  }
  Result<uint64_t> u64() { return leb<uint64_t, 64, false>(); }

  /// `length` raw bytes; returns a pointer into the buffer.
  Result<const uint8_t*> bytes(uint32_t length) {
    if (length > remaining()) return error("length out of bounds");
    const uint8_t* p = pos_;
    pos_ += length;
    return p;
  }

  /// A name: u32 length then UTF-8 bytes, validated.
  Result<std::string_view> name();

 private:
  /// Unsigned or signed LEB128 of at most ceil(bits/7) bytes; the unused
  /// bits of the last byte must be zero (unsigned) or copies of the sign bit.
  template <class T, int kBits, bool kSigned>
  Result<T> leb() {
    constexpr int kMaxBytes = (kBits + 6) / 7;
    const size_t start = offset();  // errors point at the integer's first byte
    uint64_t result = 0;
    int shift = 0;
    for (int i = 0; i < kMaxBytes; ++i) {
      if (pos_ >= end_) return error_eof();
      uint8_t b = *pos_++;
      result |= static_cast<uint64_t>(b & 0x7f) << shift;
      shift += 7;
      if (i == kMaxBytes - 1) {
        if (b & 0x80) return error_at(start, "integer representation too long");
        // Bits of this byte beyond kBits must be zero / sign copies.
        constexpr int kUsed = kBits - 7 * (kMaxBytes - 1);  // value bits in last byte
        if constexpr (kSigned) {
          uint8_t sign_and_rest = static_cast<uint8_t>((b & 0x7f) >> (kUsed - 1));
          uint8_t all = static_cast<uint8_t>(0x7f >> (kUsed - 1));
          if (sign_and_rest != 0 && sign_and_rest != all) return error_at(start, "integer too large");
        } else {
          if ((b & 0x7f) >> kUsed) return error_at(start, "integer too large");
        }
        break;
      }
      if (!(b & 0x80)) break;
    }
    if constexpr (kSigned) {
      if (shift < 64 && (result >> (shift - 1)) & 1) result |= ~uint64_t{0} << shift;
    }
    return static_cast<T>(result);
  }

  const uint8_t* begin_ = nullptr;
  const uint8_t* pos_ = nullptr;
  const uint8_t* end_ = nullptr;
  size_t base_ = 0;
  bool bounded_ = false;
};

/// True if [p, p+n) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF).
bool is_valid_utf8(const uint8_t* p, size_t n);

inline Result<std::string_view> Reader::name() {
  BRISK_ASSIGN_OR_RETURN(uint32_t len, u32());
  size_t start = offset();
  BRISK_ASSIGN_OR_RETURN(const uint8_t* p, bytes(len));
  if (!is_valid_utf8(p, len)) return error_at(start, "malformed UTF-8 encoding");
  return std::string_view(reinterpret_cast<const char*>(p), len);
}

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_DECODE_READER_H_
