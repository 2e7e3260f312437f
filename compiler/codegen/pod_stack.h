// A stack of trivially copyable values for the compiler's hot paths: the
// push is a compare and a store, growth is out of line, and the storage
// outlives one function (clear() keeps it), so a batch of functions
// allocates it once.
#ifndef BRISK_COMPILER_CODEGEN_POD_STACK_H_
#define BRISK_COMPILER_CODEGEN_POD_STACK_H_

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>

namespace brisk::compiler {

template <class T>
class PodStack {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  PodStack() = default;
  PodStack(const PodStack&) = delete;
  PodStack& operator=(const PodStack&) = delete;
  ~PodStack() { std::free(data_); }

  __attribute__((always_inline)) void push_back(const T& v) {
    if (size_ == cap_) [[unlikely]] grow(size_ + 1);
    data_[size_++] = v;
  }
  void pop_back() { --size_; }
  T& back() { return data_[size_ - 1]; }
  const T& back() const { return data_[size_ - 1]; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void clear() { size_ = 0; }
  /// New elements are value-initialised.
  void resize(size_t n) {
    if (n > cap_) grow(n);
    for (size_t i = size_; i < n; ++i) data_[i] = T{};
    size_ = n;
  }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

 private:
  __attribute__((noinline)) void grow(size_t need) {
    size_t cap = cap_ ? cap_ * 2 : 64;
    while (cap < need) cap *= 2;
    T* p = static_cast<T*>(std::realloc(static_cast<void*>(data_), cap * sizeof(T)));
    if (!p) std::abort();  // as operator new would: the compiler cannot go on
    data_ = p;
    cap_ = cap;
  }
  T* data_ = nullptr;
  size_t size_ = 0, cap_ = 0;
};

/// At most N trivially copyable values in place (no allocation): for sets
/// bounded by the register file, such as one merge's moves. The storage is
/// left uninitialised (T's default member initialisers would otherwise fill
/// all N on every construction, a kilobyte or two per merge).
template <class T, size_t N>
class FixedVec {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  FixedVec() {}  // NOLINT: user-provided, so data_ stays uninitialised
  void push_back(const T& v) {
    if (size_ == N) std::abort();  // a bound the caller guarantees
    ::new (static_cast<void*>(data_ + size_++)) T(v);
  }
  void erase_at(size_t i) {
    memmove(static_cast<void*>(data_ + i), data_ + i + 1, (size_ - i - 1) * sizeof(T));
    --size_;
  }
  T& operator[](size_t i) { return data_[i]; }
  T& front() { return data_[0]; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }

 private:
  union {
    T data_[N];
  };
  size_t size_ = 0;
};

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CODEGEN_POD_STACK_H_
