#include "summary.hpp"

#include <fmt/core.h>

#include "cases.hpp"
#include "vmio/sim/page_state.hpp"

namespace vmio::cli {
namespace {

double faults_per_second_per_core(const CampaignReport& report) {
    return report.seconds > 0 ? static_cast<double>(report.stats.faults) / report.seconds / report.jobs : 0.0;
}

// Whether the cases laid pages out (the page-state table has something to say).
bool has_pages(const CampaignReport& report) { return report.stats.pages_by_state != check::PerPageState{}; }

}  // namespace

nlohmann::json to_json(const CampaignReport& report, const std::string& command) {
    nlohmann::json json{
        {"command", command},
        {"result", report.failure ? "failed" : "passed"},
        {"cases", report.cases},
        {"operations", report.stats.operations},
        {"faults", report.stats.faults},
        {"seconds", report.seconds},
        {"jobs", report.jobs},
        {"faulting_operations_per_second_per_core", faults_per_second_per_core(report)},
    };
    if (has_pages(report)) {
        json["task_cases"] = report.stats.task_cases;
        for (const sim::PageState state : sim::all_page_states) {
            json["pages_by_state"][std::string(to_string(state))] = report.stats.pages_by_state[state];
            json["faults_by_state"][std::string(to_string(state))] = report.stats.faults_by_state[state];
        }
    }
    if (report.failure) {
        json["failure"] = {{"case_seed", report.failure->case_seed}, {"message", report.failure->message}};
    }
    return json;
}

void print_summary(const CampaignReport& report, const std::string& command) {
    fmt::print("vmio-sim {}: {} cases, {} operations, {} faults in {:.1f} s on {} cores\n", command, report.cases,
               report.stats.operations, report.stats.faults, report.seconds, report.jobs);
    fmt::print("  faulting operations: {:.0f}/s per core\n", faults_per_second_per_core(report));
    if (has_pages(report)) {
        fmt::print("  cases run as tasks (2 processes + kernel thread): {}\n", report.stats.task_cases);
        fmt::print("  {:<14} {:>10} {:>10}\n", "page state", "pages", "faults");
        for (const sim::PageState state : sim::all_page_states) {
            fmt::print("  {:<14} {:>10} {:>10}\n", to_string(state), report.stats.pages_by_state[state],
                       report.stats.faults_by_state[state]);
        }
    }
    if (report.failure) {
        fmt::print("result: FAILED (case seed {})\n{}\n", report.failure->case_seed, report.failure->message);
    } else {
        fmt::print("result: passed, every operation as the reference model expects\n");
    }
}

}  // namespace vmio::cli
