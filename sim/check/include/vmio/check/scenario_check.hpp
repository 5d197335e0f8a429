// Runs a scenario on a Machine and checks every operation against the reference model:
// execute (the Executor runs it on vmio's cursors), step (the model predicts it), compare the
// result (count, error, value read), the cursors, the whole user area as VmSpace::peek shows
// it (so a write outside the target range is caught), the kernel buffer and the page states;
// for raw engine operations, also that the exception-table and sigsetjmp engines agree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "vmio/check/check_stats.hpp"
#include "vmio/check/outcome.hpp"
#include "vmio/check/scenario.hpp"

namespace vmio::sim {
class Machine;
class VmSpace;
}  // namespace vmio::sim

namespace vmio::check {

/// The first broken invariant: "initial-state" (the simulator did not lay the scenario out as
/// the model starts it), "result", "cursor", "user-memory", "kernel-memory", "page-states" or
/// "engines-agree".
struct Violation {
    std::string invariant;
    std::size_t operation;  ///< its index in the scenario
    std::string description;
};

struct CheckReport {
    CheckStats stats;
    std::optional<Violation> violation;
};

struct CheckHooks {
    /// Called after each operation with its index, description and outcome (verbose replay).
    std::function<void(std::size_t, const std::string&, const OperationOutcome&)> on_operation;
    /// Lets a test alter the model's expectation before the comparison.
    std::function<void(std::size_t, OperationOutcome&)> alter_expectation;
    /// Compare the whole observable state after every operation. Otherwise (unless one of the
    /// hooks above is set) each operation's comparison, whatever its kind, looks at the cursors,
    /// the page states, the kernel buffer and the bytes of the user pages it could have changed
    /// -- those writable before it or faulted on during it: the window keeps every other page
    /// from changing -- and the whole state is compared after the last operation; check_scenario
    /// and check_tasks run a scenario that fails that way again thoroughly, so that the report
    /// is the same.
    bool thorough = false;
    /// Lets a test plant a bug: called with an operation's index, the user area's and the kernel
    /// buffer's addresses right after the operation ran (a raw one: after each engine's run),
    /// before anything is compared; what it writes counts as the operation's doing. It leaves
    /// the comparison narrowed, and a failing scenario is run again with it.
    std::function<void(std::size_t, std::uintptr_t, std::uintptr_t)> plant{};
};

/// One scenario being run step by step in a space, for callers that interleave scenarios
/// (tasks). The space must be the active one whenever step() runs.
class ScenarioChecker {
public:
    ScenarioChecker(sim::VmSpace& space, const Scenario& scenario, CheckHooks hooks = {});
    ~ScenarioChecker();
    ScenarioChecker(const ScenarioChecker&) = delete;
    ScenarioChecker& operator=(const ScenarioChecker&) = delete;

    /// Runs and checks the next operation; false once all ran or an invariant broke.
    bool step();
    /// Tells the model that the space was activated again (FaultOnTouch pages re-armed).
    void reactivated();
    [[nodiscard]] const CheckReport& report() const noexcept;

private:
    struct State;
    std::unique_ptr<State> state_;
};

/// Runs all of `scenario` in a fresh space of `machine`, activated.
[[nodiscard]] CheckReport check_scenario(sim::Machine& machine, const Scenario& scenario, CheckHooks hooks = {});

}  // namespace vmio::check
