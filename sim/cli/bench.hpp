// vmio-sim bench: runs vmio-bench on a short filter and prints bench/plot.py's tables, which show
// every benchmark that ran (copy and fill as ratios to glibc, the fault costs, and any other
// family the filter selects as median times).
//
// Where it finds the two: first installed next to this vmio-sim (/proc/self/exe), at
// <libexecdir>/vmio/vmio-bench and <datadir>/vmio/plot.py of the prefix it is in (relative to
// <bindir>, so a moved installation still works); then, for the vmio-sim of a build directory,
// at the paths meson wrote next to it in vmio-sim-bench-paths.txt (the build's vmio-bench and the
// source's bench/plot.py). plot.py is executed, so its #! interpreter (Debian's /usr/bin/python3)
// runs it; the tables need no matplotlib.
#pragma once

#include <string>

namespace vmio::cli {

/// bench/run.sh's short filter, trimmed to the copy and fill sizes 64 B, 4 KiB and 64 KiB (every
/// variant) and the fault costs.
inline constexpr const char* short_bench_filter = "^(copy|fill)/[^/]*/[a-z]*/(64|4096|65536)$|^fault/";

enum class BenchOutcome {
    Printed,          ///< the tables were printed
    Failed,           ///< vmio-bench or plot.py ran and failed
    NoSuchBenchmark,  ///< the filter selects no benchmark
    CannotRun,        ///< vmio-bench, plot.py or plot.py's interpreter is missing or cannot start
    Interrupted,      ///< Ctrl-C stopped vmio-bench or plot.py
};

/// Runs the benchmarks that `filter` (a Google Benchmark regular expression) selects, 3
/// repetitions each, and prints the tables. Every outcome but Printed prints why to stderr,
/// saying what is missing and how to get it.
[[nodiscard]] BenchOutcome run_benchmarks(const std::string& filter);

}  // namespace vmio::cli
