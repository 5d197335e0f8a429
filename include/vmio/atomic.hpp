// Fallible 32/64-bit atomics for C++ callers (on top of vmio/fallible.h): load, store,
// exchange, fetch-add, fetch-update and compare-exchange of a naturally aligned
// std::uint32_t or std::uint64_t that may fault.
//
// Each returns PageFault if the access faulted, and then nothing was stored; every operation
// but the load needs write access, so a read-only page faults. A misaligned address is a
// violated precondition: it panics.
//
// Memory order. `order` is the weakest ordering the caller needs (relaxed by default). Every
// routine is sequentially consistent on every architecture, so every order (relaxed,
// acquire, release, acq_rel, seq_cst; consume counts as acquire) is honoured, and a relaxed
// operation costs what a sequentially consistent one does. The instructions (the C++ mappings
// of each memory model):
//
//   x86_64   load `mov`; store and exchange `xchg`; fetch-add `lock xadd`; compare-exchange
//            `lock cmpxchg`
//   aarch64  load `ldar`; store `stlr`; exchange, fetch-add and compare-exchange an
//            `ldaxr`/`stlxr` loop (ARMv8.0: no LSE needed)
//   riscv64  load `fence rw,rw; l[wd]; fence r,rw`; store, exchange and fetch-add
//            `amoswap`/`amoadd` with .aqrl; compare-exchange an `lr.aqrl`/`sc.rl` loop
//
// A fault is recovered by the exception table (no sentinel value: results travel through
// out-parameters of the routines), so every value of T is a legitimate result.
#pragma once

#include "vmio/detail/language.hpp"

#include <atomic>
#include <bit>
#include <concepts>
#include <cstdint>
#include <type_traits>

#include "vmio/detail/thread.hpp"
#include "vmio/error.hpp"
#include "vmio/fallible.h"
#include "vmio/panic.hpp"

namespace vmio {

/// Types that the fallible atomics accept (Asterinas' `PodAtomic`).
template <typename T>
concept PodAtomic = std::same_as<T, std::uint32_t> || std::same_as<T, std::uint64_t>;

/// Outcome of a compare-exchange that did not fault.
template <PodAtomic T>
struct CompareExchange {
    T previous;      ///< the value found at the address
    bool exchanged;  ///< whether `desired` was stored (previous == expected)

