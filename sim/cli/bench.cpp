#include "bench.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <expected>
#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "die_with_parent.hpp"

extern char** environ;

namespace vmio::cli {
namespace {

namespace fs = std::filesystem;

constexpr int repetitions = 3;
constexpr const char* min_time_seconds = "0.05";
// What one repetition takes at that minimum time, measured on the default filter: for the
// estimate printed before the run.
constexpr double seconds_per_repetition = 0.15;
// Written by meson next to the build tree's vmio-sim (sim/meson.build); never installed.
constexpr const char* build_tree_paths_file = "vmio-sim-bench-paths.txt";

struct BenchTools {
    fs::path bench;  ///< vmio-bench
    fs::path plot;   ///< plot.py
};

bool is_executable(const fs::path& file) {
    std::error_code error;
    return fs::is_regular_file(file, error) && access(file.c_str(), X_OK) == 0;
}

/// Where an installed directory is, seen from the bindir this vmio-sim runs from: the configured
/// directories are relative to the prefix unless they lie outside it (then they are where they
/// are, and a bindir outside the prefix leaves only the prefix to go by).
fs::path installed_directory(const fs::path& self_directory, const fs::path& configured) {
    const fs::path bindir = VMIO_INSTALL_BINDIR;
    if (configured.is_absolute()) {
        return configured;
    }
    if (bindir.is_absolute()) {
        return fs::path(VMIO_INSTALL_PREFIX) / configured;
    }
    return (self_directory / configured.lexically_relative(bindir)).lexically_normal();
}

/// The build tree's paths, if this vmio-sim is the one of a build directory.
std::optional<BenchTools> build_tree_tools(const fs::path& self_directory) {
    std::ifstream file(self_directory / build_tree_paths_file);
    if (!file) {
        return std::nullopt;
    }
    BenchTools tools;
    for (std::string line; std::getline(file, line);) {
        if (line.starts_with("vmio-bench=")) {
            tools.bench = line.substr(std::string_view("vmio-bench=").size());
        } else if (line.starts_with("plot.py=")) {
            tools.plot = line.substr(std::string_view("plot.py=").size());
        }
    }
    return tools;
}

/// vmio-bench and plot.py, or what is missing and how to get it.
std::expected<BenchTools, std::string> find_tools() {
    std::error_code error;
    const fs::path self = fs::read_symlink("/proc/self/exe", error);
    if (error) {
        return std::unexpected(fmt::format("cannot tell where this vmio-sim is (/proc/self/exe: {})", error.message()));
    }
    const fs::path here = self.parent_path();
    const BenchTools installed{installed_directory(here, VMIO_INSTALL_LIBEXECDIR) / "vmio" / "vmio-bench",
                               installed_directory(here, VMIO_INSTALL_DATADIR) / "vmio" / "plot.py"};
    if (is_executable(installed.bench) && fs::is_regular_file(installed.plot, error)) {
        return installed;
    }
    if (const auto built = build_tree_tools(here)) {
        if (!is_executable(built->bench)) {
            return std::unexpected(fmt::format(
                "vmio-bench is not built in this build directory (no {}): configure it with -Dbenchmarks=true "
                "(the default) and run ninja",
                built->bench.string()));
        }
        if (!fs::is_regular_file(built->plot, error)) {
            return std::unexpected(fmt::format("the source directory has no {} (restore bench/plot.py)",
                                               built->plot.string()));
        }
        return *built;
    }
    if (!is_executable(installed.bench)) {
        return std::unexpected(fmt::format(
            "vmio-bench is not installed next to this vmio-sim (no {}): install vmio built with "
            "-Dbenchmarks=true (the default), or run the vmio-sim of a build directory (build/sim/vmio-sim)",
            installed.bench.string()));
    }
    return std::unexpected(fmt::format(
        "plot.py is not installed next to this vmio-sim (no {}): install vmio again (ninja install puts it "
        "there with vmio-bench)",
        installed.plot.string()));
}

/// The interpreter named by a script's "#!" line, or "" if it has none.
std::string interpreter_of(const fs::path& script) {
    std::ifstream file(script);
    std::string line;
    if (!std::getline(file, line) || !line.starts_with("#!")) {
        return "";
    }
    const auto start = line.find_first_not_of(" \t", 2);
    return start == std::string::npos ? "" : line.substr(start, line.find_first_of(" \t", start) - start);
}

/// While alive, vmio-sim ignores Ctrl-C, as std::system does: the child gets it and dies of it,
/// and the parent reports an interruption. A SIGINT already ignored (a background job) stays so
/// in the child.
class InterruptsGoToTheChild {
public:
    InterruptsGoToTheChild() {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigemptyset(&ignore.sa_mask);
        sigaction(SIGINT, &ignore, &previous_);
    }
    ~InterruptsGoToTheChild() { sigaction(SIGINT, &previous_, nullptr); }
    InterruptsGoToTheChild(const InterruptsGoToTheChild&) = delete;
    InterruptsGoToTheChild& operator=(const InterruptsGoToTheChild&) = delete;

