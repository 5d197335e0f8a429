// How the checker's objects read in reports and replays.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vmio/check/outcome.hpp"
#include "vmio/check/scenario.hpp"
#include "vmio/check/scenario_state.hpp"
#include "vmio/sim/page_table.hpp"

namespace vmio::check {

/// "user reader.read_val<u32>()", "open user reader [area+4090, +12)", ...
[[nodiscard]] std::string describe(const Operation& operation);
/// "pages [ReadWrite FaultOnTouch(2) Truncated] + 1 unmapped ..., kernel buffer 300 bytes".
[[nodiscard]] std::string describe_layout(const Scenario& scenario);
/// "ok, 12 bytes, value 0a0b0c0d" or "PageFault after 3 bytes".
[[nodiscard]] std::string describe(const OperationOutcome& outcome);
/// " 0:ReadWrite 2:FaultOnTouch(k=2,touches=1,resident=1)": pages numbered from `area`.
[[nodiscard]] std::string describe_pages(const sim::PageTable& pages, std::uintptr_t area);
/// "area+12" or "kbuf-3": a cursor's address relative to the region it is meant for.
[[nodiscard]] std::string describe_position(const ScenarioState& state, CursorId id, std::uintptr_t addr);
[[nodiscard]] std::string_view to_string(CursorId cursor) noexcept;
/// "copy_from_user", "copy_to_user", "fill_user".
[[nodiscard]] std::string_view to_string(RawOp raw) noexcept;

}  // namespace vmio::check
