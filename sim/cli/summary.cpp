#include "summary.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "counted.hpp"
#include "vmio/sim/page_state.hpp"
#include "vmio/version.h"

namespace vmio::cli {
namespace {

double faults_per_second_per_core(const CampaignReport& report) {
    return report.seconds > 0 ? static_cast<double>(report.stats.faults) / report.seconds / report.limits.jobs : 0.0;
}

// Whether the cases laid pages out (the page-state table has something to say).
bool has_pages(const CampaignReport& report) { return report.stats.pages_by_state != check::PerPageState{}; }

double seconds(std::chrono::milliseconds duration) { return static_cast<double>(duration.count()) / 1000; }

// A word a shell reads back as itself.
std::string shell_word(const std::string& word) {
    const bool plain = !word.empty() && std::ranges::all_of(word, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view("_./-+:,=@%").find(c) != std::string_view::npos;
    });
    if (plain) {
        return word;
    }
    std::string quoted = "'";
    for (const char c : word) {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return quoted + "'";
}

const char* to_string(StopReason reason) {
    switch (reason) {
    case StopReason::Duration: return "duration";
    case StopReason::Cases: return "cases";
    case StopReason::Failure: return "failure";
    case StopReason::Interrupt: return "interrupt";
    }
    return "?";
}

const char* to_string(FailureKind kind) {
    switch (kind) {
    case FailureKind::Invariant: return "invariant";
    case FailureKind::Exception: return "exception";
    case FailureKind::WorkerDied: return "worker died";
    }
    return "?";
}

std::string stopped_by(const CampaignReport& report) {
    const CampaignLimits& limits = report.limits;
    switch (report.stopped_by) {
    case StopReason::Duration:
        return fmt::format("the time limit ({:g} s)", seconds(limits.duration.value_or(std::chrono::milliseconds{})));
    case StopReason::Cases: return fmt::format("the case limit ({})", counted(limits.max_cases.value_or(0), "case"));
    case StopReason::Failure: return "a failing case";
    case StopReason::Interrupt: return "Ctrl-C";
    }
    return "?";
}

template <typename T>
nlohmann::json or_null(const std::optional<T>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json();
}

nlohmann::json failure_json(const CampaignFailure& failure) {
    const CaseFailure& what = failure.failure;
    return {
        {"case_index", failure.case_index},
        {"case_seed", failure.case_seed},
        {"kind", to_string(what.kind)},
        {"invariant", what.kind == FailureKind::Invariant ? nlohmann::json(what.invariant) : nlohmann::json()},
        {"operation", or_null(what.operation)},
        {"description", what.description},
        {"case_bytes", what.case_bytes},
        {"minimised_bytes", what.input.empty() ? nlohmann::json() : nlohmann::json(what.input.size())},
        {"file", failure.file ? nlohmann::json(failure.file->string()) : nlohmann::json()},
        {"replay", replay_commands(failure)},
    };
}

std::string failure_text(const CampaignFailure& failure) {
    const CaseFailure& what = failure.failure;
    std::string text = fmt::format("result: FAILED: case {} (case seed {})\n", failure.case_index, failure.case_seed);
    if (what.kind == FailureKind::Invariant) {
        text += fmt::format("  invariant '{}' broken: {}\n", what.invariant, what.description);
    } else {
        text += fmt::format("  {}\n", what.description);
    }
    if (!what.input.empty()) {
        text += fmt::format("  minimised from {} to {}\n", counted(what.case_bytes, "byte"),
                            counted(what.input.size(), "byte"));
    }
    const std::vector<std::string> commands = replay_commands(failure);
    if (commands.empty()) {
        text += "  replay: none (its input was not saved, and a fuzz case's seed does not replay it)\n";
    }
    for (std::size_t i = 0; i < commands.size(); ++i) {
        text += fmt::format("  {:<8}{}\n", i == 0 ? "replay:" : "", commands[i]);
    }
    return text;
}

}  // namespace

std::string result_of(const CampaignReport& report) {
    return report.failure ? "failed" : report.interrupted ? "interrupted" : "passed";
}

std::vector<std::string> replay_commands(const CampaignFailure& failure) {
    std::vector<std::string> commands;
    if (failure.file) {
        commands.push_back("vmio-sim replay " + shell_word(failure.file->string()));
    }
    if (failure.replays_by_seed) {
        commands.push_back(fmt::format("vmio-sim replay {}", failure.case_seed));
    }
    return commands;
}

nlohmann::json to_json(const CampaignReport& report, const std::string& command) {
    const CampaignLimits& limits = report.limits;
    nlohmann::json json{
        {"version", VMIO_VERSION_STRING},
        {"command", command},
        {"result", result_of(report)},
        {"seed", limits.seed},
        {"limits",
         {{"duration_seconds", limits.duration ? nlohmann::json(seconds(*limits.duration)) : nlohmann::json()},
          {"cases", or_null(limits.max_cases)},
          {"jobs", limits.jobs}}},
        {"stopped_by", to_string(report.stopped_by)},
        {"interrupted", report.interrupted},
        {"cases", report.cases},
        {"operations", report.stats.operations},
        {"faults", report.stats.faults},
        {"seconds", report.seconds},
        {"jobs", limits.jobs},
        {"faulting_operations_per_second_per_core", faults_per_second_per_core(report)},
        {"task_cases", report.stats.task_cases},
        {"failure", report.failure ? failure_json(*report.failure) : nlohmann::json()},
    };
    for (const sim::PageState state : sim::all_page_states) {
        json["pages_by_state"][std::string(to_string(state))] = report.stats.pages_by_state[state];
        json["faults_by_state"][std::string(to_string(state))] = report.stats.faults_by_state[state];
    }
    return json;
}

std::string summary_text(const CampaignReport& report, const std::string& command) {
    std::string text = fmt::format(
        "vmio-sim {}: {}, {}, {} in {:.1f} s on {} (seed {})\n", command, counted(report.cases, "case"),
        counted(report.stats.operations, "operation"), counted(report.stats.faults, "fault"), report.seconds,
        counted(report.limits.jobs, "core"), report.limits.seed);
    text += fmt::format("  stopped by {}{}\n", stopped_by(report),
                        report.interrupted && report.stopped_by != StopReason::Interrupt ? ", then Ctrl-C" : "");
    text += fmt::format("  faulting operations: {:.0f}/s per core\n", faults_per_second_per_core(report));
    if (has_pages(report)) {
        text += fmt::format("  cases run as tasks (2 processes + kernel thread): {}\n", report.stats.task_cases);
        text += fmt::format("  {:<14} {:>10} {:>10}\n", "page state", "pages", "faults");
        for (const sim::PageState state : sim::all_page_states) {
            text += fmt::format("  {:<14} {:>10} {:>10}\n", to_string(state), report.stats.pages_by_state[state],
                                report.stats.faults_by_state[state]);
        }
    }
    if (report.failure) {
        text += failure_text(*report.failure);
    } else if (report.interrupted) {
        text += fmt::format("result: INTERRUPTED (Ctrl-C) after {}, every one as the reference model expects\n",
                            counted(report.cases, "case"));
    } else {
        text += "result: passed, every operation as the reference model expects\n";
    }
    return text;
}

}  // namespace vmio::cli
