// Where the explorer puts a subject's buffers in the user window, and which pages of them a
// fault point arms.
//
// Each buffer owns a slot: one guard page, then ceil(size / page) + 1 data pages (room to
// place it at any byte offset); one more guard page ends the window. By default a buffer ends
// exactly at the page after its slot's data pages, so that a body running past its end faults
// on a guard page; a Byte point moves it so that its byte N starts a page. Data pages of a
// slot that the buffer does not overlap are guards too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "vmio/sim/layout.hpp"
#include "vmio/sim/page_state.hpp"
#include "vmio/testing/explorer.hpp"

namespace vmio::testing::detail {

class Placement {
public:
    Placement(const std::vector<UserBuffer>& buffers, std::uintptr_t window_begin);

    /// Pages of user window the placement needs.
    [[nodiscard]] std::size_t window_pages() const noexcept { return window_pages_; }
    /// Data pages in all slots: frames the explorer may need at once.
    [[nodiscard]] std::size_t data_pages() const noexcept { return data_pages_total_; }

    /// The buffers' addresses in a run with this point.
    [[nodiscard]] std::vector<std::uintptr_t> addresses(const FaultPoint& point) const;

    /// The first page of buffer `buffer`'s slot (its guard page) and the slot's page count.
    [[nodiscard]] std::uintptr_t slot_begin(std::size_t buffer) const noexcept { return slots_[buffer].begin; }
    [[nodiscard]] std::size_t slot_pages(std::size_t buffer) const noexcept { return slots_[buffer].data_pages + 1; }
    /// The first page after the last slot: the closing guard page.
    [[nodiscard]] std::uintptr_t end_guard() const noexcept { return end_guard_; }

    /// The state of every page of buffer `buffer`'s slot in a run with this point.
    [[nodiscard]] std::vector<sim::PageStatus> slot_states(std::size_t buffer, const FaultPoint& point) const;
    /// The pages the buffer overlaps (declared pages) in a run with this point.
    [[nodiscard]] std::vector<std::uintptr_t> declared_pages(std::size_t buffer, const FaultPoint& point) const;
    /// The pages this point arms (empty for None and FirstTouch).
    [[nodiscard]] std::vector<std::uintptr_t> armed_pages(const FaultPoint& point) const;

    /// "buf: 300 B at 0x7f..ed4: bytes [0, 17) read-write, [17, 300) not-present".
    [[nodiscard]] std::vector<std::string> describe(const std::vector<UserBuffer>& buffers, const FaultPoint& point) const;
    /// Which guard the page at `page` is: "the guard page after buffer 'buf'".
    [[nodiscard]] std::string describe_guard(const std::vector<UserBuffer>& buffers, const FaultPoint& point,
                                             std::uintptr_t page) const;

private:
    struct Slot {
        std::uintptr_t begin;    // the guard page
        std::size_t data_pages;  // after it
        std::size_t size;        // the buffer's
    };
    [[nodiscard]] std::uintptr_t start(std::size_t buffer, const FaultPoint& point) const noexcept;
    [[nodiscard]] sim::PageStatus state_of(std::size_t buffer, const FaultPoint& point, std::uintptr_t page) const;

    std::vector<Slot> slots_;
    std::uintptr_t end_guard_ = 0;
    std::size_t window_pages_ = 0;
    std::size_t data_pages_total_ = 0;
};

}  // namespace vmio::testing::detail