    [[nodiscard]] bool child_gets_default() const { return previous_.sa_handler != SIG_IGN; }

private:
    struct sigaction previous_ {};
};

/// How a child ended: it could not start (errno), or its wait status, and what it wrote to
/// stdout when that was captured.
struct ChildResult {
    int spawn_error = 0;
    int wait_status = 0;
    std::string output;

    [[nodiscard]] bool succeeded() const {
        return spawn_error == 0 && WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
    }
    [[nodiscard]] bool interrupted() const {
        return spawn_error == 0 && WIFSIGNALED(wait_status) && WTERMSIG(wait_status) == SIGINT;
    }
    [[nodiscard]] std::string describe() const {
        if (spawn_error != 0) {
            return std::strerror(spawn_error);
        }
        if (WIFSIGNALED(wait_status)) {
            return fmt::format("killed by signal {} ({})", WTERMSIG(wait_status), strsignal(WTERMSIG(wait_status)));
        }
        return fmt::format("exit status {}", WEXITSTATUS(wait_status));
    }
};

enum class Stdout { Inherit, Discard, Capture };

/// Runs argv[0] (a path) with argv and waits for it; the child dies with vmio-sim.
ChildResult run_child(const std::vector<std::string>& argv, Stdout out) {
    std::vector<char*> args;
    for (const std::string& arg : argv) {
        args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);
    std::array<int, 2> pipe_ends{-1, -1};
    if (out == Stdout::Capture && pipe2(pipe_ends.data(), O_CLOEXEC) != 0) {
        return {.spawn_error = errno, .wait_status = 0, .output = {}};
    }
    std::array<int, 2> exec_failure{-1, -1};  // the child's errno if it cannot exec; closed by exec
    if (pipe2(exec_failure.data(), O_CLOEXEC) != 0) {
        const int error = errno;
        close(pipe_ends[0]);
        close(pipe_ends[1]);
        return {.spawn_error = error, .wait_status = 0, .output = {}};
    }
    const int new_stdout = out == Stdout::Capture   ? pipe_ends[1]
                           : out == Stdout::Discard ? open("/dev/null", O_WRONLY | O_CLOEXEC)
                                                    : -1;
    const InterruptsGoToTheChild interrupts;
    const bool default_interrupts = interrupts.child_gets_default();
    const pid_t parent = getpid();
    ChildResult result;
    const pid_t pid = fork();
    if (pid == 0) {  // only async-signal-safe calls until exec
        die_with_parent(parent);
        if (default_interrupts) {
            struct sigaction dfl {};
            dfl.sa_handler = SIG_DFL;
            sigemptyset(&dfl.sa_mask);
            sigaction(SIGINT, &dfl, nullptr);
        }
        if (new_stdout >= 0) {
            dup2(new_stdout, STDOUT_FILENO);
        }
        execve(args[0], args.data(), environ);
        const int error = errno;
        (void)!write(exec_failure[1], &error, sizeof error);
        _exit(127);
    }
    result.spawn_error = pid < 0 ? errno : 0;
    close(exec_failure[1]);
    if (out == Stdout::Discard && new_stdout >= 0) {
        close(new_stdout);
    }
    int exec_error = 0;
    ssize_t got = 0;
    while (pid > 0 && (got = read(exec_failure[0], &exec_error, sizeof exec_error)) < 0 && errno == EINTR) {
    }
    close(exec_failure[0]);
    if (got == sizeof exec_error) {
        result.spawn_error = exec_error;
        while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
    }
    if (out == Stdout::Capture) {
        close(pipe_ends[1]);
        std::array<char, 4096> buffer;
        for (ssize_t n; result.spawn_error == 0 && (n = read(pipe_ends[0], buffer.data(), buffer.size())) != 0;) {
            if (n > 0) {
                result.output.append(buffer.data(), static_cast<std::size_t>(n));
            } else if (errno != EINTR) {
                break;
            }
        }
        close(pipe_ends[0]);
    }
    while (result.spawn_error == 0 && waitpid(pid, &result.wait_status, 0) < 0 && errno == EINTR) {
    }
    return result;
}

/// A temporary file for vmio-bench's JSON, removed at the end unless kept.
class ResultsFile {
public:
    ResultsFile() {
        std::string name = (fs::temp_directory_path() / "vmio-sim-bench-XXXXXX.json").string();
        const int fd = mkstemps(name.data(), 5);
        if (fd < 0) {
            throw std::system_error(errno, std::generic_category(), "cannot create a file for vmio-bench's results");
        }
        close(fd);
        path_ = name;
    }
    ~ResultsFile() {
        if (!keep_) {
            std::error_code ignored;
            fs::remove(path_, ignored);
        }
    }
    ResultsFile(const ResultsFile&) = delete;
    ResultsFile& operator=(const ResultsFile&) = delete;

