// Everything a scenario can observe at one moment: the page states, the user area's bytes, the
// kernel buffer and the four cursors. The reference model predicts one (model::step), the
// executor reads one off the simulator (Executor::observe), and the checker compares the two
// after every operation.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "vmio/check/scenario.hpp"
#include "vmio/sim/page_table.hpp"

namespace vmio::check {

/// Where a cursor is and how far it may go: [at, end) as addresses.
struct CursorWindow {
    std::uintptr_t at = 0;
    std::uintptr_t end = 0;

    [[nodiscard]] std::size_t left() const noexcept { return end - at; }
    friend bool operator==(const CursorWindow&, const CursorWindow&) = default;
};

struct ScenarioState {
    std::uintptr_t area = 0;           ///< the user area's first byte
    std::uintptr_t kernel_buffer = 0;  ///< the kernel buffer's first byte
    sim::PageTable pages;              ///< every page not Inaccessible
    std::vector<std::byte> user;       ///< the user area as VmSpace::peek shows it
    std::vector<std::byte> kernel;     ///< the kernel buffer
    std::array<CursorWindow, all_cursors.size()> cursors{};

    [[nodiscard]] CursorWindow& cursor(CursorId id) noexcept { return cursors[static_cast<std::size_t>(id)]; }
    [[nodiscard]] const CursorWindow& cursor(CursorId id) const noexcept {
        return cursors[static_cast<std::size_t>(id)];
    }
    /// The bytes of [addr, addr + len) of the user area / the kernel buffer.
    [[nodiscard]] std::span<std::byte> user_at(std::uintptr_t addr, std::size_t len) noexcept {
        return {user.data() + (addr - area), len};
    }
    [[nodiscard]] std::span<std::byte> kernel_at(std::uintptr_t addr, std::size_t len) noexcept {
        return {kernel.data() + (addr - kernel_buffer), len};
    }
};

}  // namespace vmio::check
