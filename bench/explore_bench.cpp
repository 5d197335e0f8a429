// The fault explorer's speed on the kernel-style examples: one iteration explores an example
// completely (two reference runs, every page point, every byte point), with the same
// Machine set-up a test pays. Counters: runs per second and seconds per run, beside
// fault/bare_sigsegv_round_trip of the same binary (most runs end in one or two faults).
#include <benchmark/benchmark.h>

#include <stdexcept>
#include <string>

#include "examples.hpp"

namespace {

void explore_example(benchmark::State& state, const vmio::examples::Example& example) {
    const vmio::testing::Subject subject = example.subject(false);
    std::size_t runs = 0;
    for (auto _ : state) {
        const vmio::testing::Report report = vmio::testing::explore(subject);
        if (!report.passed()) {
            state.SkipWithError(("the example has a finding: " + format(report)).c_str());
            return;
        }
        runs += report.runs;
    }
    state.counters["runs"] = benchmark::Counter(static_cast<double>(runs), benchmark::Counter::kAvgIterations);
    state.counters["runs_per_second"] = benchmark::Counter(static_cast<double>(runs), benchmark::Counter::kIsRate);
    state.counters["time_per_run"] = benchmark::Counter(static_cast<double>(runs),
                                                        benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

const bool registered = [] {
    for (const vmio::examples::Example& example : vmio::examples::all_examples()) {
        benchmark::RegisterBenchmark(("explore/" + std::string(example.name)).c_str(), explore_example, example)
            ->Unit(benchmark::kMillisecond);
    }
    return true;
}();

}  // namespace
