#include "vmio/check/scenario_check.hpp"

#include <fmt/core.h>

#include "compare.hpp"
#include "executor.hpp"
#include "vmio/check/describe.hpp"
#include "vmio/check/reference_model.hpp"
#include "vmio/sim/machine.hpp"
#include "vmio/sim/vm_space.hpp"

namespace vmio::check {
namespace {

bool is_thorough(const CheckHooks& hooks) noexcept {
    return hooks.thorough || hooks.on_operation || hooks.alter_expectation;
}

}  // namespace

struct ScenarioChecker::State {
    const Scenario& scenario;
    CheckHooks hooks;
    bool thorough;
    model::UserSpace user_space;
    Executor executor;
    ScenarioState model;   // what the reference model says the world looks like
    ScenarioState before;  // a raw operation's state before it ran, kept to reuse its memory
    std::size_t next = 0;
    CheckReport report;

    State(sim::VmSpace& space, const Scenario& s, CheckHooks h)
        : scenario(s),
          hooks(std::move(h)),
          thorough(is_thorough(hooks)),
          user_space{space.layout().user_begin, space.layout().user_end},
          executor(space, s),
          model(model::initial_state(s, executor.area(), executor.kernel_buffer())) {
        for (const sim::PageStatus& status : s.pages) {
            ++report.stats.pages_by_state[status.state];
        }
        executor.restore(model);  // the simulator must now show exactly the model's first state
        if (const auto mismatch = compare(Executor::all_pages, true)) {
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

    void planted(std::size_t index) {
        if (hooks.plant) {
            hooks.plant(index, executor.area(), executor.kernel_buffer());
        }
    }

    // The first difference between the simulator and the model: everything when thorough or
    // `everywhere`, otherwise the cursors, the page states, the bytes of `pages` and the kernel
    // buffer. Only a difference is worth copying the whole state for.
    std::optional<Mismatch> compare(Executor::PageSet pages, bool everywhere) const {
        if (!thorough && (everywhere ? executor.matches_everywhere(model) : executor.matches(model, pages))) {
            return std::nullopt;
        }
        return compare_states(executor.observe(), model);
    }

    // Compares what an operation did with the model's prediction, which step() already applied;
    // `pages` (and the kernel buffer) are what the operation could have changed. `run` names
    // which of a raw operation's two runs this is.
    bool judge(std::size_t index, const Operation& op, const OperationOutcome& observed, model::Prediction prediction,
               Executor::PageSet pages, std::string_view run = {}) {
        if (hooks.alter_expectation) {
            hooks.alter_expectation(index, prediction.outcome);
        }
        if (hooks.on_operation) {
            hooks.on_operation(index, run.empty() ? describe(op) : fmt::format("{}, {}", describe(op), run), observed);
        }
        auto mismatch = compare_outcomes(observed, prediction.outcome);
        if (!mismatch) {
            mismatch = compare(pages, index + 1 == scenario.operations.size());
        }
        return !mismatch || violate(std::move(mismatch->invariant), index, op, mismatch->detail);
    }

    // A raw operation runs with the exception-table engine, is checked, the world is laid out
    // again as it was, and it runs with the sigsetjmp engine; the two must agree. The simulator
    // showed the model's state after the last operation, so laying it out again takes only the
    // re-armed page states, and after the first run, what that run could have changed.
    bool run_raw(std::size_t index, const Operation& op) {
        model::rearm(model);
        executor.restore(model, 0, false);
        before = model;
        executor.before_operation();
        const OperationOutcome table = executor.run_raw(op, sim::Engine::ExceptionTable);
        planted(index);
        const Executor::PageSet touched = executor.touched();
        const model::Prediction prediction = model::step(model, op, user_space);
        count(prediction);
        if (!judge(index, op, table, prediction, touched, "exception table")) {
            return false;
        }
        model = before;
        executor.restore(model, touched, true);
        executor.before_operation();
        const OperationOutcome jump = executor.run_raw(op, sim::Engine::Sigsetjmp);
        planted(index);
        const Executor::PageSet touched_again = executor.touched();
        if (!judge(index, op, jump, model::step(model, op, user_space), touched_again, "sigsetjmp")) {
            return false;
        }
        return same_outcome(table, jump) || violate("engines-agree", index, op,
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
        // Opening, limiting or skipping a cursor should write nothing, but what it wrongly wrote
        // must be compared now: a later operation may write over it what the model expects.
        executor.before_operation();
        const OperationOutcome observed = executor.run(op);
        planted(index);
        const Executor::PageSet touched = executor.touched();
        const model::Prediction prediction = model::step(model, op, user_space);
        count(prediction);
        return judge(index, op, observed, prediction, touched);
    }
};

ScenarioChecker::ScenarioChecker(sim::VmSpace& space, const Scenario& scenario, CheckHooks hooks)
    : state_(std::make_unique<State>(space, scenario, std::move(hooks))) {}

ScenarioChecker::~ScenarioChecker() = default;

bool ScenarioChecker::step() { return state_->step() && state_->next < state_->scenario.operations.size(); }

void ScenarioChecker::reactivated() { model::reactivated(state_->model); }

const CheckReport& ScenarioChecker::report() const noexcept { return state_->report; }

namespace {

CheckReport check_alone(sim::Machine& machine, const Scenario& scenario, CheckHooks hooks) {
    sim::VmSpace space(machine);
    space.activate();
    ScenarioChecker checker(space, scenario, std::move(hooks));
    while (checker.step()) {
    }
    return checker.report();
}

}  // namespace

CheckReport check_scenario(sim::Machine& machine, const Scenario& scenario, CheckHooks hooks) {
    const bool thorough = is_thorough(hooks);
    auto plant = hooks.plant;
    CheckReport report = check_alone(machine, scenario, std::move(hooks));
    if (report.violation && !thorough) {  // again, comparing everything: the first operation to differ
        CheckReport confirmed = check_alone(
            machine, scenario,
            {.on_operation = {}, .alter_expectation = {}, .thorough = true, .plant = std::move(plant)});
        if (confirmed.violation) {
            return confirmed;
        }
    }
    return report;
}

}  // namespace vmio::check
