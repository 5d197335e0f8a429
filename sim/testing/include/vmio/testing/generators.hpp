// RapidCheck generators for properties about VM I/O: page states and layouts of the
// simulated user space, buffers, and ranges biased towards page edges. Every generator
// shrinks towards the simplest case (fewer pages, ReadWrite pages, short ranges at offset 0).
#pragma once

#include <rapidcheck.h>

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <vector>

#include "vmio/sim/layout.hpp"
#include "vmio/sim/page_state.hpp"

namespace vmio::testing {

/// A range [offset, offset + length) inside some larger range.
struct Range {
    std::size_t offset;
    std::size_t length;

    friend constexpr bool operator==(const Range&, const Range&) = default;
    friend std::ostream& operator<<(std::ostream& out, const Range& r) {
        return out << "[" << r.offset << ", +" << r.length << ")";
    }
};

namespace gen {

/// Any page state; FaultOnTouch pages fail on touch 1, 2 or 3.
inline rc::Gen<sim::PageStatus> page_status() {
    using sim::PageState;
    return rc::gen::oneOf(
        rc::gen::element(sim::page(PageState::ReadWrite), sim::page(PageState::ReadOnly),
                         sim::page(PageState::Inaccessible), sim::page(PageState::DemandZero),
                         sim::page(PageState::Truncated)),
        rc::gen::map(rc::gen::inRange<std::uint32_t>(1, 4), [](std::uint32_t k) { return sim::fault_on_touch(k); }));
}

/// A layout of 1..max_pages consecutive user pages.
inline rc::Gen<std::vector<sim::PageStatus>> page_layout(std::size_t max_pages) {
    return rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, max_pages + 1), [](std::size_t pages) {
        return rc::gen::container<std::vector<sim::PageStatus>>(pages, page_status());
    });
}

/// `length` arbitrary bytes.
inline rc::Gen<std::vector<std::byte>> bytes(std::size_t length) {
    return rc::gen::container<std::vector<std::byte>>(
        length, rc::gen::map(rc::gen::arbitrary<std::uint8_t>(), [](std::uint8_t b) { return std::byte{b}; }));
}

/// An offset in [0, size], half the time within 16 bytes of a page edge.
inline rc::Gen<std::size_t> edge_biased_offset(std::size_t size) {
    const std::size_t edges = size / sim::page_size;
    return rc::gen::weightedOneOf<std::size_t>({
        {1, rc::gen::inRange<std::size_t>(0, size + 1)},
        {1, rc::gen::map(rc::gen::pair(rc::gen::inRange<std::size_t>(0, edges + 1), rc::gen::inRange<int>(-16, 17)),
                         [size](const std::pair<std::size_t, int>& edge_and_delta) {
                             const auto at = static_cast<std::ptrdiff_t>(edge_and_delta.first * sim::page_size) +
                                             edge_and_delta.second;
                             return static_cast<std::size_t>(
                                 std::clamp<std::ptrdiff_t>(at, 0, static_cast<std::ptrdiff_t>(size)));
                         })},
    });
}

/// A range inside [0, size), of at most `max_length` bytes, whose ends are often near page
/// edges.
inline rc::Gen<Range> range_in(std::size_t size, std::size_t max_length) {
    return rc::gen::mapcat(edge_biased_offset(size), [size, max_length](std::size_t offset) {
        const std::size_t room = std::min(size - offset, max_length);
        return rc::gen::map(rc::gen::inRange<std::size_t>(0, room + 1),
                            [offset](std::size_t length) { return Range{offset, length}; });
    });
}

}  // namespace gen
}  // namespace vmio::testing

namespace vmio::sim {

/// How RapidCheck prints a page state in a counterexample.
inline void showValue(const PageStatus& status, std::ostream& out) {
    out << describe(status);
}

}  // namespace vmio::sim
