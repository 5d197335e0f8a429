#include "summary.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include "counted.hpp"
#include "hex.hpp"
#include "vmio/sim/page_state.hpp"
#include "vmio/version.h"

namespace vmio::cli {
namespace {

double faults_per_second_per_core(const CampaignReport& report) {
    return report.core_seconds > 0 ? static_cast<double>(report.stats.faults) / report.core_seconds : 0.0;
}

// The share of the workers' time a bare fault round trip per faulting operation accounts for.
std::optional<double> fault_path_share(const CampaignReport& report) {
    if (!report.round_trip_seconds) {
        return std::nullopt;
    }
    return faults_per_second_per_core(report) * *report.round_trip_seconds;
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

// ", shard 2 of 4" or ", 4 shards merged" or nothing.
std::string shard_text(const CampaignReport& report) {
    if (report.merged_from > 0) {
        return fmt::format(", {} merged", counted(report.merged_from, "shard"));
    }
    const Shard& shard = report.limits.shard;
    return shard.count > 1 ? fmt::format(", shard {}/{}", shard.index, shard.count) : "";
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
        {"input_hex", what.input.empty() ? nlohmann::json() : nlohmann::json(to_hex(what.input))},
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
    } else if (!failure.failure.input.empty()) {  // the file could not be written: the input itself
        commands.push_back("vmio-sim replay hex:" + to_hex(failure.failure.input));
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
        {"shard", {{"index", limits.shard.index}, {"count", limits.shard.count}}},
        {"merged_from", report.merged_from},
        {"seconds", report.seconds},
        {"core_seconds", report.core_seconds},
        {"jobs", limits.jobs},
        {"faulting_operations_per_second_per_core", faults_per_second_per_core(report)},
        {"fault_round_trip_seconds", or_null(report.round_trip_seconds)},
        {"fault_path_share", or_null(fault_path_share(report))},
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
        "vmio-sim {}: {}, {}, {} in {:.1f} s with {} (seed {}{})\n", command, counted(report.cases, "case"),
        counted(report.stats.operations, "operation"), counted(report.stats.faults, "fault"), report.seconds,
        counted(report.limits.jobs, "worker"), report.limits.seed, shard_text(report));
    text += fmt::format("  stopped by {}{}\n", stopped_by(report),
                        report.interrupted && report.stopped_by != StopReason::Interrupt ? ", then Ctrl-C" : "");
    text += fmt::format("  faulting operations: {:.0f}/s per core", faults_per_second_per_core(report));
    if (const auto share = fault_path_share(report)) {
        text += fmt::format(" × {:.2f} µs bare fault round trip = {:.0f} % of the time in the kernel's fault path",
                            *report.round_trip_seconds * 1e6, *share * 100);
    }
    text += "\n";
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

namespace {

template <typename Enum, std::size_t N>
Enum enum_named(const std::string& name, const std::array<Enum, N>& all, const char* what) {
    for (const Enum value : all) {
        if (name == to_string(value)) {
            return value;
        }
    }
    throw std::invalid_argument(fmt::format("unknown {} '{}'", what, name));
}

template <typename T>
std::optional<T> optional_at(const nlohmann::json& json, const char* key) {
    return json.at(key).is_null() ? std::nullopt : std::optional(json.at(key).get<T>());
}

std::vector<std::uint8_t> input_bytes(const std::optional<std::string>& input_hex) {
    try {
        return input_hex ? from_hex(*input_hex) : std::vector<std::uint8_t>{};
    } catch (const std::invalid_argument& error) {
        throw std::invalid_argument(fmt::format("input_hex: {}", error.what()));
    }
}

CampaignFailure failure_from_json(const nlohmann::json& json, bool replays_by_seed) {
    const auto file = optional_at<std::string>(json, "file");
    const auto input = optional_at<std::string>(json, "input_hex");
    return {
        .case_index = json.at("case_index").get<std::uint64_t>(),
        .case_seed = json.at("case_seed").get<std::uint64_t>(),
        .failure = {.kind = enum_named(json.at("kind").get<std::string>(),
                                       std::array{FailureKind::Invariant, FailureKind::Exception, FailureKind::WorkerDied},
                                       "failure kind"),
                    .invariant = optional_at<std::string>(json, "invariant").value_or(""),
                    .operation = optional_at<std::size_t>(json, "operation"),
                    .description = json.at("description").get<std::string>(),
                    .input = input_bytes(input),
                    .case_bytes = json.at("case_bytes").get<std::size_t>()},
        .file = file ? std::optional<std::filesystem::path>(*file) : std::nullopt,
        .replays_by_seed = replays_by_seed,
    };
}

}  // namespace

std::expected<ReadReport, std::string> report_from_json(const nlohmann::json& json) {
    try {
        ReadReport read{.command = json.at("command").get<std::string>(),
                        .version = json.at("version").get<std::string>(),
                        .report = {}};
        CampaignReport& report = read.report;
        const nlohmann::json& limits = json.at("limits");
        const auto duration = optional_at<double>(limits, "duration_seconds");
        report.limits = {
            .seed = json.at("seed").get<std::uint64_t>(),
            .duration = duration ? std::optional(std::chrono::milliseconds(std::llround(*duration * 1000)))
                                 : std::nullopt,
            .max_cases = optional_at<std::uint64_t>(limits, "cases"),
            .jobs = json.at("jobs").get<unsigned>(),
            .shard = {json.at("shard").at("index").get<std::uint64_t>(), json.at("shard").at("count").get<std::uint64_t>()},
        };
        report.cases = json.at("cases").get<std::uint64_t>();
        report.stats.operations = json.at("operations").get<std::uint64_t>();
        report.stats.faults = json.at("faults").get<std::uint64_t>();
        report.stats.task_cases = json.at("task_cases").get<std::uint64_t>();
        for (const sim::PageState state : sim::all_page_states) {
            report.stats.pages_by_state[state] = json.at("pages_by_state").at(to_string(state)).get<std::uint64_t>();
            report.stats.faults_by_state[state] = json.at("faults_by_state").at(to_string(state)).get<std::uint64_t>();
        }
        report.seconds = json.at("seconds").get<double>();
        report.core_seconds = json.at("core_seconds").get<double>();
        report.round_trip_seconds = optional_at<double>(json, "fault_round_trip_seconds");
        report.merged_from = json.at("merged_from").get<std::uint64_t>();
        report.stopped_by =
            enum_named(json.at("stopped_by").get<std::string>(),
                       std::array{StopReason::Duration, StopReason::Cases, StopReason::Failure, StopReason::Interrupt},
                       "stop reason");
        report.interrupted = json.at("interrupted").get<bool>();
        if (!json.at("failure").is_null()) {
            report.failure = failure_from_json(json.at("failure"), read.command != "fuzz");
        }
        if (report.limits.shard.count == 0 || report.limits.shard.index >= report.limits.shard.count) {
            throw std::invalid_argument("its shard does not exist");
        }
        return read;
    } catch (const std::exception& error) {  // nlohmann::json's errors and the above
        return std::unexpected(fmt::format("not a vmio-sim campaign report: {}", error.what()));
    }
}

}  // namespace vmio::cli
