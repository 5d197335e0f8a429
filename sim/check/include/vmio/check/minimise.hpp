// Shrinks a failing input: drops chunks, zeroes bytes and lowers values for as long as the
// failure persists, so that what is reported is a small scenario.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace vmio::check {

/// Whether an input still shows the failure being minimised (same invariant broken).
using StillFails = std::function<bool(std::span<const std::uint8_t>)>;

/// A smaller input for which `still_fails` holds, trying at most `max_attempts` candidates.
[[nodiscard]] std::vector<std::uint8_t> minimise(std::vector<std::uint8_t> input, const StillFails& still_fails,
                                                 std::size_t max_attempts = 4000);

}  // namespace vmio::check
