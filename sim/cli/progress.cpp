#include "progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <fmt/core.h>

namespace vmio::cli {

ProgressBar::ProgressBar(std::string label, std::chrono::milliseconds expected,
                         std::function<std::uint64_t()> counter, std::string unit)
    : label_(std::move(label)), unit_(std::move(unit)), expected_(expected), counter_(std::move(counter)),
      start_(std::chrono::steady_clock::now()) {
    if (isatty(STDERR_FILENO) == 1) {
        thread_ = std::thread([this] { run(); });
    }
}

ProgressBar::~ProgressBar() {
    done_.store(true);
    if (thread_.joinable()) {
        thread_.join();
    }
    if (drawn_) {
        fmt::print(stderr, "\r\033[K");
        std::fflush(stderr);
    }
}

void ProgressBar::run() {
    using namespace std::chrono;
    constexpr int width = 30;
    while (!done_.load()) {
        std::this_thread::sleep_for(100ms);
        const auto elapsed = duration_cast<milliseconds>(steady_clock::now() - start_);
        if (elapsed < 1s || done_.load()) {
            continue;
        }
        const double fraction =
            expected_.count() > 0 ? std::min(1.0, static_cast<double>(elapsed.count()) / expected_.count()) : 0.0;
        const int filled = static_cast<int>(fraction * width);
        fmt::print(stderr, "\r[{:#<{}}{:.<{}}] {:3.0f}% {} {} {}\033[K", "", filled, "", width - filled,
                   fraction * 100, label_, counter_(), unit_);
        std::fflush(stderr);
        drawn_ = true;
    }
}

}  // namespace vmio::cli
