// Fallible 32/64-bit atomics for C++ callers (on top of vmio/fallible.h).
#pragma once

#include "vmio/detail/language.hpp"

#include <bit>
#include <concepts>
#include <cstdint>

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

/// Atomically loads `*ptr`. `PageFault` if the load faulted; panics if misaligned.
template <PodAtomic T>
[[nodiscard]] Result<T> atomic_load_fallible(const T* ptr) noexcept {
    if (std::bit_cast<std::uintptr_t>(ptr) % alignof(T) != 0) {
        panic("atomic_load_fallible: misaligned address");
    }
    T value{};
    int status;
    if constexpr (sizeof(T) == 4) {
        status = detail::call_fallible<vmio_atomic_load_u32_fallible>(ptr, &value);
    } else {
        status = detail::call_fallible<vmio_atomic_load_u64_fallible>(ptr, &value);
    }
    if (status == VMIO_FAULTED) {
        return std::unexpected(Error::PageFault);
    }
    return value;
}

/// Atomically replaces `*ptr` with `desired` if it equals `expected`. `PageFault` (and
/// nothing stored) if the access faulted; panics if misaligned.
template <PodAtomic T>
[[nodiscard]] Result<CompareExchange<T>> atomic_compare_exchange_fallible(T* ptr, T expected, T desired) noexcept {
    if (std::bit_cast<std::uintptr_t>(ptr) % alignof(T) != 0) {
        panic("atomic_compare_exchange_fallible: misaligned address");
    }
    T previous = expected;
    int status;
    if constexpr (sizeof(T) == 4) {
        status = detail::call_fallible<vmio_atomic_cmpxchg_u32_fallible>(ptr, &previous, desired);
    } else {
        status = detail::call_fallible<vmio_atomic_cmpxchg_u64_fallible>(ptr, &previous, desired);
    }
    if (status == VMIO_FAULTED) {
        return std::unexpected(Error::PageFault);
    }
    return CompareExchange<T>{previous, previous == expected};
}

}  // namespace vmio
