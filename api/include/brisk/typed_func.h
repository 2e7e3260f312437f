/// \file TypedFunc<R(Args...)>: a function whose type was checked once, at
/// lookup, and that is then called without boxing values.
#ifndef BRISK_API_TYPED_FUNC_H_
#define BRISK_API_TYPED_FUNC_H_

#include <algorithm>
#include <tuple>

#include "brisk/func.h"
#include "brisk/wasm_type.h"

namespace brisk {

namespace detail {
using EntryFn = uint32_t (*)(void* vmctx, const void* code, uint64_t* slots);
/// Runs an entry trampoline with the store's stack limit set; returns the trap code.
uint32_t enter(Store& store, EntryFn entry, void* vmctx, const void* code, uint64_t* slots);
/// The Status for trap code `code` of the call that just returned, with its backtrace.
Status trap_status(Store& store, uint32_t code);
/// Fills a TypedFunc's call data or says why `f` does not have type `want`.
Status bind_typed(const Store& store, const Func& f, const FuncType& want, EntryFn* entry, void** vmctx,
                  const void** code, uint64_t* store_id);
/// Aborts with a message if `store` is not the store `id` names.
void check_store(const Store& store, uint64_t id);
}  // namespace detail

template <class Sig> class TypedFunc;

/// Call with `call(store, args...)`: Result<R> for one result, Status for
/// none, Result<std::tuple<...>> for several.
template <class R, class... Args>
class TypedFunc<R(Args...)> {
 public:
  using Ret = std::conditional_t<std::is_void_v<R>, Status, Result<R>>;

  /// Checks `f`'s type against R(Args...).
  static Result<TypedFunc> from(const Store& store, const Func& f) {
    TypedFunc t;
    FuncType want{detail::param_kinds<Args...>(), detail::Results<R>::kinds()};
    BRISK_TRY(detail::bind_typed(store, f, want, &t.entry_, &t.vmctx_, &t.code_, &t.store_id_));
    t.func_ = f;
    return t;
  }

  Ret call(Store& store, Args... args) const {
    detail::check_store(store, store_id_);
    // Positional slots, two for a v128 (detail::kUnits).
    constexpr size_t n = std::max<size_t>({detail::kTotalUnits<Args...>, detail::Results<R>::units, 1});
    constexpr auto at = detail::unit_offsets<Args...>();
    uint64_t slots[n];
    [&]<size_t... I>(std::index_sequence<I...>) {
      (detail::put_slot<Args>(slots + at[I], args), ...);
    }(std::index_sequence_for<Args...>{});
    uint32_t code = detail::enter(store, entry_, vmctx_, code_, slots);
    if (code != 0) return detail::trap_status(store, code);
    if constexpr (std::is_void_v<R>) {
      return Status::ok();
    } else {
      return detail::Results<R>::load(slots, store_id_);
    }
  }

  const Func& func() const { return func_; }

 private:
  detail::EntryFn entry_ = nullptr;
  void* vmctx_ = nullptr;
  const void* code_ = nullptr;
  uint64_t store_id_ = 0;
  Func func_;
};

}  // namespace brisk

#endif  // BRISK_API_TYPED_FUNC_H_
