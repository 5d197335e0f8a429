#include "explore.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <atomic>

#include "examples.hpp"
#include "progress.hpp"
#include "sigint.hpp"
#include "vmio/version.h"

namespace vmio::cli {
namespace {

// What the progress bar and the SIGINT handler share with the exploring thread.
struct Shared {
    std::atomic<std::uint64_t> runs{0};
    std::atomic<std::uint64_t> findings{0};
    std::atomic<bool> interrupted{false};
};

void interrupt(void* shared) noexcept { static_cast<Shared*>(shared)->interrupted.store(true); }

const examples::Example& example_named(std::string_view name) {
    const auto all = examples::all_examples();
    return *std::ranges::find(all, name, &examples::Example::name);  // names are checked when parsed
}

}  // namespace

nlohmann::json to_json(const testing::Report& report) {
    nlohmann::json classes = nlohmann::json::object();
    for (const testing::RunClass run_class : testing::all_run_classes) {
        classes[std::string(to_string(run_class))] = report.count(run_class);
    }
    nlohmann::json findings = nlohmann::json::array();
    for (const testing::Finding& finding : report.first_findings) {
        findings.push_back({{"class", to_string(finding.run_class)},
                            {"point", finding.point},
                            {"result", finding.result},
                            {"broken", finding.broken},
                            {"detail", finding.detail},
                            {"layout", finding.layout},
                            {"replay", finding.replay}});
    }
    return {{"subject", report.subject},
            {"runs", report.runs},
            {"classes", classes},
            {"findings", report.findings},
            {"first_findings", findings},
            {"fault_free_result", report.fault_free_result ? nlohmann::json(*report.fault_free_result) : nullptr},
            {"touched_pages", report.touched_pages},
            {"stopped_by", to_string(report.stopped_by)},
            {"seconds", report.elapsed.count()}};
}

ExploreOutcome run_explorations(const ExploreRequest& request, bool json) {
    Shared shared;
    const InterruptHandler sigint(interrupt, &shared);
    ExploreOutcome outcome;
    nlohmann::json reports = nlohmann::json::array();
    std::size_t runs = 0;
    std::size_t findings = 0;
    for (const std::string& name : request.examples) {
        if (shared.interrupted.load()) {
            break;
        }
        const examples::Example& example = example_named(name);
        const bool planted = !request.planted.empty() && example.bug == request.planted;
        const testing::Subject subject = example.subject(planted);
        const std::string planted_option = planted ? " --planted " + request.planted : "";
        const testing::ExploreOptions options{
            .max_runs = request.max_runs,
            .max_time = request.duration.value_or(std::chrono::milliseconds(0)),
            .only = request.point,
            .replay = [&](std::string_view point) {
                return fmt::format("vmio-sim explore {}{} --point {}", name, planted_option, point);
            },
            .on_run = [&](const testing::Report& so_far) {
                shared.runs.store(so_far.runs);
                shared.findings.store(so_far.findings);
                return !shared.interrupted.load();
            },
        };
        const testing::Report report = [&] {
            const ProgressBar bar(
                "explore " + name,
                {.duration = request.duration,
                 .cases = request.max_runs != 0 ? std::optional<std::uint64_t>(request.max_runs) : std::nullopt},
                [&] { return ProgressCount{.cases = shared.runs.load(), .operations = shared.findings.load()}; },
                {.cases = "runs", .operations = "findings"});
            return testing::explore(subject, options);
        }();
        runs += report.runs;
        findings += report.findings;
        outcome.finding = outcome.finding || !report.passed();
        if (json) {
            nlohmann::json entry = to_json(report);
            entry["example"] = name;
            entry["planted"] = planted ? nlohmann::json(request.planted) : nullptr;
            reports.push_back(std::move(entry));
        } else {
            fmt::print("{}", format(report));
        }
    }
    outcome.interrupted = shared.interrupted.load();
    if (json) {
        const nlohmann::json all = {{"version", VMIO_VERSION_STRING},
                                    {"reports", reports},
                                    {"runs", runs},
                                    {"findings", findings},
                                    {"interrupted", outcome.interrupted}};
        fmt::print("{}\n", all.dump(2));
    } else {
        fmt::print("explore: {} example{}, {} runs, {}{}\n", reports.empty() ? request.examples.size() : reports.size(),
                   request.examples.size() == 1 ? "" : "s", runs,
                   findings == 0 ? std::string("no finding") : fmt::format("{} finding{}", findings, findings == 1 ? "" : "s"),
                   outcome.interrupted ? " (interrupted)" : "");
    }
    return outcome;
}

void print_examples() {
    for (const examples::Example& example : examples::all_examples()) {
        fmt::print("{:<12} {}\n", example.name, example.summary);
        if (!example.bug.empty()) {
            fmt::print("{:<12}   --planted {}: {}\n", "", example.bug, example.bug_summary);
        }
    }
}

}  // namespace vmio::cli
