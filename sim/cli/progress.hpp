// A one-line progress bar on stderr for anything that runs longer than a second.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

namespace vmio::cli {

/// Redraws "[#####.....] 42% <label> <counter> <unit>" every 100 ms on a terminal while it
/// lives; prints nothing when stderr is not a terminal or the work ends within a second.
class ProgressBar {
public:
    /// `counter` is read from the bar's own thread.
    ProgressBar(std::string label, std::chrono::milliseconds expected, std::function<std::uint64_t()> counter,
                std::string unit);
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

private:
    void run();

    std::string label_;
    std::string unit_;
    std::chrono::milliseconds expected_;
    std::function<std::uint64_t()> counter_;
    std::chrono::steady_clock::time_point start_;
    std::atomic<bool> done_{false};
    bool drawn_ = false;
    std::thread thread_;
};

}  // namespace vmio::cli
