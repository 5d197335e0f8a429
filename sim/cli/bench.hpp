// vmio-sim bench: runs vmio-bench on a short filter and prints bench/plot.py's ratio table.
#pragma once

namespace vmio::cli {

/// The exit status: 0 if the table was printed, 1 if the benchmarks were not built or failed.
int run_benchmarks(const char* argv0);

}  // namespace vmio::cli
