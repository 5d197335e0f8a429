#include "campaign.hpp"

#include <poll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fmt/core.h>
#include <limits>
#include <new>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "die_with_parent.hpp"
#include "progress.hpp"
#include "sigint.hpp"
#include "scenario_file.hpp"
#include "vmio/check/split_mix.hpp"

namespace vmio::cli {
namespace {

using clock = std::chrono::steady_clock;

constexpr int worker_threw = 3;  // a case threw: reported through the pipe, then this exit status

static_assert(std::atomic<int>::is_always_lock_free && std::atomic<std::uint64_t>::is_always_lock_free,
              "the workers and the SIGINT handler share these atomics");

// What the workers share: lock-free atomics work across processes in a shared mapping.
struct Shared {
    std::atomic<std::uint64_t> next_index{0};  // of the shard's cases; Shard::case_index maps it
    std::atomic<std::uint64_t> cases{0};
    std::atomic<bool> stop{false};
    std::atomic<int> stopped_by{-1};  // a StopReason, the first one
    std::atomic<std::uint64_t> lowest_failure{std::numeric_limits<std::uint64_t>::max()};  // index
    std::atomic<bool> interrupted{false};
    check::CheckStats stats;  // every counter updated through std::atomic_ref
    std::array<std::atomic<std::uint64_t>, max_jobs> running{};  // each worker's case index + 1; 0 between cases

    void stop_because(StopReason reason) noexcept {
        int none = -1;
        stopped_by.compare_exchange_strong(none, static_cast<int>(reason));
        stop.store(true);
    }

