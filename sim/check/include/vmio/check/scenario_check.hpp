// Runs a scenario on a Machine and checks every operation against the reference model: the
// result (count, error, value read), the cursors, the whole user area as VmSpace::peek shows
// it (so a write outside the target range is caught), the kernel buffer, the page states, and
// for raw engine operations that the exception-table and sigsetjmp engines agree.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vmio/error.hpp"
#include "vmio/check/scenario.hpp"

namespace vmio::sim {
class Machine;
class VmSpace;
}  // namespace vmio::sim

namespace vmio::check {

/// What one operation gave, or must give: the error if it failed (none: success), the bytes
/// it transferred (for a PageFault, those before the fault) and the value it read, if any.
struct OperationOutcome {
    std::optional<Error> error;
    std::size_t count = 0;
    std::vector<std::byte> value;

    friend bool operator==(const OperationOutcome&, const OperationOutcome&) = default;
};
[[nodiscard]] std::string describe(const OperationOutcome& outcome);

/// The first broken invariant: "result", "cursor", "user-memory", "kernel-memory",
/// "page-states" or "engines-agree".
struct Violation {
    std::string invariant;
    std::size_t operation;  ///< its index in the scenario
    std::string description;
};

struct CheckReport {
    std::size_t operations = 0;  ///< operations run
    std::size_t faults = 0;      ///< operations that ended in a recovered PageFault
    /// Faults by the state (PageState's value) of the page that stopped the operation.
    std::array<std::uint64_t, 6> faults_by_state{};
    std::optional<Violation> violation;
};

struct CheckHooks {
    /// Called after each operation with its index, description and outcome (verbose replay).
    std::function<void(std::size_t, const std::string&, const OperationOutcome&)> on_operation;
    /// Lets a test alter the model's expectation before the comparison.
    std::function<void(std::size_t, OperationOutcome&)> alter_expectation;
};

/// One scenario being run step by step in a space, for callers that interleave scenarios
/// (tasks). The space must be the active one whenever step() runs.
class ScenarioChecker {
public:
    ScenarioChecker(sim::Machine& machine, sim::VmSpace& space, const Scenario& scenario, CheckHooks hooks = {});
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
