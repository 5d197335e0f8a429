#include "vmio/check/scenario_check.hpp"

#include <fmt/core.h>

#include "compare.hpp"
#include "executor.hpp"
#include "vmio/check/describe.hpp"
#include "vmio/check/reference_model.hpp"
#include "vmio/sim/machine.hpp"
#include "vmio/sim/vm_space.hpp"

namespace vmio::check {

struct ScenarioChecker::State {
    const Scenario& scenario;
    CheckHooks hooks;
    model::UserSpace user_space;
    Executor executor;
    ScenarioState model;  // what the reference model says the world looks like
    std::size_t next = 0;
    CheckReport report;

    State(sim::VmSpace& space, const Scenario& s, CheckHooks h)
        : scenario(s),
          hooks(std::move(h)),
          user_space{space.layout().user_begin, space.layout().user_end},
          executor(space, s),
          model(model::initial_state(s, executor.area(), executor.kernel_buffer())) {
        for (const sim::PageStatus& status : s.pages) {
            ++report.stats.pages_by_state[status.state];
        }
        executor.restore(model);  // the simulator must now show exactly the model's first state
        if (const auto mismatch = compare_states(executor.observe(), model)) {
            report.violation = Violation{"initial-state", 0, fmt::format("{}: {} ({})", mismatch->invariant,
                                                                          mismatch->detail, describe_layout(s))};
        }
    }

    bool violate(std::string invariant, std::size_t index, const Operation& op, const std::string& detail) {
        report.violation = Violation{std::move(invariant), index,
                                     fmt::format("operation #{} {}: {} ({})", index, describe(op), detail,
                                                 describe_layout(scenario))};
        return false;
    }

    void count(const model::Prediction& prediction) {
        if (prediction.stopped_by) {
            ++report.stats.faults;
            ++report.stats.faults_by_state[*prediction.stopped_by];
        }
    }

    // Compares what an operation did with the model's prediction, which step() already applied.
    bool judge(std::size_t index, const Operation& op, const OperationOutcome& observed, model::Prediction prediction) {
        if (hooks.alter_expectation) {
            hooks.alter_expectation(index, prediction.outcome);
        }
        if (hooks.on_operation) {
            hooks.on_operation(index, describe(op), observed);
        }
        auto mismatch = compare_outcomes(observed, prediction.outcome);
        if (!mismatch) {
            mismatch = compare_states(executor.observe(), model);
        }
        return !mismatch || violate(std::move(mismatch->invariant), index, op, mismatch->detail);
    }

    // A raw operation runs with the exception-table engine, is checked, the world is laid out
    // again as it was, and it runs with the sigsetjmp engine; the two must agree.
    bool run_raw(std::size_t index, const Operation& op) {
        model::rearm(model);
        executor.restore(model);
        const ScenarioState before = model;
        const OperationOutcome table = executor.run_raw(op, sim::Engine::ExceptionTable);
        const model::Prediction prediction = model::step(model, op, user_space);
        count(prediction);
        if (!judge(index, op, table, prediction)) {
            return false;
        }
        model = before;
        executor.restore(model);
        const OperationOutcome jump = executor.run_raw(op, sim::Engine::Sigsetjmp);
        if (!judge(index, op, jump, model::step(model, op, user_space))) {
            return false;
        }
        return table == jump || violate("engines-agree", index, op,
                                        fmt::format("exception table gave {}, sigsetjmp gave {}", describe(table),
                                                    describe(jump)));
    }

    bool step() {
        if (next >= scenario.operations.size() || report.violation) {
            return false;
        }
        const std::size_t index = next++;
        const Operation& op = scenario.operations[index];
        ++report.stats.operations;
        if (op.kind == Operation::Kind::Raw) {
            return run_raw(index, op);
        }
        const OperationOutcome observed = executor.run(op);
        const model::Prediction prediction = model::step(model, op, user_space);
        count(prediction);
        return judge(index, op, observed, prediction);
    }
};

ScenarioChecker::ScenarioChecker(sim::VmSpace& space, const Scenario& scenario, CheckHooks hooks)
    : state_(std::make_unique<State>(space, scenario, std::move(hooks))) {}

ScenarioChecker::~ScenarioChecker() = default;

bool ScenarioChecker::step() { return state_->step() && state_->next < state_->scenario.operations.size(); }

void ScenarioChecker::reactivated() { model::reactivated(state_->model); }

const CheckReport& ScenarioChecker::report() const noexcept { return state_->report; }

CheckReport check_scenario(sim::Machine& machine, const Scenario& scenario, CheckHooks hooks) {
    sim::VmSpace space(machine);
    space.activate();
    ScenarioChecker checker(space, scenario, std::move(hooks));
    while (checker.step()) {
    }
    return checker.report();
}

}  // namespace vmio::check
