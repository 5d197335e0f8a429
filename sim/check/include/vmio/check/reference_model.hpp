// The reference model of a scenario: from a ScenarioState and one operation, the outcome the
// operation must have and the state it must leave, computed without running anything. Every
// rule of the VM I/O API lives here: which cursors may open where, clamping, InvalidArgs for
// values that do not fit, rollback of a faulting read_val/write_val/collect, how far
// read_cstring reads and how it ends, the alignment padding of the atomics and what each one
// stores, and (through model.hpp) how far a copy gets over each page state.
#pragma once

#include <cstdint>
#include <optional>

#include "vmio/check/outcome.hpp"
#include "vmio/check/scenario.hpp"
#include "vmio/check/scenario_state.hpp"
#include "vmio/sim/page_state.hpp"

namespace vmio::check::model {

/// Where user cursors may be opened: [begin, end) is the user window.
struct UserSpace {
    std::uintptr_t begin;
    std::uintptr_t end;
};

/// The state `scenario` starts in with its user area at `area` and its kernel buffer at
/// `kernel_buffer`: the pages laid out, frames holding the scenario's content (demand-zero
/// frames zero, pages without a frame reading as zero), every cursor empty at the kernel buffer.
[[nodiscard]] ScenarioState initial_state(const Scenario& scenario, std::uintptr_t area, std::uintptr_t kernel_buffer);

/// What the model predicts for one operation.
struct Prediction {
    OperationOutcome outcome;
    /// For a PageFault: the state, before the operation, of the page that stopped it.
    std::optional<sim::PageState> stopped_by;
};

/// Applies `operation` to `state` and returns its predicted outcome.
[[nodiscard]] Prediction step(ScenarioState& state, const Operation& operation, const UserSpace& user_space);

/// The space was activated again: FaultOnTouch pages are no longer resident.
void reactivated(ScenarioState& state);

/// Gives every FaultOnTouch page touched t times the equivalent fresh status (failing at touch
/// k - t): the form in which a state can be laid out again on the simulator.
void rearm(ScenarioState& state);

}  // namespace vmio::check::model
