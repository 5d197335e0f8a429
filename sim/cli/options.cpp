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
#include <stdexcept>
#include <thread>

#include "examples.hpp"
#include "hex.hpp"
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
constexpr std::uint64_t max_shards = std::uint64_t{1} << 32;

// The campaign options as typed, on the main app or on a subcommand; checked after parsing.
struct RawCampaign {
    struct Value {
        std::string text;
        CLI::Option* option = nullptr;
        [[nodiscard]] bool given() const { return option->count() > 0; }
    };
    Value seed, duration, cases, jobs, failures, shard;
    bool json = false;
    CLI::Option* json_flag = nullptr;

    [[nodiscard]] std::vector<const CLI::Option*> options() const {
        return {seed.option, duration.option, cases.option, jobs.option, failures.option, shard.option, json_flag};
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
    raw.shard.option =
        app.add_option("--shard", raw.shard.text,
                       "run shard K of N (0 <= K < N <= 2^32): the cases whose index is K modulo N; "
                       "`vmio-sim merge` adds the shards' --json reports up")
            ->type_name("K/N");
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

Shard shard(const RawCampaign::Value& value) {
    const std::string& text = value.text;
    const auto slash = text.find('/');
    if (slash == std::string::npos) {
        reject(fmt::format("--shard: '{}' is not K/N (shard K of N, counted from 0)", text));
    }
    const auto part = [&](std::string part_text, std::uint64_t min, std::uint64_t max) {
        return whole_number({std::move(part_text), value.option}, min, max);
    };
    const std::uint64_t count = part(text.substr(slash + 1), 1, max_shards);
    const std::uint64_t index = part(text.substr(0, slash), 0, max_shards - 1);
    if (index >= count) {
        reject(fmt::format("--shard: '{}': shard {} of {} does not exist (shards are counted from 0 to {})", text,
                           index, count, count - 1));
    }
    return {index, count};
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
    const auto& shard_option = pick(&RawCampaign::shard);
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
    if (shard_option.given()) {
        line.limits.shard = shard(shard_option);
    }
    line.json = main.json || (sub != nullptr && sub->json);
}

// replay's argument: decimal digits are a case seed, anything else a file.
ReplayTarget replay_target(const std::string& text) {
    constexpr std::string_view hex_prefix = "hex:";
    if (text.starts_with(hex_prefix)) {
        try {
            return from_hex(std::string_view(text).substr(hex_prefix.size()));
        } catch (const std::invalid_argument& error) {
            reject(fmt::format("replay: {}", error.what()));
        }
    }
    if (text.empty() || !std::ranges::all_of(text, [](char c) { return c >= '0' && c <= '9'; })) {
        return std::filesystem::path(text);
    }
    std::uint64_t seed = 0;
    if (std::from_chars(text.data(), text.data() + text.size(), seed).ec != std::errc{}) {
        reject(fmt::format("replay: '{}' is out of range for a case seed: it must be {}", text, range(0, any)));
    }
    return seed;
}

// explore's arguments as typed.
struct RawExplore {
    std::vector<std::string> examples;
    std::string planted;
    RawCampaign::Value point, max_runs, duration;
    bool json = false;
    bool list = false;
};

void add_explore_options(CLI::App& explore, RawExplore& raw) {
    explore.add_option("example", raw.examples, "the examples to explore (default: all of them; see --list)")
        ->type_name("EXAMPLE");
    explore.add_option("--planted", raw.planted, "switch on a planted bug (and explore its example)")->type_name("BUG");
    raw.point.option = explore.add_option("--point", raw.point.text,
                                          "run only this fault point of one example (a finding's replay line)")
                           ->type_name("POINT");
    raw.max_runs.option =
        explore.add_option("--max-runs", raw.max_runs.text, "runs per example, at least 1 (default: no limit)")
            ->type_name("N");
    raw.duration.option = explore.add_option("--duration", raw.duration.text,
                                             "time per example, 0.001 to 31536000 seconds (default: no limit)")
                              ->type_name("SECONDS");
    explore.add_flag("--json", raw.json, "print the reports as JSON");
    explore.add_flag("--list", raw.list, "list the examples and their planted bugs");
}

std::string example_names() {
    std::string names;
    for (const examples::Example& example : examples::all_examples()) {
        names += (names.empty() ? "" : ", ") + std::string(example.name);
    }
    return names;
}

std::string bug_names() {
    std::string names;
    for (const examples::Example& example : examples::all_examples()) {
        if (!example.bug.empty()) {
            names += (names.empty() ? "" : ", ") + std::string(example.bug);
        }
    }
    return names;
}

const examples::Example* find_example(std::string_view name) {
    const auto all = examples::all_examples();
    const auto found = std::ranges::find(all, name, &examples::Example::name);
    return found == all.end() ? nullptr : &*found;
}

ExploreRequest explore_request(const RawExplore& raw) {
    if (raw.list && (!raw.examples.empty() || raw.json || !raw.planted.empty() || raw.point.given() ||
                     raw.max_runs.given() || raw.duration.given())) {
        reject("--list takes nothing else: it lists every example and its planted bug");
    }
    ExploreRequest request;
    request.planted = raw.planted;
    request.list = raw.list;
    for (const std::string& name : raw.examples) {
        if (find_example(name) == nullptr) {
            reject(fmt::format("explore: there is no example '{}' (the examples: {})", name, example_names()));
        }
        if (std::ranges::find(request.examples, name) == request.examples.end()) {
            request.examples.push_back(name);  // each explored once, however often it is named
        }
    }
    if (!raw.planted.empty()) {
        const auto all = examples::all_examples();
        const auto owner = std::ranges::find(all, std::string_view(raw.planted), &examples::Example::bug);
        if (owner == all.end()) {
            reject(fmt::format("--planted: there is no planted bug '{}' (the bugs: {})", raw.planted, bug_names()));
        }
        if (request.examples.empty()) {
            request.examples.emplace_back(owner->name);
        } else if (std::ranges::find(request.examples, owner->name) == request.examples.end()) {
            reject(fmt::format("--planted: '{}' is a bug of example '{}', which is not explored", raw.planted,
                               owner->name));
        }
    }
    if (request.examples.empty()) {
        for (const examples::Example& example : examples::all_examples()) {
            request.examples.emplace_back(example.name);
        }
    }
    if (raw.max_runs.given()) {
        request.max_runs = whole_number(raw.max_runs, 1, std::numeric_limits<std::size_t>::max());
    }
    if (raw.duration.given()) {
        request.duration = duration(raw.duration);
    }
    if (raw.point.given()) {
        if (request.examples.size() != 1) {
            reject("--point: a fault point belongs to one example: name exactly one");
        }
        const examples::Example& example = *find_example(request.examples.front());
        try {
            (void)testing::parse_fault_point(raw.point.text, example.subject(example.bug == raw.planted));
        } catch (const std::invalid_argument& error) {
            reject(fmt::format("--point: {}", error.what()));
        }
        request.point = raw.point.text;
    }
    return request;
}

}  // namespace

std::expected<CommandLine, int> parse_command_line(const std::vector<std::string>& args) {
    CLI::App app{"vmio-sim: vmio's VM I/O layer against the simulator's reference model.\n"
                 "With no subcommand: a short campaign over every page state, both recovery engines and tasks.",
                 "vmio-sim"};
    app.set_version_flag("--version", "vmio-sim " VMIO_VERSION_STRING);
    app.footer("Campaign options may also come before check or fuzz.\n"
               "Exit status: 0 every case passed; 1 a case failed; 2 bad arguments or an unreadable file;\n"
               "3 vmio-sim could not run; 130 interrupted by Ctrl-C (after a partial summary).\n"
               "vmio-sim bench --help: its own exit statuses.");
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
    std::string shared_corpus;
    fuzz->add_option("--shared-corpus", shared_corpus,
                     "directory shared with other fuzz campaigns (other machines too): its inputs are read, new "
                     "ones written to it, the others' read every 2 s")
        ->type_name("DIR");

    std::string replay_text;
    CLI::App* replay = app.add_subcommand("replay", "run one case verbosely: every operation and its outcome");
    replay->add_option("case", replay_text,
                       "a case seed, a file of scenario bytes (a failure file), or hex: and the bytes in hex (a "
                       "report's input_hex)")
        ->type_name("SEED|FILE|hex:DIGITS")
        ->required();
    replay->footer("Exit status: 0 every operation as the model expects; 1 an operation is not; 2 bad arguments or\n"
                   "an unreadable file; 3 vmio-sim could not run.");

    std::vector<std::string> merge_files;
    bool merge_json = false;
    CLI::App* merge = app.add_subcommand(
        "merge", "add up the --json reports of a campaign's shards (--shard K/N) into the whole campaign's report");
    merge->add_option("report", merge_files, "the shards' JSON reports, every shard of one campaign once")
        ->type_name("REPORT")
        ->required();
    merge->add_flag("--json", merge_json, "print the merged report as JSON");
    merge->footer("Exit status: 0 every shard passed; 1 a case failed (the lowest failing case of all shards is\n"
                  "reported); 2 a report cannot be read or the reports are not the shards of one campaign;\n"
                  "130 a shard was interrupted by Ctrl-C.");

    std::string bench_filter = short_bench_filter;
    CLI::App* bench = app.add_subcommand(
        "bench", "run vmio-bench on a short filter and print its tables (every benchmark that ran)");
    bench->add_option("--filter", bench_filter,
                      "the benchmarks to run, a Google Benchmark regular expression (default: copy and fill at "
                      "64 B, 4 KiB and 64 KiB, every variant, and the fault costs)")
        ->type_name("REGEX");
    bench->footer("vmio-bench and plot.py are looked for where vmio installs them next to vmio-sim\n"
                  "(<prefix>/libexec/vmio/vmio-bench, <prefix>/share/vmio/plot.py), then in vmio-sim's build directory.\n"
                  "Exit status: 0 the tables were printed; 1 vmio-bench or plot.py failed; 2 the filter selects no\n"
                  "benchmark; 3 vmio-bench, plot.py or plot.py's interpreter is missing (the message says how to get\n"
                  "it); 130 interrupted by Ctrl-C.");

    RawExplore explore_options;
    CLI::App* explore =
        app.add_subcommand("explore", "run the kernel-style examples under the fault explorer, at every fault point");
    add_explore_options(*explore, explore_options);
    explore->footer("Exit status: 0 nothing found; 1 a finding (with the command that replays it); 2 bad arguments;\n"
                    "3 vmio-sim could not run; 130 interrupted by Ctrl-C.");
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
                reject(fmt::format("--failures: '{}' (the current directory unless given) is the corpus: failure "
                                   "files never go there; give --failures another directory",
                                   line.failure_dir.string()));
            }
            line.corpus = corpus;
            if (!shared_corpus.empty()) {
                if (!std::filesystem::is_directory(shared_corpus)) {
                    reject(fmt::format("--shared-corpus: '{}' is not a directory", shared_corpus));
                }
                if (access(shared_corpus.c_str(), W_OK) != 0) {
                    reject(fmt::format("--shared-corpus: cannot write to '{}': {}", shared_corpus, std::strerror(errno)));
                }
                if (std::filesystem::equivalent(shared_corpus, line.failure_dir, same_error)) {
                    reject(fmt::format("--failures: '{}' (the current directory unless given) is the shared "
                                       "corpus: failure files never go there; give --failures another directory",
                                       line.failure_dir.string()));
                }
                line.shared_corpus = shared_corpus;
            }
        } else if (CLI::App* other = app.get_subcommands().empty() ? nullptr : app.get_subcommands().front()) {
            line.command = other == replay  ? Command::Replay
                           : other == merge ? Command::Merge
                           : other == bench ? Command::Bench
                                            : Command::Explore;
            for (const CLI::Option* option : main_options.options()) {
                if (option->count() > 0) {
                    reject(fmt::format("{} applies to campaigns (no subcommand, check, fuzz), not to '{}'",
                                       option->get_name(), other->get_name()));
                }
            }
            if (merge->parsed()) {
                line.merge_files.assign(merge_files.begin(), merge_files.end());
                line.json = merge_json;
            }
            if (replay->parsed()) {
                line.replay_target = replay_target(replay_text);
            }
            if (bench->parsed()) {
                line.bench_filter = bench_filter;
            }
            if (explore->parsed()) {
                line.explore = explore_request(explore_options);
                line.json = explore_options.json;
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
