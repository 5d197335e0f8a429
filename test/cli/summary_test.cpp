// What a campaign's result says: the JSON object's fields (the tool version, the campaign seed,
// the limits, what stopped the run, a structured failure) and the text summary's; a failure's
// replay lines are only the commands that reproduce it (no case seed for fuzz).
#include <gtest/gtest.h>

#include "summary.hpp"
#include "vmio/version.h"

namespace vmio::cli {
namespace {

using namespace std::chrono_literals;

CampaignReport passed() {
    CampaignReport report;
    report.limits = {.seed = 7, .duration = 10'000ms, .max_cases = std::nullopt, .jobs = 2, .shard = {}};
    report.cases = 40;
    report.stats.operations = 900;
    report.stats.faults = 100;
    report.stats.faults_by_state[sim::PageState::Truncated] = 100;
    report.stats.pages_by_state[sim::PageState::Truncated] = 12;
    report.seconds = 10;
    report.core_seconds = 20;
    report.round_trip_seconds = 2e-6;
    report.stopped_by = StopReason::Duration;
    return report;
}

CampaignReport failed(bool replays_by_seed) {
    CampaignReport report = passed();
    report.stopped_by = StopReason::Failure;
    report.failure = CampaignFailure{
        .case_index = 17,
        .case_seed = 1234,
        .failure = {.kind = FailureKind::Invariant,
                    .invariant = "cursor",
                    .operation = 6,
                    .description = "operation #6 user reader.collect(): at area+4096",
                    .input = {1},
                    .case_bytes = 274},
        .file = "./vmio-sim-failure-00000000000000ff.bin",
        .replays_by_seed = replays_by_seed,
    };
    return report;
}

TEST(SummaryJson, SaysTheVersionSeedLimitsAndWhatStoppedTheRun) {
    const nlohmann::json json = to_json(passed(), "check");
    EXPECT_EQ(json.at("version"), VMIO_VERSION_STRING);
    EXPECT_EQ(json.at("command"), "check");
    EXPECT_EQ(json.at("result"), "passed");
    EXPECT_EQ(json.at("seed"), 7);
    EXPECT_EQ(json.at("limits"), (nlohmann::json{{"duration_seconds", 10.0}, {"cases", nullptr}, {"jobs", 2}}));
    EXPECT_EQ(json.at("stopped_by"), "duration");
    EXPECT_EQ(json.at("interrupted"), false);
    EXPECT_TRUE(json.at("failure").is_null());
}

TEST(SummaryJson, KeepsTheKeysUsersReadFor) {
    const nlohmann::json json = to_json(passed(), "check");
    for (const char* key : {"result", "cases", "operations", "faults", "faults_by_state", "pages_by_state",
                            "task_cases", "faulting_operations_per_second_per_core", "seconds", "jobs"}) {
        EXPECT_TRUE(json.contains(key)) << key;
    }
    EXPECT_EQ(json.at("cases"), 40);
    EXPECT_EQ(json.at("faults_by_state").at("Truncated"), 100);
    EXPECT_EQ(json.at("pages_by_state").at("Truncated"), 12);
}

TEST(SummaryJson, AFailureIsAnObjectWithTheCommandsThatReplayIt) {
    const nlohmann::json failure = to_json(failed(true), "check").at("failure");
    EXPECT_EQ(failure.at("case_index"), 17);
    EXPECT_EQ(failure.at("case_seed"), 1234);
    EXPECT_EQ(failure.at("kind"), "invariant");
    EXPECT_EQ(failure.at("invariant"), "cursor");
    EXPECT_EQ(failure.at("operation"), 6);
    EXPECT_EQ(failure.at("description"), "operation #6 user reader.collect(): at area+4096");
    EXPECT_EQ(failure.at("case_bytes"), 274);
    EXPECT_EQ(failure.at("minimised_bytes"), 1);
    EXPECT_EQ(failure.at("file"), "./vmio-sim-failure-00000000000000ff.bin");
    EXPECT_EQ(failure.at("replay"), (nlohmann::json{"vmio-sim replay ./vmio-sim-failure-00000000000000ff.bin",
                                                    "vmio-sim replay 1234"}));
    EXPECT_EQ(to_json(failed(true), "check").at("result"), "failed");
}

TEST(SummaryJson, AFuzzFailureReplaysFromItsFileOnly) {
    const nlohmann::json failure = to_json(failed(false), "fuzz").at("failure");
    EXPECT_EQ(failure.at("replay"), (nlohmann::json{"vmio-sim replay ./vmio-sim-failure-00000000000000ff.bin"}));
}

TEST(SummaryJson, SaysTheShareOfTheTimeInTheFaultPath) {
    const nlohmann::json json = to_json(passed(), "check");
    EXPECT_DOUBLE_EQ(json.at("faulting_operations_per_second_per_core").get<double>(), 5.0);  // 100 faults / 20 core-s
    EXPECT_DOUBLE_EQ(json.at("fault_round_trip_seconds").get<double>(), 2e-6);
    EXPECT_DOUBLE_EQ(json.at("fault_path_share").get<double>(), 1e-5);
    CampaignReport unmeasured = passed();
    unmeasured.round_trip_seconds.reset();
    EXPECT_TRUE(to_json(unmeasured, "check").at("fault_path_share").is_null());
    EXPECT_NE(summary_text(passed(), "check").find("5/s per core × 2.00 µs bare fault round trip = 0 % of the time"),
              std::string::npos)
        << summary_text(passed(), "check");
}

TEST(SummaryJson, ReadsBackAsTheSameReport) {
    for (const CampaignReport& report : {passed(), failed(true)}) {
        const auto read = report_from_json(to_json(report, "check"));
        ASSERT_TRUE(read) << read.error();
        EXPECT_EQ(read->command, "check");
        EXPECT_EQ(read->version, VMIO_VERSION_STRING);
        EXPECT_EQ(to_json(read->report, "check"), to_json(report, "check"));
        EXPECT_EQ(read->report.stats, report.stats);
        ASSERT_EQ(read->report.failure.has_value(), report.failure.has_value());
        if (report.failure) {
            EXPECT_EQ(read->report.failure->failure.input, report.failure->failure.input);
        }
    }
    CampaignReport fuzz = failed(false);
    fuzz.failure->failure.input = {0x00, 0x7f, 0xff};
    const auto read = report_from_json(to_json(fuzz, "fuzz"));
    ASSERT_TRUE(read) << read.error();
    EXPECT_FALSE(read->report.failure->replays_by_seed);
    EXPECT_EQ(read->report.failure->failure.input, fuzz.failure->failure.input);
    EXPECT_EQ(to_json(fuzz, "fuzz").at("failure").at("input_hex"), "007fff");
}

TEST(SummaryJson, SomethingElseDoesNotReadBackAsAReport) {
    nlohmann::json json = to_json(passed(), "check");
    json.erase("faults");
    EXPECT_NE(report_from_json(json).error().find("not a vmio-sim campaign report"), std::string::npos);
    json = to_json(passed(), "check");
    json["stopped_by"] = "boredom";
    EXPECT_NE(report_from_json(json).error().find("unknown stop reason 'boredom'"), std::string::npos);
    json = to_json(passed(), "check");
    json["shard"]["index"] = 4;
    json["shard"]["count"] = 4;
    EXPECT_NE(report_from_json(json).error().find("its shard does not exist"), std::string::npos);
    EXPECT_FALSE(report_from_json(nlohmann::json::array()));
}

TEST(SummaryText, NamesTheShard) {
    CampaignReport report = passed();
    report.limits.shard = {2, 4};
    EXPECT_NE(summary_text(report, "check").find("(seed 7, shard 2/4)"), std::string::npos) << summary_text(report, "check");
    EXPECT_EQ(to_json(report, "check").at("shard"), (nlohmann::json{{"index", 2}, {"count", 4}}));
}

TEST(SummaryText, AFuzzFailureSaysToReplayTheFileAndNotTheSeed) {
    const std::string text = summary_text(failed(false), "fuzz");
    EXPECT_NE(text.find("replay: vmio-sim replay ./vmio-sim-failure-00000000000000ff.bin"), std::string::npos) << text;
    EXPECT_EQ(text.find("replay 1234"), std::string::npos) << text;

    const std::string check = summary_text(failed(true), "check");
    EXPECT_NE(check.find("vmio-sim replay 1234"), std::string::npos) << check;
}

TEST(SummaryText, AFuzzCaseWhoseWorkerDiedHasNoReplayLine) {
    CampaignReport report = failed(false);
    report.failure->failure = {.kind = FailureKind::WorkerDied,
                               .invariant = {},
                               .operation = std::nullopt,
                               .description = "the worker died of signal 11",
                               .input = {},
                               .case_bytes = 0};
    report.failure->file.reset();
    EXPECT_TRUE(to_json(report, "fuzz").at("failure").at("replay").empty());
    EXPECT_EQ(summary_text(report, "fuzz").find("vmio-sim replay"), std::string::npos);
}

TEST(SummaryText, AFailureWhoseFileCouldNotBeWrittenReplaysFromItsInputInHex) {
    CampaignReport report = failed(false);
    report.failure->file.reset();
    EXPECT_EQ(replay_commands(*report.failure), std::vector<std::string>{"vmio-sim replay hex:01"});
    EXPECT_NE(summary_text(report, "fuzz").find("replay: vmio-sim replay hex:01"), std::string::npos);
}

TEST(SummaryText, QuotesAFileNameAShellWouldSplit) {
    CampaignReport report = failed(false);
    report.failure->file = "/tmp/my failures/vmio-sim-failure-00000000000000ff.bin";
    EXPECT_EQ(replay_commands(*report.failure),
              std::vector<std::string>{"vmio-sim replay '/tmp/my failures/vmio-sim-failure-00000000000000ff.bin'"});
}

TEST(SummaryText, CountsInTheSingular) {
    CampaignReport report = failed(true);
    report.limits.jobs = 1;
    report.cases = 1;
    report.stats.operations = 1;
    report.stats.faults = 1;
    report.failure->failure.case_bytes = 1;
    const std::string text = summary_text(report, "check");
    EXPECT_NE(text.find("1 case, 1 operation, 1 fault in 10.0 s with 1 worker"), std::string::npos) << text;
    EXPECT_NE(text.find("minimised from 1 byte to 1 byte"), std::string::npos) << text;
}

TEST(SummaryText, SaysWhichLimitStoppedTheRun) {
    CampaignReport report = passed();
    EXPECT_NE(summary_text(report, "check").find("stopped by the time limit (10 s)"), std::string::npos);
    report.limits.max_cases = 40;
    report.stopped_by = StopReason::Cases;
    EXPECT_NE(summary_text(report, "check").find("stopped by the case limit (40 cases)"), std::string::npos);
    EXPECT_EQ(to_json(report, "check").at("stopped_by"), "cases");
}

TEST(SummaryText, AnInterruptedRunIsMarkedSo) {
    CampaignReport report = passed();
    report.interrupted = true;
    report.stopped_by = StopReason::Interrupt;
    const std::string text = summary_text(report, "check");
    EXPECT_NE(text.find("stopped by Ctrl-C"), std::string::npos) << text;
    EXPECT_NE(text.find("result: INTERRUPTED"), std::string::npos) << text;
    EXPECT_EQ(to_json(report, "check").at("result"), "interrupted");
    EXPECT_EQ(to_json(report, "check").at("stopped_by"), "interrupt");
}

}  // namespace
}  // namespace vmio::cli
