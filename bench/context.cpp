// vmio-bench's context, added to Google Benchmark's own (date, host, cores, caches) in the JSON
// and the console header, so that every result names the machine it comes from; bench/plot.py
// titles its tables and charts with them:
//
//   cpu_model      /proc/cpuinfo's "model name" (x86_64) or "uarch" (riscv64), else "unknown"
//   glibc_version  gnu_get_libc_version(): the glibc whose memcpy and memset are the baselines
//   kernel         uname's release
#include <benchmark/benchmark.h>
#include <gnu/libc-version.h>
#include <sys/utsname.h>

#include <fstream>
#include <string>
#include <string_view>

namespace vmio::bench {
namespace {

std::string cpu_model() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    for (std::string line; std::getline(cpuinfo, line);) {
        for (const std::string_view key : {"model name", "uarch"}) {
            const auto colon = line.find(':');
            if (line.starts_with(key) && colon != std::string::npos && colon + 2 <= line.size()) {
                return line.substr(colon + 2);
            }
        }
    }
    return "unknown";
}

std::string kernel_release() {
    utsname names{};
    return uname(&names) == 0 ? names.release : "unknown";
}

// Google Benchmark keeps the context in a map it allocates on first use: safe from a static
// initialiser, before benchmark_main's main() runs the benchmarks.
[[maybe_unused]] const bool context_added = [] {
    benchmark::AddCustomContext("cpu_model", cpu_model());
    benchmark::AddCustomContext("glibc_version", gnu_get_libc_version());
    benchmark::AddCustomContext("kernel", kernel_release());
    return true;
}();

}  // namespace
}  // namespace vmio::bench
