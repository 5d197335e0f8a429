#include "merge.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "scenario_file.hpp"

namespace vmio::cli {
namespace {

std::string seconds_or_none(const std::optional<std::chrono::milliseconds>& duration) {
    return duration ? fmt::format("{:g} s", static_cast<double>(duration->count()) / 1000) : "none";
}

// Why `other` is not of the campaign `first` is of; empty if it is.
std::string differs(const NamedReport& first, const NamedReport& other) {
    const CampaignLimits& a = first.read.report.limits;
    const CampaignLimits& b = other.read.report.limits;
    const auto clash = [&](const char* what, const std::string& x, const std::string& y) {
        return fmt::format("'{}' and '{}' are not of the same campaign: {} {} and {}", first.name, other.name, what, x, y);
    };
    if (first.read.command != other.read.command) {
        return clash("command", first.read.command, other.read.command);
    }
    if (first.read.version != other.read.version) {
        return clash("vmio-sim version", first.read.version, other.read.version);
    }
    if (a.seed != b.seed) {
        return clash("seed", std::to_string(a.seed), std::to_string(b.seed));
    }
    if (a.max_cases != b.max_cases) {
        const auto text = [](const auto& cases) { return cases ? std::to_string(*cases) : std::string("none"); };
        return clash("case limit", text(a.max_cases), text(b.max_cases));
    }
    if (a.duration != b.duration) {
        return clash("time limit", seconds_or_none(a.duration), seconds_or_none(b.duration));
    }
    if (a.shard.count != b.shard.count) {
        return clash("shard count", std::to_string(a.shard.count), std::to_string(b.shard.count));
    }
    return {};
}

// The shards missing from `indices` (of `count`), named briefly: "1, 3" or "1, 2, 3 and 997 more".
std::string missing_shards(const std::set<std::uint64_t>& indices, std::uint64_t count) {
    std::string text;
    std::uint64_t named = 0;
    for (std::uint64_t index = 0; index < count; ++index) {
        if (!indices.contains(index) && named++ < 8) {
            text += fmt::format("{}{}", text.empty() ? "" : ", ", index);
        }
    }
    return named > 8 ? fmt::format("{} and {} more", text, named - 8) : text;
}

}  // namespace

std::expected<ReadReport, std::string> merge_reports(const std::vector<NamedReport>& reports) {
    if (reports.empty()) {
        return std::unexpected("no report to merge");
    }
    const NamedReport& first = reports.front();
    const std::uint64_t count = first.read.report.limits.shard.count;
    std::set<std::uint64_t> indices;
    for (const NamedReport& named : reports) {
        if (named.read.report.merged_from > 0) {
            return std::unexpected(fmt::format("'{}' is already a merged report", named.name));
        }
        if (const std::string why = differs(first, named); !why.empty()) {
            return std::unexpected(why);
        }
        const CampaignReport& part = named.read.report;
        if (part.limits.max_cases && part.stopped_by == StopReason::Cases &&
            part.cases != part.limits.shard.cases_of(*part.limits.max_cases)) {
            return std::unexpected(fmt::format("'{}' ran {} cases, but shard {}/{} of a {}-case campaign has {}", named.name,
                                               part.cases, part.limits.shard.index, count,
                                               *part.limits.max_cases, part.limits.shard.cases_of(*part.limits.max_cases)));
        }
        if (!indices.insert(named.read.report.limits.shard.index).second) {
            return std::unexpected(fmt::format("shard {}/{} is given twice ('{}' is one of them)",
                                               named.read.report.limits.shard.index, count, named.name));
        }
    }
    if (indices.size() != count) {
        return std::unexpected(fmt::format("the campaign has {} shards; missing: {}", count,
                                           missing_shards(indices, count)));
    }

    ReadReport merged{first.read.command, first.read.version, {}};
    CampaignReport& whole = merged.report;
    whole.limits = first.read.report.limits;
    whole.limits.shard = {};
    whole.limits.jobs = 0;
    whole.merged_from = count;
    whole.stopped_by = StopReason::Cases;
    double round_trip_time = 0;  // the shards' faults × their round trips
    bool every_round_trip = true;
    for (const NamedReport& named : reports) {
        const CampaignReport& part = named.read.report;
        whole.limits.jobs += part.limits.jobs;
        whole.cases += part.cases;
        whole.stats += part.stats;
        whole.seconds = std::max(whole.seconds, part.seconds);
        whole.core_seconds += part.core_seconds;
        every_round_trip = every_round_trip && part.round_trip_seconds.has_value();
        round_trip_time += static_cast<double>(part.stats.faults) * part.round_trip_seconds.value_or(0);
        whole.interrupted = whole.interrupted || part.interrupted;
        if (part.stopped_by != StopReason::Cases) {
            whole.stopped_by = StopReason::Duration;
        }
        if (part.failure && (!whole.failure || part.failure->case_index < whole.failure->case_index)) {
            whole.failure = part.failure;
        }
    }
    if (every_round_trip && whole.stats.faults > 0) {
        whole.round_trip_seconds = round_trip_time / static_cast<double>(whole.stats.faults);
    }
    whole.stopped_by = whole.failure       ? StopReason::Failure
                       : whole.interrupted ? StopReason::Interrupt
                                           : whole.stopped_by;
    return merged;
}

std::expected<ReadReport, std::string> merge_report_files(const std::vector<std::filesystem::path>& files) {
    std::vector<NamedReport> reports;
    for (const std::filesystem::path& file : files) {
        const auto bytes = read_regular_file(file);
        if (!bytes) {
            return std::unexpected(bytes.error());
        }
        const nlohmann::json json = nlohmann::json::parse(bytes->begin(), bytes->end(), nullptr, false);
        if (json.is_discarded()) {
            return std::unexpected(fmt::format("'{}' is not JSON", file.string()));
        }
        auto read = report_from_json(json);
        if (!read) {
            return std::unexpected(fmt::format("'{}' is {}", file.string(), read.error()));
        }
        reports.push_back({file.string(), std::move(*read)});
    }
    return merge_reports(reports);
}

}  // namespace vmio::cli