    [[nodiscard]] const fs::path& path() const { return path_; }
    void keep() { keep_ = true; }

private:
    fs::path path_;
    bool keep_ = false;
};

std::size_t count_lines(const std::string& text) {
    std::size_t lines = 0;
    for (const char c : text) {
        lines += c == '\n' ? 1 : 0;
    }
    return lines;
}

}  // namespace

BenchOutcome run_benchmarks(const std::string& filter) {
    const auto tools = find_tools();
    if (!tools) {
        fmt::print(stderr, "vmio-sim bench: {}\n", tools.error());
        return BenchOutcome::CannotRun;
    }
    const std::string plot = tools->plot.string();
    if (const std::string interpreter = interpreter_of(tools->plot);
        !interpreter.empty() && !is_executable(interpreter)) {
        fmt::print(stderr,
                   "vmio-sim bench: cannot run {}: its interpreter {} (its #! line) is not installed (Debian's "
                   "python3 package installs /usr/bin/python3)\n",
                   plot, interpreter);
        return BenchOutcome::CannotRun;
    }
    const std::string bench = tools->bench.string();
    const std::string filter_argument = "--benchmark_filter=" + filter;
    const ChildResult listing = run_child({bench, filter_argument, "--benchmark_list_tests=true"}, Stdout::Capture);
    if (listing.interrupted()) {
        fmt::print(stderr, "vmio-sim bench: interrupted\n");
        return BenchOutcome::Interrupted;
    }
    if (!listing.succeeded()) {
        fmt::print(stderr, "vmio-sim bench: {} cannot list its benchmarks: {}\n", bench, listing.describe());
        return BenchOutcome::CannotRun;
    }
    const std::size_t count = count_lines(listing.output);
    if (count == 0) {
        fmt::print(stderr,
                   "vmio-sim bench: --filter '{}' selects no benchmark (the benchmarks: {} --benchmark_list_tests)\n",
                   filter, bench);
        return BenchOutcome::NoSuchBenchmark;
    }

    ResultsFile results;
    fmt::print("running {} benchmark{} of {}, {} repetitions each (about {:.0f} s)...\n", count,
               count == 1 ? "" : "s", bench, repetitions,
               std::max(1.0, static_cast<double>(count * repetitions) * seconds_per_repetition));
    std::fflush(stdout);
    const ChildResult measured = run_child(
        {bench, filter_argument, fmt::format("--benchmark_repetitions={}", repetitions),
         fmt::format("--benchmark_min_time={}", min_time_seconds), "--benchmark_enable_random_interleaving=true",
         "--benchmark_out=" + results.path().string(), "--benchmark_out_format=json"},
        Stdout::Discard);
    if (measured.interrupted()) {
        fmt::print(stderr, "vmio-sim bench: interrupted\n");
        return BenchOutcome::Interrupted;
    }
    if (!measured.succeeded()) {
        fmt::print(stderr, "vmio-sim bench: {} failed: {}\n", bench, measured.describe());
        return measured.spawn_error != 0 ? BenchOutcome::CannotRun : BenchOutcome::Failed;
    }

    const ChildResult tables = run_child({plot, results.path().string()}, Stdout::Inherit);
    if (tables.interrupted()) {
        fmt::print(stderr, "vmio-sim bench: interrupted\n");
        return BenchOutcome::Interrupted;
    }
    if (tables.spawn_error != 0) {
        fmt::print(stderr, "vmio-sim bench: cannot run {}: {}\n", plot, tables.describe());
        return BenchOutcome::CannotRun;
    }
    if (!tables.succeeded()) {
        results.keep();
        fmt::print(stderr, "vmio-sim bench: {} failed ({}) on the results, kept in {}\n", plot, tables.describe(),
                   results.path().string());
        return BenchOutcome::Failed;
    }
    return BenchOutcome::Printed;
}

}  // namespace vmio::cli
