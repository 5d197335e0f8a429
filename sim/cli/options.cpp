#include "options.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fmt/core.h>
#include <limits>
#include <thread>

#include "vmio/version.h"

namespace vmio::cli {
namespace {

constexpr double min_seconds = 0.001;                   // less rounds to 0 ms
constexpr double max_seconds = 365.0 * 24 * 60 * 60;  // a year
constexpr std::uint64_t any = std::numeric_limits<std::uint64_t>::max();
// The time limits without --duration or --cases.
constexpr int default_seconds = 6;
constexpr int check_seconds = 10;
constexpr int fuzz_seconds = 60;

// The campaign options as typed, on the main app or on a subcommand; checked after parsing.
struct RawCampaign {
    struct Value {
        std::string text;
        CLI::Option* option = nullptr;
        [[nodiscard]] bool given() const { return option->count() > 0; }
    };
    Value seed, duration, cases, jobs, failures;
    bool json = false;
    CLI::Option* json_flag = nullptr;

    [[nodiscard]] std::vector<const CLI::Option*> options() const {
        return {seed.option, duration.option, cases.option, jobs.option, failures.option, json_flag};
    }
};

void add_campaign_options(CLI::App& app, RawCampaign& raw, int time_limit) {
    raw.seed.option =
        app.add_option("--seed", raw.seed.text, "campaign seed, 0 to 2^64-1 (default 1); case seeds derive from it")
            ->type_name("SEED");
    raw.duration.option =
        app.add_option("--duration", raw.duration.text,
                       fmt::format("time limit, 0.001 to 31536000 (default {}; none if only --cases is given)",
                                   time_limit))
            ->type_name("SECONDS");
    raw.cases.option = app.add_option("--cases", raw.cases.text, "case limit, at least 1")->type_name("N");
    raw.jobs.option =
        app.add_option("--jobs", raw.jobs.text, "worker processes, 1 to 256 (default: one per core)")->type_name("N");
    raw.failures.option = app.add_option("--failures", raw.failures.text,
                                         "where the failing case's file goes (default: the current directory)")
                              ->type_name("DIR");
    raw.json_flag = app.add_flag("--json", raw.json, "print the result as JSON");
}

[[noreturn]] void reject(const std::string& message) { throw CLI::ValidationError(message); }

std::string range(std::uint64_t min, std::uint64_t max) {
    return max == any && min > 0 ? fmt::format("at least {}", min) : fmt::format("between {} and {}", min, max);
}

std::uint64_t whole_number(const RawCampaign::Value& value, std::uint64_t min, std::uint64_t max) {
    const std::string& text = value.text;
    const std::string name = value.option->get_name();
    const char* end = text.data() + text.size();
    std::uint64_t number = 0;
    const auto [stop, error] = std::from_chars(text.data(), end, number);
    const bool digits = stop == end && (error == std::errc{} || error == std::errc::result_out_of_range);
    const bool negative = text.size() > 1 && text[0] == '-' &&
                          std::ranges::all_of(text.substr(1), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits && !negative) {
        reject(fmt::format("{}: '{}' is not a whole number", name, text));
    }
    if (negative || error != std::errc{} || number < min || number > max) {
        reject(fmt::format("{}: '{}' is out of range: it must be {}", name, text, range(min, max)));
    }
    return number;
}

std::chrono::milliseconds duration(const RawCampaign::Value& value) {
    const std::string& text = value.text;
    const char* end = text.data() + text.size();
    double seconds = 0;
    const auto [stop, error] = std::from_chars(text.data(), end, seconds);
    if (stop != end || (error != std::errc{} && error != std::errc::result_out_of_range)) {
        reject(fmt::format("--duration: '{}' is not a number (of seconds)", text));
    }
    if (error == std::errc{} && !std::isfinite(seconds)) {
        reject(fmt::format("--duration: '{}' is not a finite number", text));
    }
    if (error != std::errc{} || seconds < min_seconds || seconds > max_seconds) {
        reject(fmt::format("--duration: '{}' is out of range: it must be between {} and {:.0f} seconds (a year)", text,
                           min_seconds, max_seconds));
    }
    return std::chrono::milliseconds(std::llround(seconds * 1000));
}

std::filesystem::path writable_directory(const RawCampaign::Value& value) {
    std::error_code error;
    if (!std::filesystem::is_directory(value.text, error)) {
        reject(fmt::format("--failures: '{}' is not a directory", value.text));
    }
    if (access(value.text.c_str(), W_OK) != 0) {
        reject(fmt::format("--failures: cannot write to '{}': {}", value.text, std::strerror(errno)));
    }
    return value.text;
}

// The campaign options of `command`, from before (`main`) and after (`sub`, if any) its name.
void campaign_options(const RawCampaign& main, const RawCampaign* sub, const std::string& name,
                      std::chrono::milliseconds default_duration, CommandLine& line) {
    const auto pick = [&](RawCampaign::Value RawCampaign::*field) -> const RawCampaign::Value& {
        if (sub == nullptr || !(sub->*field).given()) {
            return main.*field;
        }
        if ((main.*field).given()) {
            reject(fmt::format("{} is given both before and after '{}'", (main.*field).option->get_name(), name));
        }
        return sub->*field;
    };
    const auto& seed = pick(&RawCampaign::seed);
    const auto& time = pick(&RawCampaign::duration);
    const auto& cases = pick(&RawCampaign::cases);
    const auto& jobs = pick(&RawCampaign::jobs);
    const auto& failures = pick(&RawCampaign::failures);
    if (seed.given()) {
        line.limits.seed = whole_number(seed, 0, any);
    }
    if (cases.given()) {
        line.limits.max_cases = whole_number(cases, 1, any);
    }
    if (time.given()) {
        line.limits.duration = duration(time);
    } else if (!cases.given()) {
        line.limits.duration = default_duration;
    }
    line.limits.jobs = jobs.given() ? static_cast<unsigned>(whole_number(jobs, 1, max_jobs))
                                    : std::clamp(std::thread::hardware_concurrency(), 1U, max_jobs);
    if (failures.given()) {
        line.failure_dir = writable_directory(failures);
    }
    line.json = main.json || (sub != nullptr && sub->json);
}

// replay's argument: decimal digits are a case seed, anything else a file.
std::variant<std::uint64_t, std::filesystem::path> replay_target(const std::string& text) {
    if (text.empty() || !std::ranges::all_of(text, [](char c) { return c >= '0' && c <= '9'; })) {
        return std::filesystem::path(text);
    }
    std::uint64_t seed = 0;
    if (std::from_chars(text.data(), text.data() + text.size(), seed).ec != std::errc{}) {
        reject(fmt::format("replay: '{}' is out of range for a case seed: it must be {}", text, range(0, any)));
    }
    return seed;
}

}  // namespace

std::expected<CommandLine, int> parse_command_line(const std::vector<std::string>& args) {
    CLI::App app{"vmio-sim: vmio's VM I/O layer against the simulator's reference model.\n"
                 "With no subcommand: a short campaign over every page state, both recovery engines and tasks.",
                 "vmio-sim"};
    app.set_version_flag("--version", "vmio-sim " VMIO_VERSION_STRING);
    app.footer("Campaign options may also come before check or fuzz.\n"
               "Exit status: 0 every case passed; 1 a case failed; 2 bad arguments or an unreadable file;\n"
               "3 vmio-sim could not run; 130 interrupted by Ctrl-C (after a partial summary).");
    RawCampaign main_options;
    add_campaign_options(app, main_options, default_seconds);

    RawCampaign check_options;
    CLI::App* check = app.add_subcommand("check", "a campaign of seeded random scenarios against the model");
    add_campaign_options(*check, check_options, check_seconds);

    RawCampaign fuzz_options;
    std::string corpus;
    CLI::App* fuzz = app.add_subcommand("fuzz", "a campaign of mutated byte strings through the scenario decoder");
    add_campaign_options(*fuzz, fuzz_options, fuzz_seconds);
    fuzz->add_option("--corpus", corpus, "directory of starting inputs (only read)")->type_name("DIR");

    std::string replay_text;
    CLI::App* replay = app.add_subcommand("replay", "run one case verbosely: every operation and its outcome");
    replay->add_option("case", replay_text, "a case seed, or a file of scenario bytes (a failure file)")
        ->type_name("SEED|FILE")
        ->required();

    CLI::App* bench = app.add_subcommand("bench", "run vmio-bench on a short filter and print the ratio table");
    app.require_subcommand(0, 1);

    std::vector<const char*> argv;
    for (const std::string& arg : args) {
        argv.push_back(arg.c_str());
    }
    CommandLine line;
    try {
        app.parse(static_cast<int>(argv.size()), argv.data());
        if (check->parsed()) {
            line.command = Command::Check;
            campaign_options(main_options, &check_options, "check", std::chrono::seconds(check_seconds), line);
        } else if (fuzz->parsed()) {
            line.command = Command::Fuzz;
            campaign_options(main_options, &fuzz_options, "fuzz", std::chrono::seconds(fuzz_seconds), line);
            if (!corpus.empty() && !std::filesystem::is_directory(corpus)) {
                reject(fmt::format("--corpus: '{}' is not a directory", corpus));
            }
            std::error_code same_error;
            if (!corpus.empty() && std::filesystem::equivalent(corpus, line.failure_dir, same_error)) {
                reject(fmt::format("--failures: '{}' is the corpus: failure files never go there",
                                   line.failure_dir.string()));
            }
            line.corpus = corpus;
        } else if (replay->parsed() || bench->parsed()) {
            line.command = replay->parsed() ? Command::Replay : Command::Bench;
            for (const CLI::Option* option : main_options.options()) {
                if (option->count() > 0) {
                    reject(fmt::format("{} applies to campaigns (no subcommand, check, fuzz), not to '{}'",
                                       option->get_name(), replay->parsed() ? "replay" : "bench"));
                }
            }
            if (replay->parsed()) {
                line.replay_target = replay_target(replay_text);
            }
        } else {
            campaign_options(main_options, nullptr, "", std::chrono::seconds(default_seconds), line);
        }
    } catch (const CLI::ParseError& error) {
        return std::unexpected(app.exit(error) == 0 ? 0 : 2);
    }
    return line;
}

}  // namespace vmio::cli
