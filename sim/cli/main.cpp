// vmio-sim: checks vmio's VM I/O layer against the simulator's reference model.
//
//   vmio-sim                       the default campaign: every page state, both engines, tasks
//   vmio-sim check   [options]     a timed campaign of seeded random scenarios
//   vmio-sim fuzz    [options]     the same decoder fed by mutated byte strings
//   vmio-sim replay  SEED|FILE     one case, every operation and its outcome
//   vmio-sim bench                 vmio-bench on a short filter, as a ratio table
//
// Exit status: 0 all invariants held; 1 a case failed (an invariant broke, the case threw, or its
// worker died), with a reproduction line; 2 bad arguments; 3 vmio-sim could not run (no memory
// for its workers' counters, no fork, a system error building the machine).
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "bench.hpp"
#include "campaign.hpp"
#include "cases.hpp"
#include "fuzz.hpp"
#include "summary.hpp"

namespace {

using namespace vmio::cli;

struct CampaignOptions {
    std::uint64_t seed = 1;
    double duration = 10;
    std::optional<std::uint64_t> cases;
    unsigned jobs = std::max(1U, std::thread::hardware_concurrency());
    bool json = false;

    [[nodiscard]] CampaignLimits limits() const {
        return {seed, std::chrono::milliseconds(static_cast<std::int64_t>(duration * 1000)), cases, jobs};
    }
};

void add_campaign_options(CLI::App& command, CampaignOptions& options) {
    command.add_option("--seed", options.seed, "campaign seed (case seeds derive from it)");
    command.add_option("--duration", options.duration, "seconds to run at most")->check(CLI::PositiveNumber);
    command.add_option("--cases", options.cases, "stop after this many cases")->check(CLI::PositiveNumber);
    command.add_option("--jobs", options.jobs, "worker processes (default: all cores)")->check(CLI::Range(1, 256));
    command.add_flag("--json", options.json, "print the result as JSON");
}

int finish(const CampaignReport& report, const std::string& command, bool json) {
    if (json) {
        fmt::print("{}\n", to_json(report, command).dump(2));
    } else {
        print_summary(report, command);
    }
    return report.failure ? 1 : 0;
}

int replay(const std::string& what) {
    std::uint64_t seed = 0;
    const char* end = what.data() + what.size();
    if (auto [ptr, error] = std::from_chars(what.data(), end, seed); error == std::errc{} && ptr == end) {
        return replay_seed(seed) ? 0 : 1;
    }
    std::ifstream in(what, std::ios::binary);
    if (!in) {
        fmt::print(stderr, "vmio-sim replay: '{}' is neither a seed nor a readable file\n", what);
        return 2;
    }
    const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return replay_bytes(bytes) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"vmio-sim: vmio's VM I/O layer against the simulator's reference model.\n"
                 "With no subcommand: a short campaign over every page state, both recovery engines and tasks."};
    CampaignOptions defaults;
    defaults.duration = 6;
    app.add_option("--seed", defaults.seed, "campaign seed");
    app.add_option("--jobs", defaults.jobs, "worker processes (default: all cores)")->check(CLI::Range(1, 256));
    app.add_flag("--json", defaults.json, "print the result as JSON");

    CampaignOptions check_options;
    CLI::App* check = app.add_subcommand("check", "a timed campaign of seeded random scenarios against the model");
    add_campaign_options(*check, check_options);

    CampaignOptions fuzz_options;
    fuzz_options.duration = 60;
    std::string corpus;
    CLI::App* fuzz = app.add_subcommand("fuzz", "mutated byte strings through the scenario decoder, on all cores");
    add_campaign_options(*fuzz, fuzz_options);
    fuzz->add_option("--corpus", corpus, "directory of starting inputs; failures are written there")
        ->check(CLI::ExistingDirectory);

    std::string replay_target;
    CLI::App* replay_command = app.add_subcommand("replay", "run one case verbosely: every operation and its outcome");
    replay_command->add_option("case", replay_target, "a case seed, or a file of scenario bytes")->required();

    CLI::App* bench = app.add_subcommand("bench", "run vmio-bench on a short filter and print the ratio table");
    app.require_subcommand(0, 1);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error) == 0 ? 0 : 2;
    }
    try {
        if (check->parsed()) {
            return finish(run_campaign(run_seed_case, check_options.limits(), "check"), "check", check_options.json);
        }
        if (fuzz->parsed()) {
            return finish(run_campaign(fuzz_runner(corpus), fuzz_options.limits(), "fuzz"), "fuzz", fuzz_options.json);
        }
        if (replay_command->parsed()) {
            return replay(replay_target);
        }
        if (bench->parsed()) {
            return run_benchmarks(argv[0]);
        }
        return finish(run_campaign(run_seed_case, defaults.limits(), "campaign"), "default campaign", defaults.json);
    } catch (const std::exception& error) {
        fmt::print(stderr, "vmio-sim: cannot run: {}\n", error.what());
        return 3;
    }
}
