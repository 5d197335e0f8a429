// Runs many independent, seeded cases on several threads until a deadline, a case count,
// or the first failure.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace vmio::sim::cli {

/// What one case did.
struct CaseOutcome {
    std::uint64_t operations = 0;      ///< operations run
    std::uint64_t faults = 0;          ///< operations that ended in a recovered fault
    std::optional<std::string> failure;  ///< the broken invariant, if any
};

/// Runs the case identified by a seed. Must be deterministic in the seed and thread-safe.
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
    std::uint64_t operations = 0;
    std::uint64_t faults = 0;
    double seconds = 0;
    unsigned jobs = 1;
    std::optional<CampaignFailure> failure;  ///< the first failing case, if any
};

/// The seed of the `index`-th case of a campaign (a splitmix64 step: well spread, cheap).
[[nodiscard]] std::uint64_t case_seed(std::uint64_t campaign_seed, std::uint64_t index) noexcept;

/// Runs cases `case_seed(seed, 0)`, `case_seed(seed, 1)`, ... on `jobs` threads, with a
/// progress bar labelled `label`.
[[nodiscard]] CampaignReport run_campaign(const CaseRunner& run_case, const CampaignLimits& limits,
                                          const std::string& label);

}  // namespace vmio::sim::cli
