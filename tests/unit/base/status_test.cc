// Status / Result plumbing: errors propagate with kind, offset and message.
#include "brisk/status.h"

#include <gtest/gtest.h>

namespace brisk {
namespace {

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return Status::malformed("not a digit", 7);
  return c - '0';
}

Result<int> sum_two(char a, char b) {
  BRISK_ASSIGN_OR_RETURN(int x, parse_digit(a));
  BRISK_ASSIGN_OR_RETURN(int y, parse_digit(b));
  return x + y;
}

Status check_even(int v) {
  if (v % 2) return Status::invalid("odd");
  return Status::ok();
}

Status both(int a, int b) {
  BRISK_TRY(check_even(a));
  BRISK_TRY(check_even(b));
  return Status::ok();
}

TEST(Status, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*sum_two('3', '4'), 7);
  auto r = sum_two('3', 'x');
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().kind(), ErrorKind::kMalformed);
  EXPECT_EQ(r.status().offset(), 7);
  EXPECT_EQ(r.status().message(), "not a digit");
}

TEST(Status, TryStopsAtTheFirstFailure) {
  EXPECT_TRUE(both(2, 4).is_ok());
  EXPECT_EQ(both(2, 3).message(), "odd");
}

TEST(Status, ToStringShowsKindAndOffset) {
  EXPECT_EQ(Status::malformed("unexpected end", 0x1c).to_string(), "malformed: unexpected end (at byte 0x1c)");
  EXPECT_EQ(Status::invalid("type mismatch").to_string(), "invalid: type mismatch");
  EXPECT_EQ(Status::ok().to_string(), "ok");
}

}  // namespace
}  // namespace brisk
