// vmio-sim's command line: campaign options work before the subcommand as after it; --cases
// without --duration has no time limit; bad values are exit status 2, --help and --version 0;
// replay takes decimal digits as a case seed and anything else as a file.
#include <gtest/gtest.h>

#include "options.hpp"

namespace vmio::cli {
namespace {

using namespace std::chrono_literals;

std::expected<CommandLine, int> parse(std::vector<std::string> args) {
    args.insert(args.begin(), "vmio-sim");
    return parse_command_line(args);
}

TEST(Options, CampaignOptionsBeforeTheSubcommandApplyToIt) {
    const auto line = parse({"--jobs", "1", "--json", "--seed", "9", "check"});
    ASSERT_TRUE(line);
    EXPECT_EQ(line->command, Command::Check);
    EXPECT_EQ(line->limits.jobs, 1U);
    EXPECT_TRUE(line->json);
    EXPECT_EQ(line->limits.seed, 9U);

    const auto fuzz = parse({"--cases", "5", "fuzz"});
    ASSERT_TRUE(fuzz);
    EXPECT_EQ(fuzz->command, Command::Fuzz);
    EXPECT_EQ(fuzz->limits.max_cases, 5U);
}

TEST(Options, CampaignOptionsAfterTheSubcommand) {
    const auto line = parse({"check", "--jobs", "3", "--json", "--seed", "18446744073709551615"});
    ASSERT_TRUE(line);
    EXPECT_EQ(line->limits.jobs, 3U);
    EXPECT_TRUE(line->json);
    EXPECT_EQ(line->limits.seed, 18446744073709551615ULL);
}

TEST(Options, AnOptionBothBeforeAndAfterTheSubcommandIsAnError) {
    EXPECT_EQ(parse({"--jobs", "1", "check", "--jobs", "2"}), std::unexpected(2));
}

TEST(Options, CampaignOptionsBeforeReplayOrBenchAreAnError) {
    EXPECT_EQ(parse({"--json", "replay", "42"}), std::unexpected(2));
    EXPECT_EQ(parse({"--jobs", "2", "bench"}), std::unexpected(2));
}

TEST(Options, EachCommandHasItsDefaultTimeLimit) {
    EXPECT_EQ(parse({})->limits.duration, 6'000ms);
    EXPECT_EQ(parse({"check"})->limits.duration, 10'000ms);
    EXPECT_EQ(parse({"fuzz"})->limits.duration, 60'000ms);
    EXPECT_EQ(parse({"check"})->limits.max_cases, std::nullopt);
}

TEST(Options, ACaseLimitAloneHasNoTimeLimit) {
    const auto line = parse({"check", "--cases", "1000000"});
    ASSERT_TRUE(line);
    EXPECT_EQ(line->limits.max_cases, 1'000'000U);
    EXPECT_EQ(line->limits.duration, std::nullopt);
}

TEST(Options, BothLimitsAreKept) {
    const auto line = parse({"check", "--cases", "50", "--duration", "0.5"});
    ASSERT_TRUE(line);
    EXPECT_EQ(line->limits.max_cases, 50U);
    EXPECT_EQ(line->limits.duration, 500ms);
}

TEST(Options, DurationsMustBeFiniteAtLeastAMillisecondAndAtMostAYear) {
    EXPECT_EQ(parse({"check", "--duration", "0.001"})->limits.duration, 1ms);
    EXPECT_EQ(parse({"check", "--duration", "31536000"})->limits.duration, 31'536'000'000ms);
    for (const char* bad : {"abc", "1e16", "1e-9", "0.0004", "0", "-1", "inf", "nan", "1e999", "5s", ""}) {
        EXPECT_EQ(parse({"check", "--duration", bad}), std::unexpected(2)) << bad;
    }
}

TEST(Options, WholeNumbersAreCheckedNotClamped) {
    for (const std::vector<std::string>& bad : std::vector<std::vector<std::string>>{
             {"--cases", "0"},
             {"--cases", "-3"},
             {"--cases", "1.5"},
             {"--seed", "-1"},
             {"--seed", "18446744073709551616"},
             {"--seed", "99999999999999999999999"},
             {"--seed", "0x10"},
             {"--jobs", "0"},
             {"--jobs", "257"},
             {"--jobs", "many"},
         }) {
        std::vector<std::string> args{"check"};
        args.insert(args.end(), bad.begin(), bad.end());
        EXPECT_EQ(parse(args), std::unexpected(2)) << bad[0] << " " << bad[1];
    }
    EXPECT_EQ(parse({"check", "--jobs", "256"})->limits.jobs, 256U);
    EXPECT_EQ(parse({"check", "--seed", "0"})->limits.seed, 0U);
}

TEST(Options, FailureFilesGoToAWritableDirectoryThatIsNotTheCorpus) {
    EXPECT_EQ(parse({"check"})->failure_dir, ".");
    const std::string temp = std::filesystem::temp_directory_path().string();
    EXPECT_EQ(parse({"check", "--failures", temp})->failure_dir, temp);
    EXPECT_EQ(parse({"check", "--failures", "/nonexistent"}), std::unexpected(2));
    EXPECT_EQ(parse({"fuzz", "--corpus", ".", "--failures", "."}), std::unexpected(2));
    EXPECT_EQ(parse({"fuzz", "--corpus", "/nonexistent"}), std::unexpected(2));
}

TEST(Options, ReplayTakesASeedOrAFile) {
    EXPECT_EQ(std::get<std::uint64_t>(parse({"replay", "42"})->replay_target), 42U);
    EXPECT_EQ(std::get<std::filesystem::path>(parse({"replay", "./42.bin"})->replay_target), "./42.bin");
    EXPECT_EQ(parse({"replay", "99999999999999999999999"}), std::unexpected(2));
}

TEST(Options, HelpAndVersionExitZero) {
    EXPECT_EQ(parse({"--version"}), std::unexpected(0));
    EXPECT_EQ(parse({"--help"}), std::unexpected(0));
}

}  // namespace
}  // namespace vmio::cli
