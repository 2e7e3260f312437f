/// \file Typed host functions: any C++ callable whose parameters and result
/// map to Wasm types becomes a host function whose exit trampoline calls a
/// thunk made for that callable, reading arguments straight from their slots.
///
///   int32_t(int32_t, int64_t)           one result
///   void(Caller&, int32_t)              a leading Caller& reaches the caller's memory
///   std::tuple<int32_t, double>(...)    several results
///   Result<int32_t>(...), Status(...)   an error traps with its message
#ifndef BRISK_API_HOST_FUNC_H_
#define BRISK_API_HOST_FUNC_H_

#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

#include "brisk/caller.h"
#include "brisk/wasm_type.h"

namespace brisk {
namespace detail {

/// The C-level host callback: `host_ctx` is the function's context (its
/// HostHeader), `slots` its arguments and then its results.
using RawHostFn = uint32_t (*)(void* host_ctx, uint64_t* slots, void* caller_vmctx);

/// The start of every host function's context (checked against the runtime's
/// HostContext layout in api/func.cc).
struct HostHeader {
  void* store_state;
  RawHostFn callback;
  void* env;  ///< the callable
  Store* store;
  uint64_t store_id;
};

/// Records `s` as the store's host error and returns the trap code to return.
uint32_t host_trap(void* host_ctx, const Status& s);

/// Makes a host function of `store` (Func::wrap) or registers one on a linker.
Result<Func> new_host_func(Store& store, const FuncType& type, RawHostFn fn, std::shared_ptr<void> env);

template <class T> struct IsResult : std::false_type {};
template <class T> struct IsResult<Result<T>> : std::true_type { using type = T; };

template <class F> struct Signature : Signature<decltype(&F::operator())> {};
template <class R, class... A> struct Signature<R (*)(A...)> { using Ret = R; using Args = std::tuple<A...>; };
template <class R, class... A> struct Signature<R(A...)> { using Ret = R; using Args = std::tuple<A...>; };
template <class C, class R, class... A> struct Signature<R (C::*)(A...)> { using Ret = R; using Args = std::tuple<A...>; };
template <class C, class R, class... A> struct Signature<R (C::*)(A...) const> { using Ret = R; using Args = std::tuple<A...>; };

/// The Wasm result type behind R (unwrapping Result<> and Status).
template <class R> struct Unwrapped { using type = R; };
template <class T> struct Unwrapped<Result<T>> { using type = T; };
template <> struct Unwrapped<Status> { using type = void; };

template <class F, class Tuple> struct Thunk;
template <class F, class... A> struct Thunk<F, std::tuple<A...>> {
  using R = typename Signature<F>::Ret;
  using W = typename Unwrapped<R>::type;
  static constexpr bool kCaller = sizeof...(A) > 0 && std::is_same_v<Bare<std::tuple_element_t<0, std::tuple<A..., void>>>, Caller>;

  static FuncType type() {
    if constexpr (kCaller) return params_after_caller(std::index_sequence_for<A...>{});
    else return FuncType{param_kinds<A...>(), Results<W>::kinds()};
  }
  template <size_t... I> static FuncType params_after_caller(std::index_sequence<0, I...>) {
    return FuncType{param_kinds<std::tuple_element_t<I, std::tuple<A...>>...>(), Results<W>::kinds()};
  }

  template <size_t... I>
  static R invoke(F& f, HostHeader* h, uint64_t* slots, void* caller, std::index_sequence<I...>) {
    if constexpr (kCaller) {
      Caller c(h->store, caller);
      constexpr auto at = unit_offsets<std::tuple_element_t<I + 1, std::tuple<A...>>...>();
      return f(c, get_slot<std::tuple_element_t<I + 1, std::tuple<A...>>>(slots + at[I], h->store_id)...);
    } else {
      constexpr auto at = unit_offsets<A...>();
      return f(get_slot<A>(slots + at[I], h->store_id)...);
    }
  }

  static uint32_t call(void* ctx, uint64_t* slots, void* caller) {
    auto* h = static_cast<HostHeader*>(ctx);
    F& f = *static_cast<F*>(h->env);
    using Seq = std::make_index_sequence<sizeof...(A) - (kCaller ? 1 : 0)>;
    if constexpr (std::is_same_v<R, Status>) {
      Status s = invoke(f, h, slots, caller, Seq{});
      return s.is_ok() ? 0 : host_trap(ctx, s);
    } else if constexpr (IsResult<R>::value) {
      R r = invoke(f, h, slots, caller, Seq{});
      if (!r) return host_trap(ctx, r.status());
      if constexpr (!std::is_void_v<W>) Results<W>::store(slots, r.value());
      return 0;
    } else if constexpr (std::is_void_v<R>) {
      invoke(f, h, slots, caller, Seq{});
      return 0;
    } else {
      Results<R>::store(slots, invoke(f, h, slots, caller, Seq{}));
      return 0;
    }
  }
};

template <class F> using ThunkFor = Thunk<std::decay_t<F>, typename Signature<std::decay_t<F>>::Args>;

}  // namespace detail

template <class F>
Result<Func> Func::wrap(Store& store, F&& f) {
  using T = detail::ThunkFor<F>;
  auto env = std::make_shared<std::decay_t<F>>(std::forward<F>(f));
  return detail::new_host_func(store, T::type(), &T::call, std::move(env));
}

}  // namespace brisk

#endif  // BRISK_API_HOST_FUNC_H_
