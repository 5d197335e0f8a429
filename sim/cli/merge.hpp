// `vmio-sim merge`: the JSON reports of a sharded campaign's shards (`--shard K/N --json`) added
// up into the report of the whole campaign. With a case limit, the merged counts equal those of
// the same campaign run on one machine, and so does the failure: the shards' failing case with
// the lowest index (every shard runs each of its indices below its own failure, in order).
//
// Reports merge only if they are of one campaign: the same command, vmio-sim version, seed, case
// and time limits, and shard count N, and they are exactly shards 0..N-1, each once. Merged:
// counts and per-state tables summed; the time is the longest shard's, the core time and the
// workers summed; the fault round trip is the mean over the shards' faults; interrupted if any
// shard was; stopped by a failure if any shard failed, by the case limit if every shard was.
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

#include "summary.hpp"

namespace vmio::cli {

/// A report and where it came from (for messages).
struct NamedReport {
    std::string name;
    ReadReport read;
};

/// The whole campaign's report, or why the reports are not the shards of one campaign.
[[nodiscard]] std::expected<ReadReport, std::string> merge_reports(const std::vector<NamedReport>& reports);

/// Reads the JSON report files and merges them; or why one cannot be read or they cannot merge.
[[nodiscard]] std::expected<ReadReport, std::string> merge_report_files(const std::vector<std::filesystem::path>& files);

}  // namespace vmio::cli
