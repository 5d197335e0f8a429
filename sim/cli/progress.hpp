// A campaign's progress bar: one line on stderr, redrawn in place (\r) every 100 ms and fitted to
// the terminal's width each time, so that it never wraps. It measures progress against the limit
// that comes first (time, or cases when a case limit is set), with the elapsed time and an ETA.
// Off when stderr is not a terminal or TERM=dumb, and for work that ends within a second.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace vmio::cli {

/// The limits the bar measures against; either may be absent.
struct ProgressGoal {
    std::optional<std::chrono::milliseconds> duration;
    std::optional<std::uint64_t> cases;
};

struct ProgressCount {
    std::uint64_t cases = 0;
    std::uint64_t operations = 0;
};

/// What the two counts count, as the bar names them: "cases" and "ops" for a campaign.
struct ProgressUnits {
    std::string_view cases = "cases";
    std::string_view operations = "ops";
};

/// The bar's text for a terminal `columns` wide: at most columns - 1 characters (a line that
/// fills the last column wraps on some terminals); the least useful parts go first when narrow.
[[nodiscard]] std::string progress_line(const std::string& label, const ProgressGoal& goal,
                                        const ProgressCount& count, std::chrono::milliseconds elapsed,
                                        unsigned columns, ProgressUnits units = {});

class ProgressBar {
public:
    /// `count` is called from the bar's own thread.
    ProgressBar(std::string label, ProgressGoal goal, std::function<ProgressCount()> count, ProgressUnits units = {});
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

private:
    void run();

    std::string label_;
    ProgressGoal goal_;
    std::function<ProgressCount()> count_;
    ProgressUnits units_;
    std::chrono::steady_clock::time_point start_;
    std::atomic<bool> done_{false};
    bool drawn_ = false;
    std::thread thread_;
};

}  // namespace vmio::cli