    void failed_at(std::uint64_t index) noexcept {
        for (std::uint64_t lowest = lowest_failure.load(); index < lowest;) {
            lowest_failure.compare_exchange_weak(lowest, index);
        }
        stop_because(StopReason::Failure);
    }
};

// Ctrl-C stops the campaign (in the parent and, inherited, in the workers).
void interrupt(void* shared) noexcept {
    auto* campaign = static_cast<Shared*>(shared);
    campaign->interrupted.store(true);
    campaign->stop_because(StopReason::Interrupt);
}

void write_all(int fd, const std::string& text) {
    for (std::size_t done = 0; done < text.size();) {
        const ssize_t n = write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        done += static_cast<std::size_t>(n);
    }
}

// A failure with no broken invariant and no input.
CaseFailure bare_failure(FailureKind kind, std::string description) {
    CaseFailure failure;
    failure.kind = kind;
    failure.description = std::move(description);
    return failure;
}

// A failure as it crosses the pipe: one JSON object.
std::string encode(std::uint64_t index, const CaseFailure& failure) {
    return nlohmann::json{
        {"index", index},
        {"kind", static_cast<int>(failure.kind)},
        {"invariant", failure.invariant},
        {"operation", failure.operation ? nlohmann::json(*failure.operation) : nlohmann::json()},
        {"description", failure.description},
        {"input", failure.input},
        {"case_bytes", failure.case_bytes},
    }
        .dump();
}

std::pair<std::uint64_t, CaseFailure> decode(const std::string& message) {
    const auto json = nlohmann::json::parse(message);
    CaseFailure failure{
        .kind = static_cast<FailureKind>(json.at("kind").get<int>()),
        .invariant = json.at("invariant").get<std::string>(),
        .operation = json.at("operation").is_null() ? std::nullopt
                                                     : std::optional(json.at("operation").get<std::size_t>()),
        .description = json.at("description").get<std::string>(),
        .input = json.at("input").get<std::vector<std::uint8_t>>(),
        .case_bytes = json.at("case_bytes").get<std::size_t>(),
    };
    return {json.at("index").get<std::uint64_t>(), std::move(failure)};
}

// The worker loop: runs cases until told to stop, reports a failing case on `fd` (and stops the
// others from taking new cases); returns the worker's exit status.
int work(const CaseRunner& run_case, const CampaignLimits& limits, clock::time_point deadline, Shared& shared,
         unsigned worker, int fd) {
    while (!shared.stop.load()) {
        const std::uint64_t local = shared.next_index.fetch_add(1);
        const std::uint64_t index = limits.shard.case_index(local);
        if (limits.max_cases && index >= *limits.max_cases) {
            shared.stop_because(StopReason::Cases);
            break;
        }
        if (local > 0 && clock::now() >= deadline) {  // the first case runs whatever the time
            shared.stop_because(StopReason::Duration);
            break;
        }
        if (index > shared.lowest_failure.load()) {  // a lower index failed meanwhile: this one cannot count
            break;
        }
        shared.running[worker].store(index + 1);
        const std::uint64_t seed = case_seed(limits.seed, index);
        CaseOutcome outcome;
        try {
            outcome = run_case(seed);
        } catch (const std::exception& error) {
            shared.failed_at(index);
            write_all(fd, encode(index, bare_failure(FailureKind::Exception,
                                                     fmt::format("the case threw an exception: {}", error.what()))));
            return worker_threw;
        }
        for_each_counter(shared.stats, outcome.stats, [](std::uint64_t& sum, std::uint64_t value) {
            std::atomic_ref(sum).fetch_add(value, std::memory_order_relaxed);
        });
        shared.cases.fetch_add(1, std::memory_order_relaxed);
        shared.running[worker].store(0);
        if (outcome.failure) {
            shared.failed_at(index);
            write_all(fd, encode(index, *outcome.failure));
            break;
        }
    }
    return 0;
}

// How a worker ended.
std::string how_it_ended(int status) {
    return WIFSIGNALED(status) ? fmt::format("died of signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)))
                               : fmt::format("exited with status {}", WEXITSTATUS(status));
}

// The mapping the workers share, unmapped when this goes.
class SharedMapping {
public:
    SharedMapping() {
        void* mapping = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (mapping == MAP_FAILED) {
            throw std::runtime_error("cannot map the campaign's shared counters");
        }
        shared_ = new (mapping) Shared;
    }
    ~SharedMapping() {
        shared_->~Shared();
        munmap(shared_, sizeof(Shared));
    }
    SharedMapping(const SharedMapping&) = delete;
    SharedMapping& operator=(const SharedMapping&) = delete;

    [[nodiscard]] Shared& get() const noexcept { return *shared_; }

private:
    Shared* shared_;
};

struct Worker {
    pid_t pid;
    int pipe;  // the read end of its report pipe
    std::string message;
};

void reap(const Worker& worker, int& status) {
    while (waitpid(worker.pid, &status, 0) < 0 && errno == EINTR) {
    }
}

// Forks the workers. If one cannot be started, stops and reaps the others and throws.
std::vector<Worker> start_workers(const CaseRunner& run_case, const CampaignLimits& limits, unsigned jobs,
                                  clock::time_point deadline, Shared& shared) {
    std::vector<Worker> workers;
    const auto give_up = [&](const char* what) {
        shared.stop.store(true);
        for (Worker& worker : workers) {
            close(worker.pipe);
            int status = 0;
            reap(worker, status);
        }
        throw std::runtime_error(what);
    };
    std::fflush(nullptr);  // nothing buffered may be written twice
    const pid_t parent = getpid();
    for (unsigned w = 0; w < jobs; ++w) {
        int fds[2];
        if (pipe(fds) != 0) {
            give_up("cannot create a pipe");
        }
        const pid_t pid = fork();
        if (pid == 0) {
            die_with_parent(parent);
            close(fds[0]);
            const int status = work(run_case, limits, deadline, shared, w, fds[1]);
            std::fflush(nullptr);
            _exit(status);
        }
        close(fds[1]);
        if (pid < 0) {
            close(fds[0]);
            give_up("cannot fork a worker");
        }
        workers.push_back({pid, fds[0], {}});
    }
    return workers;
}

// Reads the workers' reports as they come and reaps each worker when its pipe closes; a worker
// that dies in a case is a failure of that case (and stops the others). Returns every failure;
// throws std::runtime_error, once all are reaped, if a worker died between cases or garbled its
// report.
std::vector<std::pair<std::uint64_t, CaseFailure>> collect(std::vector<Worker>& workers, Shared& shared) {
    std::vector<std::pair<std::uint64_t, CaseFailure>> failures;
    std::optional<std::string> broken;
    std::vector<pollfd> polled(workers.size());
    for (std::size_t w = 0; w < workers.size(); ++w) {
        polled[w] = {workers[w].pipe, POLLIN, 0};
    }
    for (std::size_t open = workers.size(); open > 0;) {
        if (poll(polled.data(), polled.size(), -1) < 0) {
            continue;  // EINTR
        }
        for (std::size_t w = 0; w < workers.size(); ++w) {
            if (polled[w].fd < 0 || polled[w].revents == 0) {
                continue;
            }
            char buffer[4096];
            const ssize_t n = read(polled[w].fd, buffer, sizeof buffer);
            if (n > 0) {
                workers[w].message.append(buffer, static_cast<std::size_t>(n));
                continue;
            }
            if (n < 0 && errno == EINTR) {
                continue;
            }
            close(polled[w].fd);
            polled[w].fd = -1;
            --open;
            int status = 0;
            reap(workers[w], status);
            if (!workers[w].message.empty()) {
                try {
                    failures.push_back(decode(workers[w].message));
                } catch (const nlohmann::json::exception&) {
                    broken = fmt::format("a worker that {} left a garbled failure report", how_it_ended(status));
                }
            } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                const std::uint64_t running = shared.running[w].load();
                if (running == 0) {
                    shared.stop.store(true);
                    broken = fmt::format("a worker {} between cases", how_it_ended(status));
                } else {
                    shared.failed_at(running - 1);
                    failures.emplace_back(running - 1,
                                          bare_failure(FailureKind::WorkerDied, "the worker " + how_it_ended(status)));
                }
            }
        }
    }
    if (broken) {
        throw std::runtime_error(*broken);
    }
    return failures;
}

// The CPU time (user + system) of the children reaped so far.
double reaped_children_cpu_seconds() noexcept {
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    const auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

std::uint64_t case_seed(std::uint64_t campaign_seed, std::uint64_t index) noexcept {
    return check::SplitMix64::nth(campaign_seed, index);
}

CampaignReport run_campaign(const CaseRunner& run_case, const CampaignLimits& limits,
                            const CampaignReporting& reporting) {
    const auto start = clock::now();
    const clock::time_point deadline = limits.duration ? start + *limits.duration : clock::time_point::max();
    const unsigned jobs = std::clamp(limits.jobs, 1U, max_jobs);
    const SharedMapping mapping;
    Shared& shared = mapping.get();

    std::vector<std::pair<std::uint64_t, CaseFailure>> failures;
    const double cpu_seconds_before = reaped_children_cpu_seconds();
    {
        const InterruptHandler sigint(interrupt, &shared);
        std::vector<Worker> workers = start_workers(run_case, limits, jobs, deadline, shared);
        const std::optional<std::uint64_t> shard_cases =
            limits.max_cases ? std::optional(limits.shard.cases_of(*limits.max_cases)) : std::nullopt;
        const ProgressBar bar(reporting.label, {limits.duration, shard_cases}, [&shared] {
            return ProgressCount{shared.cases.load(std::memory_order_relaxed),
                                 std::atomic_ref(shared.stats.operations).load(std::memory_order_relaxed)};
        });
        failures = collect(workers, shared);
    }
    const double seconds = std::chrono::duration<double>(clock::now() - start).count();
    CampaignReport report{
        .limits = {limits.seed, limits.duration, limits.max_cases, jobs, limits.shard},
        .cases = shared.cases.load(),
        .stats = shared.stats,  // the workers have exited
        .seconds = seconds,
        .core_seconds = reaped_children_cpu_seconds() - cpu_seconds_before,  // every worker is reaped
        .round_trip_seconds = std::nullopt,
        .merged_from = 0,
        .stopped_by = static_cast<StopReason>(std::max(shared.stopped_by.load(), 0)),
        .interrupted = shared.interrupted.load(),
        .failure = std::nullopt,
    };
    const auto lowest = std::ranges::min_element(failures, {}, &std::pair<std::uint64_t, CaseFailure>::first);
    if (lowest != failures.end()) {
        CampaignFailure failure{lowest->first, case_seed(limits.seed, lowest->first), std::move(lowest->second),
                                std::nullopt, reporting.replays_by_seed};
        if (!failure.failure.input.empty()) {
            if (auto file = write_failure_file(reporting.failure_dir, failure.failure.input)) {
                failure.file = std::move(*file);
            } else {
                fmt::print(stderr, "vmio-sim: {}\n", file.error());
            }
        }
        report.failure = std::move(failure);
    }
    return report;
}

}  // namespace vmio::cli
