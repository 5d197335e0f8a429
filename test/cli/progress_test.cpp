// The progress bar's line: never as wide as the terminal (so it never wraps), whatever the
// width; against the limit that comes first; counting cases when a case limit is set; with the
// elapsed time and an ETA.
#include <gtest/gtest.h>

#include "progress.hpp"

namespace vmio::cli {
namespace {

using namespace std::chrono_literals;

TEST(ProgressLine, NeverReachesTheLastColumn) {
    const ProgressGoal goal{.duration = 3'600'000ms, .cases = 123'456'789};
    const ProgressCount count{.cases = 12'345'678, .operations = 987'654'321'000};
    for (unsigned columns = 0; columns <= 200; ++columns) {
        const std::string line = progress_line("default campaign", goal, count, 1'234'567ms, columns);
        EXPECT_LT(line.size(), std::max(columns, 1U)) << columns << ": " << line;
        EXPECT_EQ(line.find('\n'), std::string::npos);
    }
}

TEST(ProgressLine, KeepsThePercentageAndTheCasesWhenNarrow) {
    const std::string line = progress_line("check", {.duration = 10'000ms, .cases = std::nullopt},
                                           {.cases = 500, .operations = 25'000}, 5'000ms, 24);
    EXPECT_EQ(line, "50% 500 cases, ETA 0:05");
}

TEST(ProgressLine, MeasuresTimeAgainstATimeLimit) {
    const std::string line = progress_line("check", {.duration = 10'000ms, .cases = std::nullopt},
                                           {.cases = 500, .operations = 25'000}, 2'500ms, 120);
    EXPECT_EQ(line, "[#######.......................] 25% check: 500 cases, 25000 ops, 0:02 elapsed, ETA 0:08");
}

TEST(ProgressLine, CountsCasesAgainstACaseLimit) {
    const std::string line = progress_line("check", {.duration = std::nullopt, .cases = 1000},
                                           {.cases = 750, .operations = 25'000}, 3'000ms, 120);
    EXPECT_EQ(line, "[######################........] 75% check: 750/1000 cases, 25000 ops, 0:03 elapsed, ETA 0:01");
}

TEST(ProgressLine, WithBothLimitsTheNearerOneWins) {
    const std::string line = progress_line("check", {.duration = 100'000ms, .cases = 1000},
                                           {.cases = 500, .operations = 0}, 10'000ms, 120);
    EXPECT_NE(line.find(" 50% "), std::string::npos) << line;
    EXPECT_NE(line.find("ETA 0:10"), std::string::npos) << line;
}

}  // namespace
}  // namespace vmio::cli
