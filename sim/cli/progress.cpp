#include "progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fmt/core.h>
#include <string_view>
#include <vector>

namespace vmio::cli {
namespace {

using std::chrono::milliseconds;

std::string clock_time(milliseconds time) {
    const auto seconds = time.count() / 1000;
    return seconds >= 3600 ? fmt::format("{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)
                           : fmt::format("{}:{:02}", seconds / 60, seconds % 60);
}

// One piece of the line; the highest `drop_order` goes first when the line is too long.
struct Part {
    std::string text;
    int drop_order;
};

// "<head...> <tail, tail, ...>"
std::string render(const std::vector<Part>& head, const std::vector<Part>& tail) {
    std::string line;
    for (const Part& part : head) {
        line += (line.empty() ? "" : " ") + part.text;
    }
    for (std::size_t i = 0; i < tail.size(); ++i) {
        line += (i == 0 ? (line.empty() ? "" : " ") : ", ") + tail[i].text;
    }
    return line;
}

// Drops the part with the highest drop order; false if none is left.
bool drop_one(std::vector<Part>& head, std::vector<Part>& tail) {
    std::vector<Part>* from = nullptr;
    std::vector<Part>::iterator worst;
    for (auto* parts : {&head, &tail}) {
        for (auto it = parts->begin(); it != parts->end(); ++it) {
            if (from == nullptr || it->drop_order > worst->drop_order) {
                from = parts;
                worst = it;
            }
        }
    }
    if (from == nullptr) {
        return false;
    }
    from->erase(worst);
    return true;
}

unsigned terminal_columns() {
    winsize size{};
    return ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0 ? size.ws_col : 80;
}

bool wanted() {
    const char* term = std::getenv("TERM");
    return isatty(STDERR_FILENO) == 1 && (term == nullptr || std::string_view(term) != "dumb");
}

}  // namespace

std::string progress_line(const std::string& label, const ProgressGoal& goal, const ProgressCount& count,
                          milliseconds elapsed, unsigned columns, ProgressUnits units) {
    // The fraction done and the time left against each limit: the limit nearer its end wins.
    std::optional<double> fraction;
    std::optional<milliseconds> eta;
    if (goal.duration && goal.duration->count() > 0) {
        fraction = std::min(1.0, static_cast<double>(elapsed.count()) / static_cast<double>(goal.duration->count()));
        eta = std::max(milliseconds(0), *goal.duration - elapsed);
    }
    if (goal.cases && *goal.cases > 0) {
        const double done = std::min(1.0, static_cast<double>(count.cases) / static_cast<double>(*goal.cases));
        fraction = std::max(fraction.value_or(0.0), done);
        if (count.cases > 0) {
            const milliseconds left(static_cast<std::int64_t>(static_cast<double>(elapsed.count()) * (1.0 - done) /
                                                               done));
            eta = std::min(eta.value_or(left), left);
        }
    }

    std::vector<Part> head;
    std::vector<Part> tail;
    if (fraction) {
        head.push_back({fmt::format("{:.0f}%", *fraction * 100), 0});
    }
    head.push_back({label + ":", 4});
    tail.push_back({goal.cases ? fmt::format("{}/{} {}", count.cases, *goal.cases, units.cases)
                               : fmt::format("{} {}", count.cases, units.cases),
                    1});
    tail.push_back({fmt::format("{} {}", count.operations, units.operations), 5});
    tail.push_back({clock_time(elapsed) + " elapsed", 3});
    if (eta) {
        tail.push_back({"ETA " + clock_time(*eta + milliseconds(999)), 2});  // rounded up
    }

    const std::size_t limit = columns > 0 ? columns - 1 : 0;
    std::string line = render(head, tail);
    while (line.size() > limit && drop_one(head, tail)) {
        line = render(head, tail);
    }
    constexpr std::size_t max_bar = 30;
    constexpr std::size_t min_bar = 10;
    if (fraction && line.size() + 3 + min_bar <= limit) {  // "[" bar "] " line
        const std::size_t width = std::min(max_bar, limit - line.size() - 3);
        const auto filled = static_cast<std::size_t>(*fraction * static_cast<double>(width));
        line = fmt::format("[{}{}] {}", std::string(filled, '#'), std::string(width - filled, '.'), line);
    }
    return line;
}

ProgressBar::ProgressBar(std::string label, ProgressGoal goal, std::function<ProgressCount()> count, ProgressUnits units)
    : label_(std::move(label)),
      goal_(goal),
      count_(std::move(count)),
      units_(units),
      start_(std::chrono::steady_clock::now()) {
    if (wanted()) {
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
    while (!done_.load()) {
        std::this_thread::sleep_for(100ms);
        const auto elapsed = duration_cast<milliseconds>(steady_clock::now() - start_);
        if (elapsed < 1s || done_.load()) {
            continue;
        }
        fmt::print(stderr, "\r{}\033[K", progress_line(label_, goal_, count_(), elapsed, terminal_columns(), units_));
        std::fflush(stderr);
        drawn_ = true;
    }
}

}  // namespace vmio::cli
