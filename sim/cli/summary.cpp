#include "summary.hpp"

#include <fmt/core.h>

#include "cases.hpp"
#include "vmio/sim/page_state.hpp"

namespace vmio::cli {
namespace {

constexpr sim::PageState all_states[] = {sim::PageState::Inaccessible, sim::PageState::ReadWrite, sim::PageState::ReadOnly,
                                    sim::PageState::DemandZero, sim::PageState::Truncated, sim::PageState::FaultOnTouch};

double faults_per_second_per_core(const CampaignReport& report) {
    return report.seconds > 0 ? static_cast<double>(report.faults) / report.seconds / report.jobs : 0.0;
}

bool has_tallies(const CampaignReport& report) {
    for (const std::uint64_t tally : report.tallies) {
        if (tally != 0) {
            return true;
        }
    }
    return false;
}

}  // namespace

nlohmann::json to_json(const CampaignReport& report, const std::string& command) {
    nlohmann::json json{
        {"command", command},
        {"result", report.failure ? "failed" : "passed"},
        {"cases", report.cases},
        {"operations", report.operations},
        {"faults", report.faults},
        {"seconds", report.seconds},
        {"jobs", report.jobs},
        {"faulting_operations_per_second_per_core", faults_per_second_per_core(report)},
    };
    if (has_tallies(report)) {
        json["task_cases"] = report.tallies[task_cases];
        for (const sim::PageState state : all_states) {
            const auto i = static_cast<std::size_t>(state);
            json["pages_by_state"][std::string(to_string(state))] = report.tallies[pages_by_state + i];
            json["faults_by_state"][std::string(to_string(state))] = report.tallies[faults_by_state + i];
        }
    }
    if (report.failure) {
        json["failure"] = {{"case_seed", report.failure->case_seed}, {"message", report.failure->message}};
    }
    return json;
}

void print_summary(const CampaignReport& report, const std::string& command) {
    fmt::print("vmio-sim {}: {} cases, {} operations, {} faults in {:.1f} s on {} cores\n", command, report.cases,
               report.operations, report.faults, report.seconds, report.jobs);
    fmt::print("  faulting operations: {:.0f}/s per core\n", faults_per_second_per_core(report));
    if (has_tallies(report)) {
        fmt::print("  cases run as tasks (2 processes + kernel thread): {}\n", report.tallies[task_cases]);
        fmt::print("  {:<14} {:>10} {:>10}\n", "page state", "pages", "faults");
        for (const sim::PageState state : all_states) {
            const auto i = static_cast<std::size_t>(state);
            fmt::print("  {:<14} {:>10} {:>10}\n", to_string(state), report.tallies[pages_by_state + i],
                       report.tallies[faults_by_state + i]);
        }
    }
    if (report.failure) {
        fmt::print("result: FAILED (case seed {})\n{}\n", report.failure->case_seed, report.failure->message);
    } else {
        fmt::print("result: passed, every operation as the reference model expects\n");
    }
}

}  // namespace vmio::cli
