// A small JSON reader for wast2json's output (objects, arrays, strings,
// numbers, true/false/null). Test-only; not a general-purpose parser.
#ifndef BRISK_TESTS_SPEC_JSON_H_
#define BRISK_TESTS_SPEC_JSON_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace brisk::spec {

struct Json {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<Json> array;
  std::map<std::string, Json, std::less<>> object;

  /// Member `key` of an object, or a shared null value.
  const Json& operator[](std::string_view key) const;
  bool has(std::string_view key) const { return object.find(key) != object.end(); }
  const std::string& str() const { return string; }
  bool is_null() const { return kind == Kind::kNull; }
};

/// Parses `text`; on failure returns false and sets `error`.
bool parse_json(std::string_view text, Json& out, std::string& error);

}  // namespace brisk::spec

#endif  // BRISK_TESTS_SPEC_JSON_H_
