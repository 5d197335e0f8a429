// Runs many independent, seeded cases on several worker processes until a time limit, a case
// limit, a failure or Ctrl-C. Processes, not threads: a simulator Machine is one per process, so
// each worker is a fork that owns its own Machine; the workers share counters and the next case
// index through a shared anonymous mapping and report failures through pipes.
//
// The reported failure does not depend on scheduling: indices are handed out in order, so when a
// case fails every lower index has already been handed out, and each of those runs to its end;
// no index above the lowest failure found so far starts, and the failing case with the lowest
// index is reported. Only its input is written to a failure file, by the parent, once every
// worker has exited. (A time limit or Ctrl-C can still cut a run short at any point.)
//
// A shard runs part of a campaign: shard K of N runs the case indices i with i % N == K (and,
// with a case limit, i below it), in the same order, with the same seeds as the whole campaign;
// N shards of a campaign together run exactly its cases, and a failing case keeps its index.
//
// Ctrl-C (SIGINT, which the terminal sends to the parent and the workers alike) stops handing out
// indices and lets the cases in flight finish; the report says so. A second Ctrl-C kills. If
// SIGINT was ignored when the campaign started, it stays ignored.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "vmio/check/check_stats.hpp"

namespace vmio::cli {

enum class FailureKind {
    Invariant,   ///< the simulator disagreed with the reference model
    Exception,   ///< the case threw
    WorkerDied,  ///< the worker process died (a crash the simulator did not recover)
};

/// How a case failed.
struct CaseFailure {
    FailureKind kind = FailureKind::Invariant;
    std::string invariant;                 ///< the broken invariant (kind Invariant)
    std::optional<std::size_t> operation;  ///< the failing operation's index (in `input`, if set)
    std::string description;
    std::vector<std::uint8_t> input;  ///< scenario bytes that fail the same way (minimised); empty: none
    std::size_t case_bytes = 0;       ///< the size of the case's own input, before minimisation
};

/// What one case did.
struct CaseOutcome {
    check::CheckStats stats;
    std::optional<CaseFailure> failure;
};

/// Runs the case identified by a seed, in a worker process. Must be deterministic in the seed.
using CaseRunner = std::function<CaseOutcome(std::uint64_t case_seed)>;

/// Which part of a campaign's case indices a run takes: those with index % count == index.
struct Shard {
    std::uint64_t index = 0;  ///< 0..count-1
    std::uint64_t count = 1;  ///< at least 1; 1: the whole campaign

    /// The campaign's index of this shard's `local`-th case.
    [[nodiscard]] constexpr std::uint64_t case_index(std::uint64_t local) const noexcept { return local * count + index; }
    /// How many of a campaign's first `cases` cases are this shard's.
    [[nodiscard]] constexpr std::uint64_t cases_of(std::uint64_t cases) const noexcept {
        return cases > index ? (cases - index - 1) / count + 1 : 0;
    }
    friend constexpr bool operator==(const Shard&, const Shard&) = default;
};

/// What the user asked for. With neither limit, a campaign runs until a failure or Ctrl-C.
struct CampaignLimits {
    std::uint64_t seed = 1;
    std::optional<std::chrono::milliseconds> duration;  ///< no case starts after it (but the first)
    std::optional<std::uint64_t> max_cases;             ///< the campaign's first this many cases (of every shard)
    unsigned jobs = 1;                                  ///< worker processes, 1..max_jobs
    Shard shard;                                        ///< the part of the campaign this run takes
};

inline constexpr unsigned max_jobs = 256;

/// How a campaign reports.
struct CampaignReporting {
    std::string label = "campaign";           ///< names the progress bar
    std::filesystem::path failure_dir = ".";  ///< where the reported failure's input is written
    bool replays_by_seed = true;              ///< `vmio-sim replay <case seed>` reproduces a case
};

/// What stopped the campaign from handing out cases (the first of them, if several did).
enum class StopReason { Duration, Cases, Failure, Interrupt };

struct CampaignFailure {
    std::uint64_t case_index = 0;
    std::uint64_t case_seed = 0;
    CaseFailure failure;
    std::optional<std::filesystem::path> file;  ///< where failure.input was written, if it was
    bool replays_by_seed = true;
};

struct CampaignReport {
    CampaignLimits limits;
    std::uint64_t cases = 0;
    check::CheckStats stats;  ///< the cases' statistics summed
    double seconds = 0;       ///< wall-clock time
    /// The CPU time (user + system) the workers used, summed over merged reports: the cores'
    /// time the campaign had, however many workers shared how many cores.
    double core_seconds = 0;
    /// One bare fault round trip on this machine (see fault_round_trip.hpp), measured before and
    /// after the campaign; for merged reports the mean over their faults. Unset: not measured.
    std::optional<double> round_trip_seconds;
    std::uint64_t merged_from = 0;  ///< how many shard reports were merged into this one; 0: none
    StopReason stopped_by = StopReason::Duration;
    bool interrupted = false;                ///< Ctrl-C was pressed
    std::optional<CampaignFailure> failure;  ///< the failing case with the lowest index, if any
};

/// The seed of the `index`-th case of a campaign (a splitmix64 step: well spread, cheap).
[[nodiscard]] std::uint64_t case_seed(std::uint64_t campaign_seed, std::uint64_t index) noexcept;

/// Runs cases `case_seed(seed, 0)`, `case_seed(seed, 1)`, ... (those of `limits.shard`) in
/// `limits.jobs` forked workers, with a progress bar. The caller must not have other threads
/// running (fork). At least one case runs, if the shard has one, unless Ctrl-C comes first. A case that throws, or a worker that dies, is a failure of the
/// case it was running. Throws std::runtime_error if the workers cannot be started or a worker
/// dies between cases.
[[nodiscard]] CampaignReport run_campaign(const CaseRunner& run_case, const CampaignLimits& limits,
                                          const CampaignReporting& reporting = {});

}  // namespace vmio::cli
