// Errors as values: Status (kind, byte offset, message) and Result<T>.
// No exceptions anywhere in Brisk; propagate with BRISK_TRY / BRISK_ASSIGN_OR_RETURN.
#ifndef BRISK_BASE_INCLUDE_BRISK_STATUS_H_
#define BRISK_BASE_INCLUDE_BRISK_STATUS_H_

#include <cstddef>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace brisk {

/// What kind of failure a Status reports. The spec testsuite distinguishes
/// malformed (binary format), invalid (validation), unlinkable and traps.
enum class ErrorKind : uint8_t {
  kOk,
  kMalformed,    ///< the bytes are not a Wasm binary (spec: assert_malformed)
  kInvalid,      ///< decodes but does not validate (spec: assert_invalid)
  kUnlinkable,   ///< imports do not match (spec: assert_unlinkable)
  kTrap,         ///< execution trapped
  kUnsupported,  ///< valid Wasm that this build cannot run yet
  kResource,     ///< out of memory or another host resource
  kIo,           ///< file system or other host I/O
};

/// A failure with where (byte offset into the module, or -1) and why. The
/// success value is a null pointer, so passing Status and Result<T> around
/// on hot paths (every LEB128 read, every validator pop) costs nothing.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorKind kind, std::string message, int64_t offset = -1)
      : rep_(kind == ErrorKind::kOk ? nullptr : new Rep{kind, offset, std::move(message), 0, {}, {}}) {}
  Status(const Status& other) : rep_(other.rep_ ? new Rep(*other.rep_) : nullptr) {}
  Status(Status&&) noexcept = default;
  Status& operator=(const Status& other) {
    if (this != &other) rep_.reset(other.rep_ ? new Rep(*other.rep_) : nullptr);
    return *this;
  }
  Status& operator=(Status&&) noexcept = default;

  static Status ok() { return Status(); }
  static Status malformed(std::string msg, int64_t offset = -1) {
    return Status(ErrorKind::kMalformed, std::move(msg), offset);
  }
  static Status invalid(std::string msg, int64_t offset = -1) {
    return Status(ErrorKind::kInvalid, std::move(msg), offset);
  }
  /// A trap: `code` is a runtime::TrapCode.
  static Status trap(uint32_t code, std::string msg) {
    Status s(ErrorKind::kTrap, std::move(msg));
    s.rep_->code = code;
    return s;
  }

  bool is_ok() const { return rep_ == nullptr; }
  explicit operator bool() const { return is_ok(); }
  ErrorKind kind() const { return rep_ ? rep_->kind : ErrorKind::kOk; }
  int64_t offset() const { return rep_ ? rep_->offset : -1; }
  const std::string& message() const {
    static const std::string kEmpty;
    return rep_ ? rep_->message : kEmpty;
  }
  /// Detail code: the trap code for kTrap.
  uint32_t code() const { return rep_ ? rep_->code : 0; }
  /// For traps: the Wasm backtrace, one frame a line, innermost first.
  const std::string& trace() const {
    static const std::string kEmpty;
    return rep_ ? rep_->trace : kEmpty;
  }
  void set_trace(std::string trace) {
    if (rep_) rep_->trace = std::move(trace);
  }
  /// Structured data a layer above attaches (the API: a trap's frames).
  const std::shared_ptr<const void>& payload() const {
    static const std::shared_ptr<const void> kNone;
    return rep_ ? rep_->payload : kNone;
  }
  void set_payload(std::shared_ptr<const void> p) {
    if (rep_) rep_->payload = std::move(p);
  }

  /// "message (at byte 0x1c)" — for humans; tests match message() instead.
  std::string to_string() const;

 private:
  struct Rep {
    ErrorKind kind;
    int64_t offset;
    std::string message;
    uint32_t code;
    std::string trace;
    std::shared_ptr<const void> payload;
  };
  std::unique_ptr<Rep> rep_;
};

inline const char* error_kind_name(ErrorKind k) {
  switch (k) {
    case ErrorKind::kOk: return "ok";
    case ErrorKind::kMalformed: return "malformed";
    case ErrorKind::kInvalid: return "invalid";
    case ErrorKind::kUnlinkable: return "unlinkable";
    case ErrorKind::kTrap: return "trap";
    case ErrorKind::kUnsupported: return "unsupported";
    case ErrorKind::kResource: return "resource";
    case ErrorKind::kIo: return "io";
  }
  return "?";
}

inline std::string Status::to_string() const {
  if (is_ok()) return "ok";
  std::string s = std::string(error_kind_name(kind())) + ": " + message();
  if (offset() >= 0) {
    char buf[32];
    snprintf(buf, sizeof buf, " (at byte 0x%llx)", static_cast<unsigned long long>(offset()));
    s += buf;
  }
  return s;
}

/// A value or the Status saying why there is none. Accessing value() of an
/// error is a bug (checked in debug builds); nothing moves out silently.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT

  bool is_ok() const { return value_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  const Status& status() const { return status_; }
  Status take_status() { return std::move(status_); }

  /// The value; on an error, aborts with the error's message (never garbage).
  T& value() & { check(); return *value_; }
  const T& value() const& { check(); return *value_; }
  T&& value() && { check(); return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }

 private:
  void check() const {
    if (!value_) {
      fprintf(stderr, "brisk: value() of an error: %s\n", status_.to_string().c_str());
      abort();
    }
  }
  std::optional<T> value_;
  Status status_;
};

}  // namespace brisk

#define BRISK_CONCAT_INNER_(a, b) a##b
#define BRISK_CONCAT_(a, b) BRISK_CONCAT_INNER_(a, b)

/// Returns the Status of `expr` from the enclosing function if it is an error.
#define BRISK_TRY(expr)                          \
  do {                                           \
    ::brisk::Status brisk_try_status_ = (expr);  \
    if (!brisk_try_status_.is_ok()) return brisk_try_status_; \
  } while (0)

#define BRISK_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.is_ok()) return tmp.take_status();        \
  lhs = std::move(tmp).value()

/// `BRISK_ASSIGN_OR_RETURN(auto x, f());` — unwraps a Result or returns its Status.
#define BRISK_ASSIGN_OR_RETURN(lhs, expr) \
  BRISK_ASSIGN_OR_RETURN_IMPL_(BRISK_CONCAT_(brisk_result_, __LINE__), lhs, expr)

#ifdef NDEBUG
#define BRISK_DCHECK(cond) ((void)0)
#else
#include <cstdio>
#include <cstdlib>
#define BRISK_DCHECK(cond)                                                      \
  do {                                                                          \
    if (!(cond)) {                                                              \
      fprintf(stderr, "%s:%d: BRISK_DCHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      abort();                                                                  \
    }                                                                           \
  } while (0)
#endif

#endif  // BRISK_BASE_INCLUDE_BRISK_STATUS_H_
