#include "campaign.hpp"

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "progress.hpp"

namespace vmio::sim::cli {

std::uint64_t case_seed(std::uint64_t campaign_seed, std::uint64_t index) noexcept {
    std::uint64_t z = campaign_seed + (index + 1) * 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

CampaignReport run_campaign(const CaseRunner& run_case, const CampaignLimits& limits, const std::string& label) {
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    const auto deadline = start + limits.duration;
    std::atomic<std::uint64_t> next_index{0};
    std::atomic<std::uint64_t> operations{0};
    std::atomic<std::uint64_t> faults{0};
    std::atomic<std::uint64_t> cases_done{0};
    std::atomic<bool> stop{false};
    std::mutex failure_mutex;
    std::optional<CampaignFailure> failure;

    auto worker = [&] {
        while (!stop.load(std::memory_order_relaxed) && clock::now() < deadline) {
            const std::uint64_t index = next_index.fetch_add(1);
            if (limits.max_cases && index >= *limits.max_cases) {
                return;
            }
            const std::uint64_t seed = case_seed(limits.seed, index);
            CaseOutcome outcome = run_case(seed);
            operations.fetch_add(outcome.operations, std::memory_order_relaxed);
            faults.fetch_add(outcome.faults, std::memory_order_relaxed);
            cases_done.fetch_add(1, std::memory_order_relaxed);
            if (outcome.failure) {
                const std::lock_guard lock(failure_mutex);
                if (!failure) {
                    failure = CampaignFailure{seed, std::move(*outcome.failure)};
                }
                stop.store(true);
            }
        }
    };
    {
        const ProgressBar bar(label, limits.duration, operations, "ops");
        std::vector<std::jthread> threads;
        for (unsigned i = 0; i < std::max(1U, limits.jobs); ++i) {
            threads.emplace_back(worker);
        }
    }
    CampaignReport report;
    report.cases = cases_done.load();
    report.operations = operations.load();
    report.faults = faults.load();
    report.seconds = std::chrono::duration<double>(clock::now() - start).count();
    report.jobs = std::max(1U, limits.jobs);
    report.failure = std::move(failure);
    return report;
}

}  // namespace vmio::sim::cli
