#include "cases.hpp"

#include <fmt/core.h>

#include "counted.hpp"
#include "vmio/sim/machine.hpp"
#include "vmio/check/minimise.hpp"
#include "vmio/check/describe.hpp"
#include "vmio/check/scenario.hpp"
#include "vmio/check/scenario_check.hpp"
#include "vmio/check/task_scenario.hpp"

namespace vmio::cli {

using namespace vmio::check;
namespace {

// The second process's scenario of a task case.
constexpr std::uint64_t second_process_salt = 0x5bd1e995ULL;

std::optional<Violation> violation_of(std::span<const std::uint8_t> bytes) {
    return check_scenario(process_machine(), decode_scenario(bytes)).violation;
}

// Minimises a failing input: the smallest input found that breaks the same invariant.
CaseFailure minimised_failure(std::span<const std::uint8_t> bytes, const Violation& violation) {
    std::vector<std::uint8_t> smallest =
        minimise({bytes.begin(), bytes.end()}, [&](std::span<const std::uint8_t> candidate) {
            const auto found = violation_of(candidate);
            return found && found->invariant == violation.invariant;
        });
    const Violation minimal = violation_of(smallest).value_or(violation);
    return {.kind = FailureKind::Invariant,
            .invariant = minimal.invariant,
            .operation = minimal.operation,
            .description = minimal.description,
            .input = std::move(smallest),
            .case_bytes = bytes.size()};
}

void print_operation(std::size_t index, const std::string& operation, const OperationOutcome& outcome) {
    fmt::print("  #{:<3} {:<72} -> {}\n", index, operation, describe(outcome));
}

}  // namespace

sim::Machine& process_machine() {
    static sim::Machine machine(sim::Machine::Config{.user_pages = 16, .kernel_frames = 256});
    return machine;
}

bool runs_as_tasks(std::uint64_t seed) noexcept { return seed % 8 == 0; }

CaseOutcome run_bytes_case(std::span<const std::uint8_t> bytes) {
    const CheckReport report = check_scenario(process_machine(), decode_scenario(bytes));
    CaseOutcome outcome{report.stats, std::nullopt};
    if (report.violation) {
        outcome.failure = minimised_failure(bytes, *report.violation);
    }
    return outcome;
}

CaseOutcome run_seed_case(std::uint64_t seed) {
    const std::vector<std::uint8_t> bytes = generate_bytes(seed);
    if (!runs_as_tasks(seed)) {
        return run_bytes_case(bytes);
    }
    const std::vector<std::uint8_t> second_bytes = generate_bytes(seed ^ second_process_salt);
    const CheckReport report =
        check_tasks(process_machine(), decode_scenario(bytes), decode_scenario(second_bytes), seed);
    CaseOutcome outcome{report.stats, std::nullopt};
    if (report.violation) {
        // Most failures do not need the interleaving: minimise a process's scenario alone if so.
        for (const auto* alone : {&bytes, &second_bytes}) {
            if (const auto violation = violation_of(*alone)) {
                outcome.failure = minimised_failure(*alone, *violation);
                return outcome;
            }
        }
        outcome.failure = CaseFailure{.kind = FailureKind::Invariant,
                                      .invariant = report.violation->invariant,
                                      .operation = report.violation->operation,
                                      .description = "in tasks: " + report.violation->description,
                                      .input = {},
                                      .case_bytes = bytes.size() + second_bytes.size()};
    }
    return outcome;
}

bool replay_bytes(std::span<const std::uint8_t> bytes) {
    const Scenario scenario = decode_scenario(bytes);
    fmt::print("scenario: {}, {}\n", describe_layout(scenario), counted(scenario.operations.size(), "operation"));
    const CheckReport report = check_scenario(process_machine(), scenario, {.on_operation = print_operation, .alter_expectation = {}});
    if (report.violation) {
        fmt::print("FAILED: invariant '{}' broken: {}\n", report.violation->invariant, report.violation->description);
        return false;
    }
    fmt::print("ok: {}, {}, all as the model expects\n", counted(report.stats.operations, "operation"),
               counted(report.stats.faults, "fault"));
    return true;
}

bool replay_seed(std::uint64_t seed) {
    const std::vector<std::uint8_t> bytes = generate_bytes(seed);
    if (!runs_as_tasks(seed)) {
        return replay_bytes(bytes);
    }
    const Scenario first = decode_scenario(bytes);
    const Scenario second = decode_scenario(generate_bytes(seed ^ second_process_salt));
    fmt::print("tasks, schedule seed {}:\nprocess A: {}\nprocess B: {}\nkernel thread: checks that no user space is "
               "reachable\n",
               seed, describe_layout(first), describe_layout(second));
    fmt::print("process A alone:\n");
    const bool first_ok = replay_bytes(bytes);
    fmt::print("process B alone:\n");
    const bool second_ok = replay_bytes(generate_bytes(seed ^ second_process_salt));
    const CheckReport report = check_tasks(process_machine(), first, second, seed);
    if (report.violation) {
        fmt::print("FAILED as tasks: invariant '{}' broken: {}\n", report.violation->invariant,
                   report.violation->description);
        return false;
    }
    fmt::print("as tasks: ok, {}, {}\n", counted(report.stats.operations, "operation"),
               counted(report.stats.faults, "fault"));
    return first_ok && second_ok;
}

}  // namespace vmio::cli
