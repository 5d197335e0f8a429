// vmio-sim: checks vmio's VM I/O layer against the simulator's reference model.
//
//   vmio-sim         [options]     the default campaign: every page state, both engines, tasks
//   vmio-sim check   [options]     a campaign of seeded random scenarios
//   vmio-sim fuzz    [options]     the same decoder fed by mutated byte strings
//   vmio-sim replay  SEED|FILE     one case, every operation and its outcome
//   vmio-sim merge   REPORT...     the --json reports of a campaign's shards, added up
//   vmio-sim bench [--filter RE]   vmio-bench on a short filter, as tables
//   vmio-sim explore [EXAMPLE...]  the kernel-style examples under the fault explorer
//   vmio-sim --version
//
// Exit status: 0 all invariants held (bench: the tables were printed; merge: in every shard);
// 1 a case failed (an invariant broke, the case threw, or its worker died) or an exploration found
// something, with the lines that replay it, or vmio-bench or plot.py failed; 2 bad arguments or an
// unreadable file (bench: a filter that selects no benchmark; merge: reports that are not the
// shards of one campaign); 3 vmio-sim could not run (no memory for its workers' counters, no
// fork, a system error building the machine, its output could not be written; bench:
// vmio-bench, plot.py or its interpreter missing); 130 a campaign, an exploration or the
// benchmarks interrupted by Ctrl-C, after a campaign's partial summary (1 if a case failed or
// something was found; merge: a shard was).
#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "bench.hpp"
#include "campaign.hpp"
#include "cases.hpp"
#include "explore.hpp"
#include "fault_round_trip.hpp"
#include "fuzz.hpp"
#include "merge.hpp"
#include "options.hpp"
#include "scenario_file.hpp"
#include "summary.hpp"

namespace {

using namespace vmio::cli;

constexpr int exit_failed = 1;
constexpr int exit_bad_arguments = 2;
constexpr int exit_cannot_run = 3;
constexpr int exit_interrupted = 130;  // 128 + SIGINT, as a shell reports a process Ctrl-C killed

int exit_status(const CampaignReport& report) {
    return report.failure ? exit_failed : report.interrupted ? exit_interrupted : 0;
}

void print_report(const CampaignReport& report, const std::string& name, bool json) {
    if (json) {
        fmt::print("{}\n", to_json(report, name).dump(2));
    } else {
        fmt::print("{}", summary_text(report, name));
    }
}

int campaign(const CommandLine& line, const CaseRunner& run_case, const std::string& name, bool replays_by_seed) {
    FaultRoundTrip round_trip;
    round_trip.measure();
    CampaignReport report = run_campaign(
        run_case, line.limits, {.label = name, .failure_dir = line.failure_dir, .replays_by_seed = replays_by_seed});
    round_trip.measure();
    report.round_trip_seconds = round_trip.seconds();
    print_report(report, name, line.json);
    return exit_status(report);
}

int merge(const CommandLine& line) {
    const auto merged = merge_report_files(line.merge_files);
    if (!merged) {
        fmt::print(stderr, "vmio-sim merge: {}\n", merged.error());
        return exit_bad_arguments;
    }
    print_report(merged->report, merged->command, line.json);
    return exit_status(merged->report);
}

int replay(const ReplayTarget& target) {
    if (const auto* seed = std::get_if<std::uint64_t>(&target)) {
        return replay_seed(*seed) ? 0 : exit_failed;
    }
    if (const auto* bytes = std::get_if<std::vector<std::uint8_t>>(&target)) {
        return replay_bytes(*bytes) ? 0 : exit_failed;
    }
    const auto bytes = read_regular_file(std::get<std::filesystem::path>(target));
    if (!bytes) {
        fmt::print(stderr, "vmio-sim replay: {}\n", bytes.error());
        return exit_bad_arguments;
    }
    return replay_bytes(*bytes) ? 0 : exit_failed;
}

int bench(const std::string& filter) {
    switch (run_benchmarks(filter)) {
    case BenchOutcome::Printed: return 0;
    case BenchOutcome::Failed: return exit_failed;
    case BenchOutcome::NoSuchBenchmark: return exit_bad_arguments;
    case BenchOutcome::CannotRun: return exit_cannot_run;
    case BenchOutcome::Interrupted: return exit_interrupted;
    }
    return exit_failed;
}

int run(const CommandLine& line) {
    switch (line.command) {
    case Command::DefaultCampaign: return campaign(line, run_seed_case, "default campaign", true);
    case Command::Check: return campaign(line, run_seed_case, "check", true);
    case Command::Fuzz: {
        auto corpus = line.corpus.empty() ? std::expected<std::vector<Bytes>, std::string>{} : read_corpus(line.corpus);
        if (!corpus) {
            fmt::print(stderr, "vmio-sim fuzz: --corpus: {}\n", corpus.error());
            return exit_bad_arguments;
        }
        std::optional<SharedCorpus> shared;
        if (!line.shared_corpus.empty()) {
            shared.emplace(line.shared_corpus);
        }
        return campaign(line, fuzz_runner(std::move(*corpus), std::move(shared)), "fuzz", false);
    }
    case Command::Replay: return replay(line.replay_target);
    case Command::Merge: return merge(line);
    case Command::Bench: return bench(line.bench_filter);
    case Command::Explore: {
        if (line.explore.list) {
            print_examples();
            return 0;
        }
        const ExploreOutcome outcome = run_explorations(line.explore, line.json);
        return outcome.finding ? exit_failed : outcome.interrupted ? exit_interrupted : 0;
    }
    }
    return exit_bad_arguments;
}

// Started with stdin, stdout or stderr closed, vmio-sim would hand out their numbers to the
// files it opens (the simulator's memory files) and write its report into one of them. Each
// closed one gets /dev/null instead, stdout read-only so that writing the report fails.
void keep_standard_descriptors_apart() {
    for (const int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
        if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
            (void)open("/dev/null", fd == STDERR_FILENO ? O_WRONLY : O_RDONLY);  // gets number fd, the lowest free
        }
    }
}

// A result nobody can read is not a result: the status says so when stdout could not be
// written (a full disk, a closed descriptor), whatever the run found.
int with_output_written(int status) {
    if (std::fflush(stdout) != 0 || std::ferror(stdout) != 0) {
        fmt::print(stderr, "vmio-sim: cannot write the output: {}\n", std::strerror(errno));
        return exit_cannot_run;
    }
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    keep_standard_descriptors_apart();
    const auto line = parse_command_line({argv, argv + argc});
    if (!line) {
        return line.error();
    }
    try {
        return with_output_written(run(*line));
    } catch (const std::exception& error) {
        fmt::print(stderr, "vmio-sim: cannot run: {}\n", error.what());
        return exit_cannot_run;
    }
}
