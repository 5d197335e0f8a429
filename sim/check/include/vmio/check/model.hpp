// The reference model: what a fallible copy or fill over a user range must do, computed from
// the page states alone without running it. An operation advances its reader and writer
// cursors by the count it reports (`done`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "vmio/access.hpp"
#include "vmio/error.hpp"
#include "vmio/sim/page_state.hpp"
#include "vmio/sim/page_table.hpp"

namespace vmio::check::model {

/// How far one access of [addr, addr+len) gets, and the page table after it (demand-zero
/// pages mapped in, touches counted, exhausted FaultOnTouch pages gone).
struct AccessOutcome {
    std::size_t done;
    sim::PageTable pages;
};
[[nodiscard]] AccessOutcome access(sim::PageTable pages, std::uintptr_t addr, std::size_t len, Access kind);

/// The expected outcome of an operation: its result, the destination's contents after it (the
/// kernel buffer, or the user range as VmSpace::peek shows it) and the page table after it.
struct Expected {
    CopyResult result;
    std::vector<std::byte> destination;
    sim::PageTable pages;
};

/// Copy `user_bytes.size()` bytes from the user range at `addr` (holding `user_bytes`, as peek
/// shows them) into a kernel buffer holding `kernel_before`.
[[nodiscard]] Expected copy_from_user(const sim::PageTable& pages, std::uintptr_t addr,
                                      std::span<const std::byte> user_bytes,
                                      std::span<const std::byte> kernel_before);
/// Copy `kernel_bytes` to the user range at `addr`, which holds `user_before`.
[[nodiscard]] Expected copy_to_user(const sim::PageTable& pages, std::uintptr_t addr,
                                    std::span<const std::byte> kernel_bytes,
                                    std::span<const std::byte> user_before);
/// Fill the user range at `addr`, which holds `user_before`, with `value`.
[[nodiscard]] Expected fill_user(const sim::PageTable& pages, std::uintptr_t addr, std::byte value,
                                 std::span<const std::byte> user_before);

}  // namespace vmio::check::model
