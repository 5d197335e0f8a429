// The campaign runner: case seeds are a deterministic, well-spread function of the campaign
// seed and the index; a case that throws or crashes is reported as a failure of that case.
#include <gtest/gtest.h>

#include <csignal>
#include <set>
#include <stdexcept>

#include "campaign.hpp"

namespace vmio::cli {
namespace {

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

TEST(CaseSeed, SpreadsEveryBitOfTheIndex) {
    // Neighbouring indices differ in about half of the 64 bits.
    std::uint64_t flipped = 0;
    for (std::uint64_t index = 0; index < 1000; ++index) {
        flipped += static_cast<std::uint64_t>(__builtin_popcountll(case_seed(1, index) ^ case_seed(1, index + 1)));
    }
    EXPECT_NEAR(static_cast<double>(flipped) / 1000, 32.0, 2.0);
}

CampaignLimits limits(std::uint64_t cases, unsigned jobs) {
    return {.seed = 3, .duration = std::chrono::milliseconds(30'000), .max_cases = cases, .jobs = jobs};
}

TEST(Campaign, RunsExactlyTheCasesAskedForAndSumsTheirStatistics) {
    const CampaignReport report = run_campaign(
        [](std::uint64_t) {
            CaseOutcome outcome;
            outcome.stats.operations = 3;
            outcome.stats.faults_by_state[sim::PageState::Truncated] = 1;
            return outcome;
        },
        limits(200, 2), "test");
    EXPECT_FALSE(report.failure);
    EXPECT_EQ(report.cases, 200U);
    EXPECT_EQ(report.stats.operations, 600U);
    EXPECT_EQ(report.stats.faults_by_state[sim::PageState::Truncated], 200U);
}

TEST(Campaign, ACaseThatThrowsIsAFailureOfThatCase) {
    const std::uint64_t bad = case_seed(3, 5);
    const CampaignReport report = run_campaign(
        [bad](std::uint64_t seed) {
            if (seed == bad) {
                throw std::runtime_error("no frames left");
            }
            return CaseOutcome{};
        },
        limits(50, 1), "test");
    ASSERT_TRUE(report.failure);
    EXPECT_EQ(report.failure->case_seed, bad);
    EXPECT_NE(report.failure->message.find("threw an exception: no frames left"), std::string::npos)
        << report.failure->message;
}

TEST(Campaign, AWorkerThatDiesIsAFailureOfTheCaseItRan) {
    const std::uint64_t bad = case_seed(3, 7);
    const CampaignReport report = run_campaign(
        [bad](std::uint64_t seed) {
            if (seed == bad) {
                std::raise(SIGKILL);
            }
            return CaseOutcome{};
        },
        limits(50, 1), "test");
    ASSERT_TRUE(report.failure);
    EXPECT_EQ(report.failure->case_seed, bad);
    EXPECT_NE(report.failure->message.find("signal 9"), std::string::npos) << report.failure->message;
}

}  // namespace
}  // namespace vmio::cli