    friend constexpr bool operator==(const CompareExchange&, const CompareExchange&) = default;
};

namespace detail {

template <PodAtomic T>
void require_aligned(const T* ptr, const char* what) noexcept {
    if (std::bit_cast<std::uintptr_t>(ptr) % alignof(T) != 0) {
        panic(what);
    }
}

// The raw routines of vmio/fallible.h for T's width, without the entry check (the C++
// functions below add it; tests and benchmarks call these directly).
template <PodAtomic T>
[[gnu::always_inline]] inline int raw_load(const T* ptr, T* value) noexcept {
    if constexpr (sizeof(T) == 4) {
        return vmio_atomic_load_u32_fallible(ptr, value);
    } else {
        return vmio_atomic_load_u64_fallible(ptr, value);
    }
}
template <PodAtomic T>
[[gnu::always_inline]] inline int raw_store(T* ptr, std::type_identity_t<T> value) noexcept {
    if constexpr (sizeof(T) == 4) {
        return vmio_atomic_store_u32_fallible(ptr, value);
    } else {
        return vmio_atomic_store_u64_fallible(ptr, value);
    }
}
template <PodAtomic T>
[[gnu::always_inline]] inline int raw_exchange(T* ptr, std::type_identity_t<T> value, T* previous) noexcept {
    if constexpr (sizeof(T) == 4) {
        return vmio_atomic_exchange_u32_fallible(ptr, value, previous);
    } else {
        return vmio_atomic_exchange_u64_fallible(ptr, value, previous);
    }
}
template <PodAtomic T>
[[gnu::always_inline]] inline int raw_fetch_add(T* ptr, std::type_identity_t<T> delta, T* previous) noexcept {
    if constexpr (sizeof(T) == 4) {
        return vmio_atomic_fetch_add_u32_fallible(ptr, delta, previous);
    } else {
        return vmio_atomic_fetch_add_u64_fallible(ptr, delta, previous);
    }
}
template <PodAtomic T>
[[gnu::always_inline]] inline int raw_cmpxchg(T* ptr, T* expected, std::type_identity_t<T> desired) noexcept {
    if constexpr (sizeof(T) == 4) {
        return vmio_atomic_cmpxchg_u32_fallible(ptr, expected, desired);
    } else {
        return vmio_atomic_cmpxchg_u64_fallible(ptr, expected, desired);
    }
}

}  // namespace detail

/// Atomically loads `*ptr`.
template <PodAtomic T>
[[nodiscard]] Result<T> atomic_load_fallible(const T* ptr,
                                             std::memory_order order = std::memory_order_relaxed) noexcept {
    (void)order;  // every order is honoured: see the top of this file
    detail::require_aligned(ptr, "atomic_load_fallible: misaligned address");
    T value{};
    if (detail::call_fallible<detail::raw_load<T>>(ptr, &value) ==
        VMIO_FAULTED) {
        return std::unexpected(Error::PageFault);
    }
    return value;
}

/// Atomically stores `value` at `ptr`.
template <PodAtomic T>
[[nodiscard]] Result<void> atomic_store_fallible(T* ptr, std::type_identity_t<T> value,
                                                 std::memory_order order = std::memory_order_relaxed) noexcept {
    (void)order;
    detail::require_aligned(ptr, "atomic_store_fallible: misaligned address");
    if (detail::call_fallible<detail::raw_store<T>>(ptr, value) ==
        VMIO_FAULTED) {
        return std::unexpected(Error::PageFault);
    }
    return {};
}

/// Atomically replaces `*ptr` with `value`; returns the value it held.
template <PodAtomic T>
[[nodiscard]] Result<T> atomic_exchange_fallible(T* ptr, std::type_identity_t<T> value,
                                                 std::memory_order order = std::memory_order_relaxed) noexcept {
    (void)order;
    detail::require_aligned(ptr, "atomic_exchange_fallible: misaligned address");
    T previous{};
    if (detail::call_fallible<detail::raw_exchange<T>>(ptr, value, &previous) == VMIO_FAULTED) {
        return std::unexpected(Error::PageFault);
    }
    return previous;
}

/// Atomically adds `delta` to `*ptr` (wrapping); returns the value it held.
template <PodAtomic T>
[[nodiscard]] Result<T> atomic_fetch_add_fallible(T* ptr, std::type_identity_t<T> delta,
                                                  std::memory_order order = std::memory_order_relaxed) noexcept {
    (void)order;
    detail::require_aligned(ptr, "atomic_fetch_add_fallible: misaligned address");
    T previous{};
    if (detail::call_fallible<detail::raw_fetch_add<T>>(ptr, delta, &previous) == VMIO_FAULTED) {
        return std::unexpected(Error::PageFault);
    }
    return previous;
}

/// Atomically replaces `*ptr` with `desired` if it equals `expected`; returns the value found
/// and whether it was replaced.
template <PodAtomic T>
[[nodiscard]] Result<CompareExchange<T>> atomic_compare_exchange_fallible(
    T* ptr, std::type_identity_t<T> expected, std::type_identity_t<T> desired,
    std::memory_order order = std::memory_order_relaxed) noexcept {
    (void)order;
    detail::require_aligned(ptr, "atomic_compare_exchange_fallible: misaligned address");
    T previous = expected;
    if (detail::call_fallible<detail::raw_cmpxchg<T>>(ptr, &previous, desired) == VMIO_FAULTED) {
        return std::unexpected(Error::PageFault);
    }
    return CompareExchange<T>{previous, previous == expected};
}

/// Atomically replaces `*ptr` with `f(old)`, where `old` is the value it held, and returns
/// `old`: a compare-exchange loop (Asterinas' fetch_update), which calls `f` again whenever
/// another writer changed the value in between. `f` must not throw.
template <PodAtomic T, typename F>
    requires std::is_invocable_r_v<T, F&, T>
[[nodiscard]] Result<T> atomic_fetch_update_fallible(T* ptr, F f,
                                                     std::memory_order order = std::memory_order_relaxed) noexcept {
    detail::require_aligned(ptr, "atomic_fetch_update_fallible: misaligned address");
    Result<T> old = atomic_load_fallible(ptr, order);
    while (old) {
        const Result<CompareExchange<T>> swapped = atomic_compare_exchange_fallible(ptr, *old, f(*old), order);
        if (!swapped) {
            return std::unexpected(swapped.error());
        }
        if (swapped->exchanged) {
            break;
        }
        old = swapped->previous;
    }
    return old;
}

}  // namespace vmio
