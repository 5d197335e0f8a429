// Merging shard reports: the sums, the per-state tables, the longest time, the summed core time
// and workers, the round trip weighted by faults; the lowest failing case of all shards; an
// interrupted shard makes the whole interrupted; and every way reports can fail to be the shards
// of one campaign is refused with a message that names the reports.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "merge.hpp"
#include "temp_dir.hpp"

namespace vmio::cli {
namespace {

using namespace std::chrono_literals;

// Shard k of 4 of campaign seed 5, 40 cases: made-up counts that differ per shard.
NamedReport shard(std::uint64_t k, std::uint64_t count = 4) {
    CampaignReport report;
    report.limits = {.seed = 5, .duration = std::nullopt, .max_cases = 40, .jobs = 2, .shard = {k, count}};
    report.cases = report.limits.shard.cases_of(40);  // 10 of 4 shards
    report.stats.operations = 100 + k;
    report.stats.faults = 10 * (k + 1);
    report.stats.faults_by_state[sim::PageState::Truncated] = 10 * (k + 1);
    report.stats.pages_by_state[sim::PageState::ReadOnly] = k;
    report.stats.task_cases = 1;
    report.seconds = 1.0 + static_cast<double>(k);
    report.core_seconds = 2 * report.seconds;
    report.round_trip_seconds = 1e-6 * static_cast<double>(k + 1);
    report.stopped_by = StopReason::Cases;
    return {"shard-" + std::to_string(k) + ".json", {"check", "0.1.0", report}};
}

CampaignFailure failure_at(std::uint64_t index) {
    return {.case_index = index,
            .case_seed = 1000 + index,
            .failure = {.kind = FailureKind::Invariant,
                        .invariant = "cursor",
                        .operation = 1,
                        .description = "case " + std::to_string(index),
                        .input = {static_cast<std::uint8_t>(index)},
                        .case_bytes = 9},
            .file = std::nullopt,
            .replays_by_seed = true};
}

std::vector<NamedReport> all_shards() { return {shard(2), shard(0), shard(3), shard(1)}; }

TEST(Merge, AddsTheShardsUpIntoTheWholeCampaign) {
    const auto merged = merge_reports(all_shards());
    ASSERT_TRUE(merged) << merged.error();
    const CampaignReport& whole = merged->report;
    EXPECT_EQ(merged->command, "check");
    EXPECT_EQ(whole.merged_from, 4U);
    EXPECT_EQ(whole.limits.shard, (Shard{0, 1}));
    EXPECT_EQ(whole.limits.seed, 5U);
    EXPECT_EQ(whole.limits.max_cases, 40U);
    EXPECT_EQ(whole.limits.jobs, 8U);
    EXPECT_EQ(whole.cases, 40U);
    EXPECT_EQ(whole.stats.operations, 406U);
    EXPECT_EQ(whole.stats.faults, 100U);
    EXPECT_EQ(whole.stats.faults_by_state[sim::PageState::Truncated], 100U);
    EXPECT_EQ(whole.stats.pages_by_state[sim::PageState::ReadOnly], 6U);
    EXPECT_EQ(whole.stats.task_cases, 4U);
    EXPECT_DOUBLE_EQ(whole.seconds, 4.0);
    EXPECT_DOUBLE_EQ(whole.core_seconds, 20.0);
    // (10·1 + 20·2 + 30·3 + 40·4) µs / 100 faults
    ASSERT_TRUE(whole.round_trip_seconds);
    EXPECT_NEAR(*whole.round_trip_seconds, 3e-6, 1e-12);
    EXPECT_EQ(whole.stopped_by, StopReason::Cases);
    EXPECT_FALSE(whole.interrupted);
    EXPECT_FALSE(whole.failure);
    EXPECT_NE(summary_text(whole, "check").find("(seed 5, 4 shards merged)"), std::string::npos);
}

TEST(Merge, ReportsTheLowestFailingCaseOfAllShards) {
    auto reports = all_shards();
    reports[0].read.report.failure = failure_at(14);  // shard 2
    reports[3].read.report.failure = failure_at(9);   // shard 1
    reports[0].read.report.stopped_by = reports[3].read.report.stopped_by = StopReason::Failure;
    const auto merged = merge_reports(reports);
    ASSERT_TRUE(merged) << merged.error();
    ASSERT_TRUE(merged->report.failure);
    EXPECT_EQ(merged->report.failure->case_index, 9U);
    EXPECT_EQ(merged->report.failure->failure.description, "case 9");
    EXPECT_EQ(merged->report.stopped_by, StopReason::Failure);
    EXPECT_EQ(result_of(merged->report), "failed");
}

TEST(Merge, AnInterruptedShardInterruptsTheWhole) {
    auto reports = all_shards();
    reports[1].read.report.interrupted = true;
    reports[1].read.report.stopped_by = StopReason::Interrupt;
    const auto merged = merge_reports(reports);
    ASSERT_TRUE(merged) << merged.error();
    EXPECT_EQ(merged->report.stopped_by, StopReason::Interrupt);
    EXPECT_EQ(result_of(merged->report), "interrupted");
}

TEST(Merge, AShardStoppedByTimeMakesTheWholeStoppedByTime) {
    auto reports = all_shards();
    reports[2].read.report.stopped_by = StopReason::Duration;
    EXPECT_EQ(merge_reports(reports)->report.stopped_by, StopReason::Duration);
}

TEST(Merge, WithoutEveryRoundTripTheMergedOneIsUnknown) {
    auto reports = all_shards();
    reports[2].read.report.round_trip_seconds.reset();
    EXPECT_FALSE(merge_reports(reports)->report.round_trip_seconds);
}

// The error merging `reports` gives (a failing test if they merge).
std::string refusal(const std::vector<NamedReport>& reports) {
    const auto merged = merge_reports(reports);
    return merged ? "(merged)" : merged.error();
}

TEST(Merge, RefusesReportsOfDifferentCampaigns) {
    auto reports = all_shards();
    reports[2].read.report.limits.seed = 6;
    EXPECT_EQ(refusal(reports), "'shard-2.json' and 'shard-3.json' are not of the same campaign: seed 5 and 6");
    reports = all_shards();
    reports[1].read.report.limits.max_cases = 41;
    EXPECT_EQ(refusal(reports), "'shard-2.json' and 'shard-0.json' are not of the same campaign: case limit 40 and 41");
    reports = all_shards();
    reports[1].read.report.limits.duration = 1500ms;
    EXPECT_EQ(refusal(reports), "'shard-2.json' and 'shard-0.json' are not of the same campaign: time limit none and 1.5 s");
    reports = all_shards();
    reports[3].read.command = "fuzz";
    EXPECT_EQ(refusal(reports), "'shard-2.json' and 'shard-1.json' are not of the same campaign: command check and fuzz");
    reports = all_shards();
    reports[3].read.version = "0.0.9";
    EXPECT_NE(refusal(reports).find("vmio-sim version 0.1.0 and 0.0.9"), std::string::npos);
    reports = all_shards();
    reports[3] = shard(1, 5);
    EXPECT_NE(refusal(reports).find("shard count 4 and 5"), std::string::npos);
}

TEST(Merge, RefusesMissingAndRepeatedShards) {
    EXPECT_EQ(refusal({shard(0), shard(2)}), "the campaign has 4 shards; missing: 1, 3");
    EXPECT_EQ(refusal({shard(0), shard(2), shard(2), shard(3)}), "shard 2/4 is given twice ('shard-2.json' is one of them)");
    std::vector<NamedReport> few;
    for (std::uint64_t k = 0; k < 20; k += 2) {
        few.push_back(shard(k, 20));
    }
    EXPECT_EQ(refusal(few), "the campaign has 20 shards; missing: 1, 3, 5, 7, 9, 11, 13, 15 and 2 more");
    EXPECT_EQ(refusal({}), "no report to merge");
}

TEST(Merge, RefusesAShardThatRanOtherThanItsCases) {
    auto reports = all_shards();
    reports[0].read.report.cases = 40;  // shard 2 of a 40-case campaign has 10
    EXPECT_EQ(refusal(reports), "'shard-2.json' ran 40 cases, but shard 2/4 of a 40-case campaign has 10");
    reports[0].read.report.stopped_by = StopReason::Failure;  // a failure stops a shard early: fine
    reports[0].read.report.cases = 3;
    EXPECT_EQ(refusal(reports), "(merged)");
}

TEST(Merge, RefusesAMergedReport) {
    const auto merged = merge_reports(all_shards());
    ASSERT_TRUE(merged);
    EXPECT_EQ(refusal({{"whole.json", *merged}}), "'whole.json' is already a merged report");
}

TEST(Merge, ReadsReportFilesAndNamesOneItCannotRead) {
    const TempDir temp;
    const std::filesystem::path& dir = temp.path;
    std::vector<std::filesystem::path> files;
    for (const NamedReport& named : all_shards()) {
        files.push_back(dir / named.name);
        std::ofstream(files.back()) << to_json(named.read.report, "check").dump();
    }
    const auto merged = merge_report_files(files);
    ASSERT_TRUE(merged) << merged.error();
    EXPECT_EQ(merged->report.cases, 40U);

    std::ofstream(dir / "garbage.json") << "{ not json";
    std::ofstream(dir / "other.json") << R"({"result": "passed"})";
    EXPECT_EQ(merge_report_files({dir / "garbage.json"}).error(), "'" + (dir / "garbage.json").string() + "' is not JSON");
    EXPECT_NE(merge_report_files({dir / "other.json"}).error().find("is not a vmio-sim campaign report"), std::string::npos);
    EXPECT_NE(merge_report_files({dir / "nonexistent.json"}).error().find("cannot read"), std::string::npos);
}

}  // namespace
}  // namespace vmio::cli
