// The states a simulated user page can be in, and how an access to it ends.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vmio::sim {

/// The state of one user page of a VmSpace.
///
/// A *touch* is a fault on a FaultOnTouch page: the page is kept inaccessible, so the first
/// access after it was set or its space was (re)activated faults. Touches 1..k-1 are resolved
/// (the page becomes read-write until the next activation re-arms it); the k-th touch is not:
/// the page becomes Inaccessible for good, so that the access, and any retry of it, fails.
enum class PageState : std::uint8_t {
    Inaccessible,  ///< nothing mapped: every access faults (SIGSEGV), unresolvable
    ReadWrite,     ///< a frame mapped read-write
    ReadOnly,      ///< a frame mapped read-only: stores fault, unresolvable
    DemandZero,    ///< a zeroed frame mapped in by the first touch, which becomes ReadWrite
    Truncated,     ///< a shared file page beyond the end of the file: every access is SIGBUS
    FaultOnTouch,  ///< a frame whose k-th touch fails (see above)
};

/// Every page state, in order: what decoders draw from and statistics are indexed by. A new
/// state is added to the enum, to this list and to to_string() below.
inline constexpr std::array all_page_states = {PageState::Inaccessible, PageState::ReadWrite, PageState::ReadOnly,
                                               PageState::DemandZero,   PageState::Truncated, PageState::FaultOnTouch};

/// Whether `values` lists an enum's values 0, 1, 2, ... in order (for the tables of all values).
template <typename Enum, std::size_t N>
[[nodiscard]] consteval bool lists_values_in_order(const std::array<Enum, N>& values) {
    for (std::size_t i = 0; i < N; ++i) {
        if (static_cast<std::size_t>(values[i]) != i) {
            return false;
        }
    }
    return true;
}

/// A page's full state: what the resolver and the reference model both decide on.
struct PageStatus {
    PageState state = PageState::Inaccessible;
    std::uint32_t failing_touch = 0;  ///< FaultOnTouch: the k of "the k-th touch fails"
    std::uint32_t touches = 0;        ///< FaultOnTouch: touches so far
    bool resident = false;            ///< FaultOnTouch: resolved since the last activation

    friend constexpr bool operator==(const PageStatus&, const PageStatus&) = default;
};

/// A page set to `state` (any state but FaultOnTouch).
[[nodiscard]] constexpr PageStatus page(PageState state) noexcept { return {.state = state}; }

/// A page whose `k`-th touch fails (k >= 1).
[[nodiscard]] constexpr PageStatus fault_on_touch(std::uint32_t k) noexcept {
    return {.state = PageState::FaultOnTouch, .failing_touch = k};
}

/// Whether a page in this state holds a frame.
[[nodiscard]] constexpr bool has_frame(PageState state) noexcept {
    return state != PageState::Inaccessible && state != PageState::Truncated;
}

[[nodiscard]] constexpr std::string_view to_string(PageState state) noexcept {
    switch (state) {
    case PageState::Inaccessible: return "Inaccessible";
    case PageState::ReadWrite: return "ReadWrite";
    case PageState::ReadOnly: return "ReadOnly";
    case PageState::DemandZero: return "DemandZero";
    case PageState::Truncated: return "Truncated";
    case PageState::FaultOnTouch: return "FaultOnTouch";
    }
    return "?";
}

/// "ReadWrite", "FaultOnTouch(k=2)", "FaultOnTouch(k=2, touches=1, resident)".
[[nodiscard]] inline std::string describe(const PageStatus& status) {
    std::string text(to_string(status.state));
    if (status.state == PageState::FaultOnTouch) {
        text += "(k=" + std::to_string(status.failing_touch);
        if (status.touches != 0 || status.resident) {
            text += ", touches=" + std::to_string(status.touches) + (status.resident ? ", resident" : "");
        }
        text += ")";
    }
    return text;
}

static_assert(lists_values_in_order(all_page_states));
static_assert(to_string(static_cast<PageState>(all_page_states.size())) == "?",
              "a page state is missing from all_page_states");

}  // namespace vmio::sim
