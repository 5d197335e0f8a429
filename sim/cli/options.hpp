// vmio-sim's command line: the subcommands, their options, and a check of every value with a
// message a person can read. The campaign options (--seed, --duration, --cases, --jobs,
// --failures, --shard, --json) may come before or after `check`/`fuzz`; before `replay`, `merge`,
// `bench` or `explore` they are an error, as is an option given both before and after the subcommand.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bench.hpp"
#include "campaign.hpp"

namespace vmio::cli {

enum class Command { DefaultCampaign, Check, Fuzz, Replay, Merge, Bench, Explore };

/// What `vmio-sim replay` runs: a case seed, a file of scenario bytes, or the bytes themselves.
using ReplayTarget = std::variant<std::uint64_t, std::filesystem::path, std::vector<std::uint8_t>>;

/// `explore`: which kernel-style examples, with which planted bug, under which budgets.
struct ExploreRequest {
    std::vector<std::string> examples;  ///< names, checked; never empty after parsing
    std::string planted;                ///< a planted bug's name, checked; empty: none
    std::optional<std::string> point;   ///< run only this fault point (one example), checked
    std::size_t max_runs = 0;           ///< per example; 0: no limit
    std::optional<std::chrono::milliseconds> duration;  ///< per example
    bool list = false;                  ///< print the examples and their bugs instead
};

struct CommandLine {
    Command command = Command::DefaultCampaign;
    CampaignLimits limits;                    ///< campaigns
    bool json = false;                        ///< campaigns
    std::filesystem::path failure_dir = ".";  ///< campaigns
    std::string corpus;                       ///< fuzz; empty: none
    std::string shared_corpus;                ///< fuzz: a directory to share inputs through; empty: none
    ReplayTarget replay_target;  ///< replay
    std::vector<std::filesystem::path> merge_files;  ///< merge: the shards' JSON reports (json too)
    ExploreRequest explore;                   ///< explore (json too)
    std::string bench_filter;                 ///< bench: which benchmarks (a Google Benchmark regex)
};

/// Parses vmio-sim's arguments (args[0] is the program). On --help or --version prints them and
/// returns 0 as the unexpected value; on a bad argument prints why and returns 2.
[[nodiscard]] std::expected<CommandLine, int> parse_command_line(const std::vector<std::string>& args);

}  // namespace vmio::cli
