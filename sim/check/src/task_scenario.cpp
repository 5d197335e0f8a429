#include "vmio/check/task_scenario.hpp"

#include <array>
#include <fmt/core.h>

#include "vmio/sim/machine.hpp"
#include "vmio/sim/recovery_engine.hpp"
#include "vmio/sim/scheduler.hpp"
#include "vmio/sim/vm_space.hpp"

namespace vmio::check {

using namespace vmio::sim;  // the simulator this component checks
namespace {

void merge(CheckReport& into, const CheckReport& from, const char* task) {
    into.stats += from.stats;
    if (from.violation && !into.violation) {
        into.violation = from.violation;
        into.violation->description = fmt::format("{}: {}", task, from.violation->description);
    }
}

CheckReport run_tasks(Machine& machine, const Scenario& first, const Scenario& second, std::uint64_t schedule_seed,
                      bool thorough) {
    VmSpace space_a(machine);
    VmSpace space_b(machine);
    ScenarioChecker checker_a(space_a, first, {.on_operation = {}, .alter_expectation = {}, .thorough = thorough});
    ScenarioChecker checker_b(space_b, second, {.on_operation = {}, .alter_expectation = {}, .thorough = thorough});
    Scheduler scheduler(machine, schedule_seed);
    const auto process = [&](ScenarioChecker& checker) {
        return [&] {
            while (checker.step()) {
                scheduler.yield();
                checker.reactivated();  // every time slice activates the task's space again
            }
        };
    };
    CheckReport kernel_thread;
    scheduler.spawn_process("process A", space_a, process(checker_a));
    scheduler.spawn_process("process B", space_b, process(checker_b));
    scheduler.spawn_kernel_thread("kernel thread", [&] {
        const std::uintptr_t user = machine.layout().user_end - first.area_size();
        for (int slice = 0; slice < 4 && !kernel_thread.violation; ++slice) {
            ++kernel_thread.stats.operations;
            std::array<std::byte, 8> buffer{};
            if (space_a.reader(user, 1).has_value() || space_b.writer(user, 1).has_value()) {
                kernel_thread.violation = Violation{"access-denied", 0, "a user space was reachable from a kernel thread"};
            } else if (copy_bytes(Engine::ExceptionTable, buffer.data(), reinterpret_cast<const void*>(user), 8) != 0) {
                kernel_thread.violation = Violation{"access-denied", 0, "the user window was mapped in a kernel thread"};
            }
            ++kernel_thread.stats.faults;  // the copy above hit the unmapped window
            ++kernel_thread.stats.faults_by_state[PageState::Inaccessible];
            scheduler.yield();
        }
    });
    scheduler.run();
    CheckReport report;
    report.stats.task_cases = 1;
    merge(report, checker_a.report(), "process A");
    merge(report, checker_b.report(), "process B");
    merge(report, kernel_thread, "kernel thread");
    return report;
}

}  // namespace

CheckReport check_tasks(Machine& machine, const Scenario& first, const Scenario& second, std::uint64_t schedule_seed) {
    CheckReport report = run_tasks(machine, first, second, schedule_seed, false);
    if (report.violation) {  // again, comparing everything: the first operation to differ
        CheckReport confirmed = run_tasks(machine, first, second, schedule_seed, true);
        if (confirmed.violation) {
            return confirmed;
        }
    }
    return report;
}

}  // namespace vmio::check
