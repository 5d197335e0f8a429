#include "campaign.hpp"

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstring>
#include <fmt/core.h>
#include <new>
#include <stdexcept>
#include <vector>

#include "progress.hpp"

namespace vmio::cli {
namespace {

constexpr unsigned max_jobs = 256;
constexpr int worker_threw = 3;  // a case threw: reported through the pipe, then this exit status

// What the workers share: lock-free atomics work across processes in a shared mapping.
struct Shared {
    std::atomic<std::uint64_t> next_index{0};
    std::atomic<std::uint64_t> cases{0};
    std::atomic<bool> stop{false};
    check::CheckStats stats;  // every counter updated through std::atomic_ref
    std::array<std::atomic<std::uint64_t>, max_jobs> running{};  // each worker's current case seed
};

void write_all(int fd, const std::string& text) {
    for (std::size_t done = 0; done < text.size();) {
        const ssize_t n = write(fd, text.data() + done, text.size() - done);
        if (n <= 0) {
            return;
        }
        done += static_cast<std::size_t>(n);
    }
}

std::string read_all(int fd) {
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) {
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
}

// The worker loop; reports "<seed> <message>" on `fd` if a case fails and returns the worker's
// exit status.
int work(const CaseRunner& run_case, const CampaignLimits& limits, Shared& shared, unsigned worker, int fd) {
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + limits.duration;
    while (!shared.stop.load(std::memory_order_relaxed) && clock::now() < deadline) {
        const std::uint64_t index = shared.next_index.fetch_add(1);
        if (limits.max_cases && index >= *limits.max_cases) {
            return 0;
        }
        const std::uint64_t seed = case_seed(limits.seed, index);
        shared.running[worker].store(seed);
        CaseOutcome outcome;
        try {
            outcome = run_case(seed);
        } catch (const std::exception& error) {
            shared.stop.store(true);
            write_all(fd, fmt::format("{} the case threw an exception: {}", seed, error.what()));
            return worker_threw;
        }
        for_each_counter(shared.stats, outcome.stats, [](std::uint64_t& sum, std::uint64_t value) {
            std::atomic_ref(sum).fetch_add(value, std::memory_order_relaxed);
        });
        shared.cases.fetch_add(1, std::memory_order_relaxed);
        if (outcome.failure) {
            shared.stop.store(true);
            write_all(fd, fmt::format("{} {}", seed, *outcome.failure));
            return 0;
        }
    }
    return 0;
}

}  // namespace

std::uint64_t case_seed(std::uint64_t campaign_seed, std::uint64_t index) noexcept {
    std::uint64_t z = campaign_seed + (index + 1) * 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

CampaignReport run_campaign(const CaseRunner& run_case, const CampaignLimits& limits, const std::string& label) {
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    const unsigned jobs = std::clamp(limits.jobs, 1U, max_jobs);
    void* mapping = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mapping == MAP_FAILED) {
        throw std::runtime_error("vmio-sim: cannot map the campaign's shared counters");
    }
    auto* shared = new (mapping) Shared;

    struct Worker {
        pid_t pid;
        int pipe;
    };
    std::vector<Worker> workers;
    std::fflush(nullptr);  // nothing buffered may be written twice
    for (unsigned w = 0; w < jobs; ++w) {
        int fds[2];
        if (pipe(fds) != 0) {
            throw std::runtime_error("vmio-sim: cannot create a pipe");
        }
        const pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            const int status = work(run_case, limits, *shared, w, fds[1]);
            std::fflush(nullptr);
            _exit(status);
        }
        close(fds[1]);
        if (pid < 0) {
            close(fds[0]);
            throw std::runtime_error("vmio-sim: cannot fork a worker");
        }
        workers.push_back({pid, fds[0]});
    }

    CampaignReport report;
    {
        const ProgressBar bar(
            label, limits.duration,
            [shared] { return std::atomic_ref(shared->stats.operations).load(std::memory_order_relaxed); }, "ops");
        for (unsigned w = 0; w < jobs; ++w) {
            const std::string message = read_all(workers[w].pipe);
            close(workers[w].pipe);
            int status = 0;
            waitpid(workers[w].pid, &status, 0);
            if (!report.failure && !message.empty()) {
                const std::size_t space = message.find(' ');
                report.failure = CampaignFailure{std::stoull(message.substr(0, space)), message.substr(space + 1)};
            } else if (!report.failure && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
                shared->stop.store(true);
                const std::uint64_t seed = shared->running[w].load();
                report.failure = CampaignFailure{
                    seed, WIFSIGNALED(status)
                              ? fmt::format("the worker died of signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)))
                              : fmt::format("the worker exited with status {}", WEXITSTATUS(status))};
            }
        }
    }
    report.cases = shared->cases.load();
    report.stats = shared->stats;  // the workers have exited
    report.seconds = std::chrono::duration<double>(clock::now() - start).count();
    report.jobs = jobs;
    shared->~Shared();
    munmap(mapping, sizeof(Shared));
    return report;
}

}  // namespace vmio::cli
