// Runs many independent, seeded cases on several worker processes until a deadline, a case
// count, or the first failure. Processes, not threads: a simulator Machine is one per process,
// so each worker is a fork that owns its own Machine; the workers share counters and the next
// case index through a shared anonymous mapping and report a failure through a pipe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "vmio/check/check_stats.hpp"

namespace vmio::cli {

/// What one case did.
struct CaseOutcome {
    check::CheckStats stats;
    std::optional<std::string> failure;  ///< the broken invariant, if any
};

/// Runs the case identified by a seed, in a worker process. Must be deterministic in the seed.
using CaseRunner = std::function<CaseOutcome(std::uint64_t case_seed)>;

struct CampaignLimits {
    std::uint64_t seed = 1;
    std::chrono::milliseconds duration{1000};
    std::optional<std::uint64_t> max_cases;  ///< stop after this many cases, if set
    unsigned jobs = 1;
};

struct CampaignFailure {
    std::uint64_t case_seed;
    std::string message;
};

struct CampaignReport {
    std::uint64_t cases = 0;
    check::CheckStats stats;  ///< the cases' statistics summed
    double seconds = 0;
    unsigned jobs = 1;
    std::optional<CampaignFailure> failure;  ///< the first failing case, if any
};

/// The seed of the `index`-th case of a campaign (a splitmix64 step: well spread, cheap).
[[nodiscard]] std::uint64_t case_seed(std::uint64_t campaign_seed, std::uint64_t index) noexcept;

/// Runs cases `case_seed(seed, 0)`, `case_seed(seed, 1)`, ... in `jobs` forked workers, with a
/// progress bar labelled `label`. The caller must not have other threads running (fork). A
/// case that throws, or a worker that dies (a crash the simulator did not recover), is reported
/// as a failure of the case it was running. Throws std::runtime_error if the workers cannot be
/// started.
[[nodiscard]] CampaignReport run_campaign(const CaseRunner& run_case, const CampaignLimits& limits,
                                          const std::string& label);

}  // namespace vmio::cli
