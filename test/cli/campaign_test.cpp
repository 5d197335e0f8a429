// The campaign runner: case seeds are a deterministic, well-spread function of the campaign
// seed and the index; the limits (cases, time, Ctrl-C) and what stopped the run; the reported
// failure is the lowest failing index whatever the scheduling, and only it leaves a file; a case
// that throws or crashes is reported as a failure of that case; shards run disjoint parts that
// together are the whole campaign.
#include <gtest/gtest.h>

#include <unistd.h>

#include <csignal>
#include <fmt/core.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <stdexcept>
#include <thread>

#include "campaign.hpp"
#include "temp_dir.hpp"

namespace vmio::cli {
namespace {

using namespace std::chrono_literals;

TEST(CaseSeed, IsDeterministicAndDistinctAcrossIndicesAndCampaigns) {
    std::set<std::uint64_t> seen;
    for (std::uint64_t campaign = 0; campaign < 4; ++campaign) {
        for (std::uint64_t index = 0; index < 5000; ++index) {
            ASSERT_EQ(case_seed(campaign, index), case_seed(campaign, index));
            seen.insert(case_seed(campaign, index));
        }
    }
    EXPECT_EQ(seen.size(), 4U * 5000U);
}

TEST(CaseSeed, IsTheIndexthDrawOfSplitMix64FromTheCampaignSeed) {
    // Pinned: a case seed printed by a campaign replays the same case in later versions.
    EXPECT_EQ(case_seed(1, 33), 8097875853865443356ULL);  // the README's planted-bug example
    EXPECT_EQ(case_seed(0, 0), 0xe220a8397b1dcdafULL);      // SplitMix64's first output from 0
}

TEST(CaseSeed, SpreadsEveryBitOfTheIndex) {
    // Neighbouring indices differ in about half of the 64 bits.
    std::uint64_t flipped = 0;
    for (std::uint64_t index = 0; index < 1000; ++index) {
        flipped += static_cast<std::uint64_t>(__builtin_popcountll(case_seed(1, index) ^ case_seed(1, index + 1)));
    }
    EXPECT_NEAR(static_cast<double>(flipped) / 1000, 32.0, 2.0);
}

constexpr std::uint64_t campaign_seed = 3;

CampaignLimits limits(std::optional<std::uint64_t> cases, unsigned jobs,
                      std::optional<std::chrono::milliseconds> duration = std::nullopt, Shard shard = {}) {
    return {.seed = campaign_seed, .duration = duration, .max_cases = cases, .jobs = jobs, .shard = shard};
}

// The index of a case seed of this campaign (among the first thousand).
std::uint64_t index_of(std::uint64_t seed) {
    for (std::uint64_t index = 0; index < 1000; ++index) {
        if (case_seed(campaign_seed, index) == seed) {
            return index;
        }
    }
    throw std::logic_error("not a seed of the first thousand cases");
}

CaseOutcome sleep_for(std::chrono::milliseconds time) {
    std::this_thread::sleep_for(time);
    return {};
}

TEST(Campaign, RunsExactlyTheCasesAskedForAndSumsTheirStatistics) {
    const CampaignReport report = run_campaign(
        [](std::uint64_t) {
            CaseOutcome outcome;
            outcome.stats.operations = 3;
            outcome.stats.faults_by_state[sim::PageState::Truncated] = 1;
            return outcome;
        },
        limits(200, 2));
    EXPECT_FALSE(report.failure);
    EXPECT_EQ(report.cases, 200U);
    EXPECT_EQ(report.stats.operations, 600U);
    EXPECT_EQ(report.stats.faults_by_state[sim::PageState::Truncated], 200U);
    EXPECT_EQ(report.stopped_by, StopReason::Cases);
}

TEST(Campaign, ACaseLimitAloneHasNoTimeLimit) {
    // 2 x 150 cases of 5 ms: longer than a (wrongly applied) default time limit of 1 s.
    const CampaignReport report = run_campaign([](std::uint64_t) { return sleep_for(5ms); }, limits(300, 1));
    EXPECT_EQ(report.cases, 300U);
    EXPECT_GT(report.seconds, 1.0);
    EXPECT_EQ(report.stopped_by, StopReason::Cases);
}

TEST(Campaign, WithBothLimitsTheFirstReachedStopsTheRunAndIsNamed) {
    const auto slow = [](std::uint64_t) { return sleep_for(2ms); };
    const CampaignReport by_time = run_campaign(slow, limits(1'000'000, 2, 200ms));
    EXPECT_EQ(by_time.stopped_by, StopReason::Duration);
    EXPECT_LT(by_time.cases, 1'000'000U);
    EXPECT_GT(by_time.cases, 0U);

    const CampaignReport by_cases = run_campaign(slow, limits(20, 2, 30'000ms));
    EXPECT_EQ(by_cases.stopped_by, StopReason::Cases);
    EXPECT_EQ(by_cases.cases, 20U);
}

TEST(Campaign, RunsAtLeastOneCaseHoweverShortTheTimeLimit) {
    const CampaignReport report = run_campaign([](std::uint64_t) { return sleep_for(20ms); }, limits({}, 2, 0ms));
    EXPECT_GE(report.cases, 1U);
    EXPECT_EQ(report.stopped_by, StopReason::Duration);
}

TEST(Campaign, ReportsTheLowestFailingIndexWhateverWorkerFindsAFailureFirst) {
    // Index 3 fails slowly, 4 and 6 at once: with two workers a higher index usually fails first.
    const auto run_case = [](std::uint64_t seed) {
        const std::uint64_t index = index_of(seed);
        if (index == 3) {
            std::this_thread::sleep_for(300ms);
        }
        CaseOutcome outcome;
        if (index == 3 || index == 4 || index == 6) {
            outcome.failure = CaseFailure{.kind = FailureKind::Invariant,
                                          .invariant = "test",
                                          .operation = index,
                                          .description = fmt::format("case {} fails", index),
                                          .input = {static_cast<std::uint8_t>(index)},
                                          .case_bytes = 10};
        }
        return outcome;
    };
    for (int run = 0; run < 4; ++run) {
        const TempDir failures;
        const CampaignReport report = run_campaign(run_case, limits(1000, 2), {.label = "test",
                                                                                 .failure_dir = failures.path,
                                                                                 .replays_by_seed = true});
        ASSERT_TRUE(report.failure);
        EXPECT_EQ(report.failure->case_index, 3U);
        EXPECT_EQ(report.failure->case_seed, case_seed(campaign_seed, 3));
        EXPECT_EQ(report.failure->failure.description, "case 3 fails");
        EXPECT_EQ(report.stopped_by, StopReason::Failure);
        // Only the reported failure leaves a file: its input.
        const auto files = failures.files();
        ASSERT_EQ(files.size(), 1U);
        ASSERT_TRUE(report.failure->file);
        EXPECT_EQ(*report.failure->file, files[0]);
        std::ifstream in(files[0], std::ios::binary);
        EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), std::string(1, '\3'));
    }
}

TEST(Campaign, AFailureWithoutAnInputLeavesNoFile) {
    const TempDir failures;
    const CampaignReport report = run_campaign(
        [](std::uint64_t seed) {
            CaseOutcome outcome;
            if (index_of(seed) == 2) {
                outcome.failure = CaseFailure{.kind = FailureKind::Invariant,
                                              .invariant = "test",
                                              .operation = std::nullopt,
                                              .description = "in tasks",
                                              .input = {},
                                              .case_bytes = 10};
            }
            return outcome;
        },
        limits(50, 2), {.label = "test", .failure_dir = failures.path, .replays_by_seed = true});
    ASSERT_TRUE(report.failure);
    EXPECT_FALSE(report.failure->file);
    EXPECT_TRUE(failures.files().empty());
}

TEST(Campaign, ACaseThatThrowsIsAFailureOfThatCase) {
    const std::uint64_t bad = case_seed(campaign_seed, 5);
    const CampaignReport report = run_campaign(
        [bad](std::uint64_t seed) {
            if (seed == bad) {
                throw std::runtime_error("no frames left");
            }
            return CaseOutcome{};
        },
        limits(50, 1));
    ASSERT_TRUE(report.failure);
    EXPECT_EQ(report.failure->case_seed, bad);
    EXPECT_EQ(report.failure->failure.kind, FailureKind::Exception);
    EXPECT_NE(report.failure->failure.description.find("threw an exception: no frames left"), std::string::npos)
        << report.failure->failure.description;
}

TEST(Campaign, AWorkerThatDiesIsAFailureOfTheCaseItRan) {
    const std::uint64_t bad = case_seed(campaign_seed, 7);
    const CampaignReport report = run_campaign(
        [bad](std::uint64_t seed) {
            if (seed == bad) {
                std::raise(SIGKILL);
            }
            return CaseOutcome{};
        },
        limits(50, 1));
    ASSERT_TRUE(report.failure);
    EXPECT_EQ(report.failure->case_seed, bad);
    EXPECT_EQ(report.failure->failure.kind, FailureKind::WorkerDied);
    EXPECT_NE(report.failure->failure.description.find("signal 9"), std::string::npos)
        << report.failure->failure.description;
}

// The indices of the cases a campaign ran, in a file the workers append to.
std::multiset<std::uint64_t> indices_run(const CampaignLimits& campaign) {
    const TempDir dir;
    const std::filesystem::path log = dir.path / "indices";
    const CampaignReport report = run_campaign(
        [&log](std::uint64_t seed) {
            std::ofstream(log, std::ios::app) << index_of(seed) << '\n';  // one short write: atomic with O_APPEND
            return CaseOutcome{};
        },
        campaign);
    std::multiset<std::uint64_t> indices;
    std::ifstream in(log);
    for (std::uint64_t index = 0; in >> index;) {
        indices.insert(index);
    }
    EXPECT_EQ(report.cases, indices.size());
    EXPECT_EQ(report.limits.shard, campaign.shard);
    return indices;
}

TEST(Shard, ShardsRunDisjointPartsThatTogetherAreExactlyTheWholeCampaign) {
    const std::multiset<std::uint64_t> whole = indices_run(limits(103, 2));
    ASSERT_EQ(whole.size(), 103U);
    std::multiset<std::uint64_t> together;
    for (std::uint64_t k = 0; k < 4; ++k) {
        const std::multiset<std::uint64_t> part = indices_run(limits(103, 2, std::nullopt, {k, 4}));
        EXPECT_EQ(part.size(), k < 3 ? 26U : 25U) << "shard " << k;
        for (const std::uint64_t index : part) {
            EXPECT_EQ(index % 4, k) << "shard " << k << " ran case " << index;
        }
        together.insert(part.begin(), part.end());
    }
    EXPECT_EQ(together, whole);
}

TEST(Shard, AShardWithNoCaseOfTheCampaignRunsNone) {
    EXPECT_TRUE(indices_run(limits(3, 1, std::nullopt, {5, 8})).empty());
    EXPECT_EQ(indices_run(limits(3, 1, std::nullopt, {2, 8})), (std::multiset<std::uint64_t>{2}));
}

TEST(Shard, CountsItsCasesOfACampaign) {
    EXPECT_EQ((Shard{0, 1}).cases_of(10), 10U);
    EXPECT_EQ((Shard{0, 4}).cases_of(10), 3U);  // 0 4 8
    EXPECT_EQ((Shard{1, 4}).cases_of(10), 3U);  // 1 5 9
    EXPECT_EQ((Shard{2, 4}).cases_of(10), 2U);  // 2 6
    EXPECT_EQ((Shard{3, 4}).cases_of(10), 2U);  // 3 7
    EXPECT_EQ((Shard{3, 4}).cases_of(3), 0U);
    EXPECT_EQ((Shard{3, 4}).case_index(2), 11U);
}

TEST(Shard, AFailingCaseKeepsItsCampaignIndexAndSeed) {
    const auto run_case = [](std::uint64_t seed) {
        CaseOutcome outcome;
        if (index_of(seed) == 9 || index_of(seed) == 13) {
            outcome.failure = CaseFailure{.kind = FailureKind::Invariant,
                                          .invariant = "test",
                                          .operation = std::nullopt,
                                          .description = "fails",
                                          .input = {},
                                          .case_bytes = 1};
        }
        return outcome;
    };
    const CampaignReport report = run_campaign(run_case, limits(100, 2, std::nullopt, {1, 4}));
    ASSERT_TRUE(report.failure);
    EXPECT_EQ(report.failure->case_index, 9U);
    EXPECT_EQ(report.failure->case_seed, case_seed(campaign_seed, 9));
    EXPECT_FALSE(run_campaign(run_case, limits(100, 2, std::nullopt, {0, 4})).failure);
}

TEST(Campaign, SigintStopsHandingOutCasesLetsTheCasesInFlightFinishAndIsReported) {
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    struct sigaction before {};
    sigaction(SIGINT, &default_action, &before);  // whatever the test runner left
    // Case 20 plays Ctrl-C: SIGINT to the parent and to its own worker, which must survive it.
    const CampaignReport report = run_campaign(
        [](std::uint64_t seed) {
            if (index_of(seed) == 20) {
                kill(getppid(), SIGINT);
                std::raise(SIGINT);
                return sleep_for(50ms);
            }
            return sleep_for(1ms);
        },
        limits(1000, 2));
    struct sigaction after {};
    sigaction(SIGINT, &before, &after);
    EXPECT_EQ(after.sa_handler, SIG_DFL);  // the campaign put back what it found
    EXPECT_TRUE(report.interrupted);
    EXPECT_EQ(report.stopped_by, StopReason::Interrupt);
    EXPECT_FALSE(report.failure);
    EXPECT_GT(report.cases, 20U);
    EXPECT_LT(report.cases, 100U);
}

}  // namespace
}  // namespace vmio::cli
