// The page rules of the reference model (model.hpp) applied in place: the page table is updated
// as the fault path would update it and the bytes go straight into the destination, with no
// copy of the table or of the ranges. model.hpp's functions and model::step are built on these.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "vmio/access.hpp"
#include "vmio/sim/page_state.hpp"
#include "vmio/sim/page_table.hpp"

namespace vmio::check::model::rules {

/// How far an access got, and for one that stopped early, the state, before the access, of the
/// page that stopped it.
struct Walk {
    std::size_t done = 0;
    std::optional<sim::PageState> stopped_by;
};

/// One access of [addr, addr + len) of `kind`: how far it gets, `pages` updated.
Walk access(sim::PageTable& pages, std::uintptr_t addr, std::size_t len, Access kind);

/// A copy of `user` (the user range at `addr`, as peek shows it) into `into` (same size):
/// the bytes read land in `into` (those of unresolved demand-zero pages as zero), the rest of
/// `into` stays as it was.
Walk copy_from_user(sim::PageTable& pages, std::uintptr_t addr, std::span<const std::byte> user,
                    std::span<std::byte> into);

/// A copy of `user.size()` bytes from `from` (or, if `from` is null, a fill with `value`) into
/// the user range at `addr`, which holds `user`: the bytes written replace those of `user`, and
/// the bytes of the range's unresolved demand-zero pages read as zero.
Walk write_to_user(sim::PageTable& pages, std::uintptr_t addr, const std::byte* from, std::byte value,
                   std::span<std::byte> user);

}  // namespace vmio::check::model::rules
