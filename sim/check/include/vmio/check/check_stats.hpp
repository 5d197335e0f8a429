// What a check counts: operations, faults by the state of the page that stopped them, pages
// by state. Typed counters, summed field by field (for_each_counter), so that a campaign can
// add them up across worker processes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "vmio/sim/page_state.hpp"

namespace vmio::check {

/// A counter per page state, indexed by the state.
struct PerPageState {
    std::array<std::uint64_t, sim::all_page_states.size()> counts{};

    [[nodiscard]] constexpr std::uint64_t& operator[](sim::PageState state) noexcept {
        return counts[static_cast<std::size_t>(state)];
    }
    [[nodiscard]] constexpr std::uint64_t operator[](sim::PageState state) const noexcept {
        return counts[static_cast<std::size_t>(state)];
    }
    friend constexpr bool operator==(const PerPageState&, const PerPageState&) = default;
};

struct CheckStats {
    std::uint64_t operations = 0;  ///< operations run
    std::uint64_t faults = 0;      ///< operations that ended in a recovered PageFault
    PerPageState faults_by_state;  ///< faults, by the state of the page that stopped the operation
    PerPageState pages_by_state;   ///< user pages laid out, by state
    std::uint64_t task_cases = 0;  ///< cases run as scheduled tasks

    friend constexpr bool operator==(const CheckStats&, const CheckStats&) = default;

    /// Calls f(counter of `into`, the same counter of `from`) for every counter.
    template <typename F>
    friend constexpr void for_each_counter(CheckStats& into, const CheckStats& from, F f) {
        f(into.operations, from.operations);
        f(into.faults, from.faults);
        for (const sim::PageState state : sim::all_page_states) {
            f(into.faults_by_state[state], from.faults_by_state[state]);
            f(into.pages_by_state[state], from.pages_by_state[state]);
        }
        f(into.task_cases, from.task_cases);
    }

    constexpr CheckStats& operator+=(const CheckStats& other) {
        for_each_counter(*this, other, [](std::uint64_t& sum, std::uint64_t value) { sum += value; });
        return *this;
    }
};

}  // namespace vmio::check
