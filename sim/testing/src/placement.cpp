#include "placement.hpp"

#include <fmt/format.h>

#include <limits>

namespace vmio::testing::detail {
namespace {

using sim::page_size;

constexpr std::uintptr_t page_of(std::uintptr_t addr) noexcept { return addr - addr % page_size; }
constexpr std::size_t pages_for(std::size_t bytes) noexcept { return (bytes + page_size - 1) / page_size; }

// The first-touch run: every declared page faults once per run and is resolved.
constexpr sim::PageStatus resolved_on_touch = sim::fault_on_touch(std::numeric_limits<std::uint32_t>::max());

std::string describe_state(const sim::PageStatus& status, const FaultPoint& point) {
    switch (status.state) {
    case sim::PageState::ReadWrite: return "read-write";
    case sim::PageState::FaultOnTouch: return "faulting on first touch, resolved";
    default: return std::string(to_string(point.kind));
    }
}

}  // namespace

Placement::Placement(const std::vector<UserBuffer>& buffers, std::uintptr_t window_begin) {
    std::uintptr_t next = window_begin;
    for (const UserBuffer& buffer : buffers) {
        const Slot slot{.begin = next, .data_pages = pages_for(buffer.size) + 1, .size = buffer.size};
        slots_.push_back(slot);
        data_pages_total_ += slot.data_pages;
        next += (slot.data_pages + 1) * page_size;
    }
    end_guard_ = next;
    window_pages_ = (end_guard_ - window_begin) / page_size + 1;
}

std::uintptr_t Placement::start(std::size_t buffer, const FaultPoint& point) const noexcept {
    const Slot& slot = slots_[buffer];
    const std::uintptr_t data = slot.begin + page_size;
    if (point.where == FaultPoint::Where::Byte && point.buffer == buffer) {
        return data + pages_for(point.offset) * page_size - point.offset;
    }
    return data + slot.data_pages * page_size - slot.size;
}

std::vector<std::uintptr_t> Placement::addresses(const FaultPoint& point) const {
    std::vector<std::uintptr_t> result;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        result.push_back(start(i, point));
    }
    return result;
}

sim::PageStatus Placement::state_of(std::size_t buffer, const FaultPoint& point, std::uintptr_t page) const {
    const std::uintptr_t first = start(buffer, point);
    const std::uintptr_t end = first + slots_[buffer].size;
    if (page + page_size <= first || page >= end) {
        return sim::page(sim::PageState::Inaccessible);  // a guard
    }
    const bool armed = point.buffer == buffer &&
                       ((point.where == FaultPoint::Where::Page && (page - page_of(first)) / page_size == point.offset) ||
                        (point.where == FaultPoint::Where::Byte && page >= first + point.offset));
    if (armed) {
        return sim::page(page_state_of(point.kind));
    }
    return point.where == FaultPoint::Where::FirstTouch ? resolved_on_touch : sim::page(sim::PageState::ReadWrite);
}

std::vector<sim::PageStatus> Placement::slot_states(std::size_t buffer, const FaultPoint& point) const {
    std::vector<sim::PageStatus> states{sim::page(sim::PageState::Inaccessible)};
    const std::uintptr_t data = slots_[buffer].begin + page_size;
    for (std::size_t i = 0; i < slots_[buffer].data_pages; ++i) {
        states.push_back(state_of(buffer, point, data + i * page_size));
    }
    return states;
}

std::vector<std::uintptr_t> Placement::declared_pages(std::size_t buffer, const FaultPoint& point) const {
    std::vector<std::uintptr_t> pages;
    const std::uintptr_t first = start(buffer, point);
    for (std::uintptr_t page = page_of(first); page < first + slots_[buffer].size; page += page_size) {
        pages.push_back(page);
    }
    return pages;
}

std::vector<std::uintptr_t> Placement::armed_pages(const FaultPoint& point) const {
    std::vector<std::uintptr_t> pages;
    if (point.where != FaultPoint::Where::Page && point.where != FaultPoint::Where::Byte) {
        return pages;
    }
    for (const std::uintptr_t page : declared_pages(point.buffer, point)) {
        if (state_of(point.buffer, point, page).state == page_state_of(point.kind)) {
            pages.push_back(page);
        }
    }
    return pages;
}

std::vector<std::string> Placement::describe(const std::vector<UserBuffer>& buffers, const FaultPoint& point) const {
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        const std::uintptr_t first = start(i, point);
        std::string line = fmt::format("{}: {} B at {:#x}", buffers[i].name, slots_[i].size, first);
        // Runs of bytes on pages in the same state: "bytes [0, 17) read-write, [17, 300) not-present".
        std::string separator = ": bytes ";
        std::size_t run_begin = 0;
        for (const std::uintptr_t page : declared_pages(i, point)) {
            const std::size_t page_end = std::min(page + page_size - first, slots_[i].size);
            const std::string state = describe_state(state_of(i, point, page), point);
            const bool last = page + page_size >= first + slots_[i].size;
            const bool changes = last || describe_state(state_of(i, point, page + page_size), point) != state;
            if (changes) {
                line += fmt::format("{}[{}, {}) {}", separator, run_begin, page_end, state);
                separator = ", ";
                run_begin = page_end;
            }
        }
        lines.push_back(std::move(line));
    }
    return lines;
}

std::string Placement::describe_guard(const std::vector<UserBuffer>& buffers, const FaultPoint& point,
                                      std::uintptr_t page) const {
    // The buffer nearest to the page, and on which side of it the page lies.
    std::string nearest = "outside every declared buffer";
    std::uintptr_t best = std::numeric_limits<std::uintptr_t>::max();
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        const std::uintptr_t first = start(i, point);
        const std::uintptr_t end = first + slots_[i].size;
        if (page >= end && page - end < best) {
            best = page - end;
            nearest = fmt::format("which starts {} B after the end of buffer '{}'", best, buffers[i].name);
        } else if (page + page_size <= first && first - (page + page_size) < best) {
            best = first - (page + page_size);
            nearest = fmt::format("which ends {} B before buffer '{}'", best, buffers[i].name);
        }
    }
    return fmt::format("user page {:#x}, {}", page, nearest);
}

}  // namespace vmio::testing::detail
