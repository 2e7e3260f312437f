// LEB128 and byte reading: the spec's limits on length and unused bits.
#include "compiler/decode/reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace brisk::compiler {
namespace {

Reader reader_of(const std::vector<uint8_t>& b, bool bounded = false) {
  return Reader(b.data(), b.data() + b.size(), 0, bounded);
}

TEST(Reader, DecodesU32OfEveryLength) {
  std::vector<uint8_t> b{0x00, 0x7f, 0x80, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f};
  Reader r = reader_of(b);
  EXPECT_EQ(*r.u32(), 0u);
  EXPECT_EQ(*r.u32(), 127u);
  EXPECT_EQ(*r.u32(), 128u);
  EXPECT_EQ(*r.u32(), 0xffffffffu);
  EXPECT_TRUE(r.at_end());
}

TEST(Reader, AcceptsPaddedButInRangeU32) {
  std::vector<uint8_t> b{0x80, 0x80, 0x80, 0x80, 0x00};
  Reader r = reader_of(b);
  EXPECT_EQ(*r.u32(), 0u);
}

TEST(Reader, RejectsU32LongerThanFiveBytes) {
  std::vector<uint8_t> b{0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  Reader r = reader_of(b);
  auto v = r.u32();
  ASSERT_FALSE(v);
  EXPECT_EQ(v.status().message(), "integer representation too long");
  EXPECT_EQ(v.status().kind(), ErrorKind::kMalformed);
}

TEST(Reader, RejectsU32WithBitsBeyond32) {
  std::vector<uint8_t> b{0xff, 0xff, 0xff, 0xff, 0x1f};
  Reader r = reader_of(b);
  auto v = r.u32();
  ASSERT_FALSE(v);
  EXPECT_EQ(v.status().message(), "integer too large");
}

TEST(Reader, DecodesSignedValues) {
  std::vector<uint8_t> b{0x7f, 0x80, 0x7f, 0xff, 0xff, 0xff, 0xff, 0x07, 0x80, 0x80, 0x80, 0x80, 0x78};
  Reader r = reader_of(b);
  EXPECT_EQ(*r.s32(), -1);
  EXPECT_EQ(*r.s32(), -128);
  EXPECT_EQ(*r.s32(), INT32_MAX);
  EXPECT_EQ(*r.s32(), INT32_MIN);
}

TEST(Reader, RejectsS32WhoseUnusedBitsAreNotSignCopies) {
  std::vector<uint8_t> pos{0xff, 0xff, 0xff, 0xff, 0x4f};  // sign bit 0, unused bits set
  std::vector<uint8_t> neg{0x80, 0x80, 0x80, 0x80, 0x70};  // sign bit 0, unused bits set
  Reader r1 = reader_of(pos), r2 = reader_of(neg);
  EXPECT_EQ(r1.s32().status().message(), "integer too large");
  EXPECT_EQ(r2.s32().status().message(), "integer too large");
}

TEST(Reader, DecodesS64Extremes) {
  std::vector<uint8_t> b{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f,
                         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00};
  Reader r = reader_of(b);
  EXPECT_EQ(*r.s64(), INT64_MIN);
  EXPECT_EQ(*r.s64(), INT64_MAX);
}

TEST(Reader, RejectsS64TenthByteThatIsNotSignExtension) {
  std::vector<uint8_t> b{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  Reader r = reader_of(b);
  EXPECT_EQ(r.s64().status().message(), "integer too large");
}

TEST(Reader, S33CoversTypeIndicesAndNegativeTypes) {
  std::vector<uint8_t> b{0x40, 0xff, 0xff, 0xff, 0xff, 0x0f};
  Reader r = reader_of(b);
  EXPECT_EQ(*r.s33(), -64);
  EXPECT_EQ(*r.s33(), 0xffffffffLL);
}

TEST(Reader, ReportsEndOfInputDependingOnBounds) {
  std::vector<uint8_t> b{0x80};
  Reader top = reader_of(b, false);
  Reader section = reader_of(b, true);
  EXPECT_EQ(top.u32().status().message(), "unexpected end");
  EXPECT_EQ(section.u32().status().message(), "unexpected end of section or function");
}

TEST(Reader, ErrorsCarryAbsoluteOffsets) {
  std::vector<uint8_t> b{0x01, 0x02, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
  Reader r(b.data(), b.data() + b.size(), 100, false);
  (void)r.u8();
  (void)r.u8();
  auto v = r.u32();
  ASSERT_FALSE(v);
  EXPECT_EQ(v.status().offset(), 102);  // the integer's first byte
}

TEST(Reader, SubReaderRejectsLengthPastEnd) {
  std::vector<uint8_t> b{0x01, 0x02};
  Reader r = reader_of(b);
  auto sub = r.sub_reader(3);
  ASSERT_FALSE(sub);
  EXPECT_EQ(sub.status().message(), "length out of bounds");
}

TEST(Reader, NamesMustBeUtf8) {
  std::vector<uint8_t> ok{0x03, 'a', 0xc3, 0xa9};
  std::vector<uint8_t> overlong{0x02, 0xc0, 0x80};
  std::vector<uint8_t> surrogate{0x03, 0xed, 0xa0, 0x80};
  std::vector<uint8_t> too_big{0x04, 0xf4, 0x90, 0x80, 0x80};
  Reader r1 = reader_of(ok), r2 = reader_of(overlong), r3 = reader_of(surrogate), r4 = reader_of(too_big);
  EXPECT_EQ(*r1.name(), "a\xc3\xa9");
  EXPECT_EQ(r2.name().status().message(), "malformed UTF-8 encoding");
  EXPECT_EQ(r3.name().status().message(), "malformed UTF-8 encoding");
  EXPECT_EQ(r4.name().status().message(), "malformed UTF-8 encoding");
}

// Long ASCII runs are checked eight bytes at a time: a bad byte at any place
// after, inside or at the end of one is still found.
TEST(Reader, Utf8AfterLongAsciiRuns) {
  for (size_t len = 1; len <= 40; ++len) {
    for (size_t bad = 0; bad < len; ++bad) {
      std::string s(len, 'x');
      EXPECT_TRUE(is_valid_utf8(reinterpret_cast<const uint8_t*>(s.data()), len));
      s[bad] = '\x80';  // a continuation byte with no lead byte
      EXPECT_FALSE(is_valid_utf8(reinterpret_cast<const uint8_t*>(s.data()), len)) << len << " " << bad;
      if (bad + 2 <= len) {
        s[bad] = '\xc3', s[bad + 1] = '\xa9';  // a good two-byte sequence
        EXPECT_TRUE(is_valid_utf8(reinterpret_cast<const uint8_t*>(s.data()), len)) << len << " " << bad;
        s.resize(bad + 1);  // cut inside it
        EXPECT_FALSE(is_valid_utf8(reinterpret_cast<const uint8_t*>(s.data()), s.size())) << len << " " << bad;
      }
    }
  }
}

}  // namespace
}  // namespace brisk::compiler
