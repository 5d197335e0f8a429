#include "bench.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fmt/core.h>
#include <string>

namespace vmio::cli {
namespace {

// bench/run.sh's short filter, trimmed to the copy and fill sizes the table shows.
constexpr const char* short_filter = "^(copy|fill)/[^/]*/[a-z]*/(64|4096|65536)$|^fault/";

std::filesystem::path find_bench(const char* argv0) {
    std::error_code error;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
    const auto here = error ? std::filesystem::path(argv0).parent_path() : self.parent_path();
    for (const auto& candidate : {here / "vmio-bench", here / ".." / "bench" / "vmio-bench",
                                  std::filesystem::path(VMIO_BENCH_PATH)}) {
        if (access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
    }
    return {};
}

}  // namespace

int run_benchmarks(const char* argv0) {
    const std::filesystem::path bench = find_bench(argv0);
    if (bench.empty()) {
        fmt::print(stderr, "vmio-sim bench: vmio-bench was not built (configure with -Dbenchmarks=true, "
                           "the default, and run ninja)\n");
        return 1;
    }
    const auto json = std::filesystem::temp_directory_path() / fmt::format("vmio-sim-bench-{}.json", getpid());
    const std::string run = fmt::format("'{}' --benchmark_filter='{}' --benchmark_min_time=0.05 --benchmark_repetitions=3 "
                                        "--benchmark_report_aggregates_only=true --benchmark_out='{}' "
                                        "--benchmark_out_format=json >/dev/null",
                                        bench.string(), short_filter, json.string());
    fmt::print("running {} (about a minute)...\n", bench.string());
    std::fflush(stdout);
    if (std::system(run.c_str()) != 0) {
        fmt::print(stderr, "vmio-sim bench: vmio-bench failed\n");
        return 1;
    }
    const int status = std::system(fmt::format("python3 '{}' '{}'", VMIO_PLOT_SCRIPT, json.string()).c_str());
    std::filesystem::remove(json);
    return status == 0 ? 0 : 1;
}

}  // namespace vmio::cli
