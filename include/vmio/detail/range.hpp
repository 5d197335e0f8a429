// Range arithmetic without overflow. Every check in vmio of whether `[start, start + length)`
// wraps around or lies within bounds is one of these two functions.
#pragma once

#include "vmio/detail/language.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>

namespace vmio::detail {

static_assert(sizeof(std::size_t) == sizeof(std::uintptr_t), "offsets and addresses share one range arithmetic");

/// Whether `[start, start + length)` lies within `[begin, end)`. False for a range whose end
/// `start + length` does not fit in `std::uintptr_t`, and for `begin > end`.
[[nodiscard]] constexpr bool range_within(std::uintptr_t start, std::size_t length, std::uintptr_t begin,
                                          std::uintptr_t end) noexcept {
    return begin <= start && start <= end && length <= end - start;
}

/// Whether `[start, start + length)` wraps around: its end does not fit in `std::uintptr_t`.
[[nodiscard]] constexpr bool range_wraps(std::uintptr_t start, std::size_t length) noexcept {
    return !range_within(start, length, 0, std::numeric_limits<std::uintptr_t>::max());
}

}  // namespace vmio::detail
