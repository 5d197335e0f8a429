// The exploration loop: the two reference runs, then every page and byte fault point in a
// fixed order, each run laid out from scratch and classified (see explorer.hpp).
#include "vmio/testing/explorer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <ranges>
#include <stdexcept>

#include "placement.hpp"
#include "vmio/sim/machine.hpp"
#include "vmio/testing/pattern.hpp"
#include "vmio/testing/syscall.hpp"

namespace vmio::testing {
namespace {

using Clock = std::chrono::steady_clock;

// What one run did, as the classification needs it.
struct RunRecord {
    FaultPoint point;
    std::int64_t result = 0;
    std::vector<std::string> broken;
    bool reached = false;                                // an armed page took a fault
    std::vector<std::vector<std::size_t>> touched;       // per buffer: indices of pages that took a fault
    std::optional<std::uintptr_t> undeclared_page;       // a page outside every buffer that took a fault
    std::vector<std::vector<std::byte>> user_bytes;      // every buffer's bytes after the run (reference runs)
};

bool is_word(std::string_view name) {
    return !name.empty() && std::ranges::all_of(name, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

void validate(const Subject& subject) {
    const auto fail = [&](const std::string& why) {
        throw std::invalid_argument("vmio explorer: subject '" + subject.name + "' " + why);
    };
    if (subject.name.empty()) {
        throw std::invalid_argument("vmio explorer: a subject needs a name (reports and replay lines use it)");
    }
    if (!subject.body) {
        fail("has no body");
    }
    for (std::size_t i = 0; i < subject.buffers.size(); ++i) {
        const std::string& name = subject.buffers[i].name;
        if (!is_word(name)) {
            fail("has a buffer named '" + name + "': use letters, digits, '_' and '-'");
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (subject.buffers[j].name == name) {
                fail("declares buffer '" + name + "' twice");
            }
        }
    }
}

// A word as a POSIX shell reads it back.
std::string shell_quoted(std::string_view word) {
    const bool plain = !word.empty() && std::ranges::all_of(word, [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || std::strchr("_-./=:,+@%", c) != nullptr;
    });
    if (plain) {
        return std::string(word);
    }
    std::string quoted = "'";
    for (const char c : word) {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return quoted + "'";
}

// This process's command line, shell-quoted ("" if /proc is not mounted).
std::string own_command_line() {
    std::ifstream file("/proc/self/cmdline", std::ios::binary);
    const std::string raw{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    std::string line;
    for (std::size_t from = 0; from < raw.size();) {
        const std::size_t end = std::min(raw.find('\0', from), raw.size());
        line += (line.empty() ? "" : " ") + shell_quoted(std::string_view(raw).substr(from, end - from));
        from = end + 1;
    }
    return line;
}

}  // namespace

class Exploration {
public:
    Exploration(const Subject& subject, const ExploreOptions& options)
        : subject_(subject),
          options_(options),
          only_(only_point()),
          machine_(machine_config(subject)),
          placement_(subject.buffers, machine_.layout().user_begin),
          space_(machine_) {
        space_.activate();
        report_.subject = subject.name;
    }

    Report explore();

private:
    static sim::Machine::Config machine_config(const Subject& subject) {
        const detail::Placement sizing(subject.buffers, 0);
        return {.user_pages = sizing.window_pages(), .kernel_frames = sizing.data_pages() + 8};
    }
    std::optional<FaultPoint> only_point() const;
    RunRecord run(const FaultPoint& point);
    void lay_out(const FaultPoint& point, const RunContext& run);
    RunClass classify(const RunRecord& record, std::string& detail) const;
    // Classifies and counts the run; false if the exploration should stop after it.
    bool record(const RunRecord& record);
    // Whether the budgets allow another run, `pending` runs not being counted yet (else
    // records why not).
    bool may_run(std::size_t pending = 0);

    const Subject& subject_;
    const ExploreOptions& options_;
    std::optional<FaultPoint> only_;
    sim::Machine machine_;
    detail::Placement placement_;
    sim::VmSpace space_;
    Report report_;
    std::optional<RunRecord> reference_;  // the run without faults
    Clock::time_point started_ = Clock::now();
};

std::optional<FaultPoint> Exploration::only_point() const {
    if (options_.only) {
        return parse_fault_point(*options_.only, subject_);
    }
    const char* variable = std::getenv("VMIO_EXPLORE_POINT");
    if (variable == nullptr) {
        return std::nullopt;
    }
    const std::string_view text(variable);
    const std::size_t slash = text.rfind('/');
    if (slash == std::string_view::npos || text.substr(0, slash) != subject_.name) {
        return std::nullopt;  // another subject's point
    }
    return parse_fault_point(text.substr(slash + 1), subject_);
}

void Exploration::lay_out(const FaultPoint& point, const RunContext& run) {
    for (std::size_t b = 0; b < subject_.buffers.size(); ++b) {
        const UserBuffer& buffer = subject_.buffers[b];
        std::vector<std::byte> content(placement_.slot_pages(b) * sim::page_size);
        const std::span bytes = std::span(content).subspan(run.address(buffer.name) - placement_.slot_begin(b), buffer.size);
        if (buffer.content) {
            buffer.content(run, bytes);
        } else {
            for (std::size_t i = 0; i < bytes.size(); ++i) {
                bytes[i] = pattern_byte(i);
            }
        }
        space_.lay_out(placement_.slot_begin(b), placement_.slot_states(b, point), content);
    }
    if (space_.faults(placement_.end_guard()) != 0) {
        space_.set_pages(placement_.end_guard(), 1, sim::page(sim::PageState::Inaccessible));  // resets the count
    }
}

RunRecord Exploration::run(const FaultPoint& point) {
    RunRecord record;
    record.point = point;
    RunContext run(subject_, space_, point, placement_.addresses(point),
            reference_ ? std::optional(reference_->result) : std::nullopt);
    lay_out(point, run);
    if (subject_.setup) {
        subject_.setup(run);
    }
    machine_.reset_counters();
    record.result = subject_.body(run);
    const std::uint64_t raised = machine_.counters().raised;

    std::uint64_t declared_faults = 0;
    for (std::size_t b = 0; b < subject_.buffers.size(); ++b) {
        record.touched.emplace_back();
        const std::vector<std::uintptr_t> pages = placement_.declared_pages(b, point);
        for (std::size_t i = 0; i < pages.size(); ++i) {
            if (const std::uint32_t faults = space_.faults(pages[i]); faults != 0) {
                declared_faults += faults;
                record.touched.back().push_back(i);
            }
        }
    }
    for (const std::uintptr_t page : placement_.armed_pages(point)) {
        record.reached = record.reached || space_.faults(page) != 0;
    }
    if (raised > declared_faults) {
        // Find the page: a guard of some slot, or the closing guard.
        for (std::uintptr_t page = machine_.layout().user_begin; page <= placement_.end_guard(); page += sim::page_size) {
            if (space_.faults(page) != 0 &&
                std::ranges::none_of(std::views::iota(std::size_t{0}, subject_.buffers.size()), [&](std::size_t b) {
                    const std::vector<std::uintptr_t> declared = placement_.declared_pages(b, point);
                    return std::ranges::find(declared, page) != declared.end();
                })) {
                record.undeclared_page = page;
                break;
            }
        }
        record.undeclared_page = record.undeclared_page.value_or(machine_.layout().user_begin);
    }
    if (subject_.check) {
        subject_.check(run, record.result);
    }
    record.broken = std::move(run.broken_);
    if (point.where == FaultPoint::Where::None || point.where == FaultPoint::Where::FirstTouch) {
        for (const UserBuffer& buffer : subject_.buffers) {
            record.user_bytes.push_back(run.bytes(buffer.name));
        }
    }
    return record;
}

RunClass Exploration::classify(const RunRecord& record, std::string& detail) const {
    const std::string where = to_string(record.point, subject_);
    if (record.undeclared_page) {
        detail = "the body touched " + placement_.describe_guard(subject_.buffers, record.point, *record.undeclared_page) +
                 ": memory it did not declare";
        return RunClass::Undeclared;
    }
    if (!record.broken.empty()) {
        detail = fmt::format("{} of the subject's invariants failed", record.broken.size());
        return RunClass::Broken;
    }
    switch (record.point.where) {
    case FaultPoint::Where::None: return RunClass::NotReached;
    case FaultPoint::Where::FirstTouch: {
        const bool touched = std::ranges::any_of(record.touched, [](const auto& pages) { return !pages.empty(); });
        if (!touched) {
            return RunClass::NotReached;
        }
        if (reference_ && record.result != reference_->result) {
            detail = fmt::format("with every first touch faulting and resolved it returned {}; without faults, {}",
                                 describe_return(record.result), describe_return(reference_->result));
            return RunClass::ResolvedVisible;
        }
        for (std::size_t b = 0; reference_ && b < subject_.buffers.size(); ++b) {
            if (record.user_bytes[b] != reference_->user_bytes[b]) {
                detail = fmt::format("with every first touch faulting and resolved, buffer '{}' ends up holding other "
                                     "bytes than without faults",
                                     subject_.buffers[b].name);
                return RunClass::ResolvedVisible;
            }
        }
        return RunClass::Resolved;
    }
    case FaultPoint::Where::Page:
    case FaultPoint::Where::Byte: break;
    }
    if (!record.reached) {
        return RunClass::NotReached;
    }
    const std::int64_t result = record.result;
    if (result == -EFAULT) {
        return RunClass::Surfaced;
    }
    if (result < 0) {
        detail = fmt::format("returned {} after an unresolvable fault; a fault is reported as -EFAULT",
                             describe_return(result));
        return RunClass::WrongError;
    }
    const std::int64_t fault_free = reference_ ? reference_->result : -1;
    if (subject_.returns == Returns::Count && fault_free >= 0 && result < fault_free) {
        return RunClass::Surfaced;
    }
    detail = subject_.returns == Returns::Count && fault_free >= 0
                 ? fmt::format("returned {} after an unresolvable fault, not short of the fault-free run's {}: "
                               "the fault was swallowed",
                               result, fault_free)
                 : fmt::format("returned {} (success) after an unresolvable fault: the fault was swallowed", result);
    return RunClass::Missed;
}

bool Exploration::record(const RunRecord& record) {
    std::string detail;
    const RunClass run_class = classify(record, detail);
    ++report_.runs;
    ++report_.by_class[static_cast<std::size_t>(run_class)];
    const bool finding = is_finding(run_class);
    if (finding) {
        ++report_.findings;
        if (std::ranges::none_of(report_.first_findings, [&](const Finding& f) { return f.run_class == run_class; })) {
            const std::string point = to_string(record.point, subject_);
            report_.first_findings.push_back({
                .run_class = run_class,
                .point = point,
                .result = record.result,
                .broken = record.broken,
                .detail = std::move(detail),
                .layout = placement_.describe(subject_.buffers, record.point),
                .replay = options_.replay ? options_.replay(point)
                                          : "VMIO_EXPLORE_POINT=" + shell_quoted(subject_.name + "/" + point) + " " +
                                                own_command_line(),
            });
        }
    }
    report_.elapsed = Clock::now() - started_;
    if (options_.on_run && !options_.on_run(report_)) {
        report_.stopped_by = StoppedBy::Caller;
        return false;
    }
    if (finding && options_.stop_at_first_finding) {
        report_.stopped_by = StoppedBy::Finding;
        return false;
    }
    return true;
}

bool Exploration::may_run(std::size_t pending) {
    if (options_.max_runs != 0 && report_.runs + pending >= options_.max_runs) {
        report_.stopped_by = StoppedBy::Runs;
        return false;
    }
    if (options_.max_time.count() > 0 && Clock::now() - started_ >= options_.max_time) {
        report_.stopped_by = StoppedBy::Time;
        return false;
    }
    return true;
}

Report Exploration::explore() {
    // The two reference runs: which pages the body touches, and what it does without faults.
    const RunRecord first_touch = run({.where = FaultPoint::Where::FirstTouch});
    for (const auto& pages : first_touch.touched) {
        report_.touched_pages += pages.size();
    }
    const bool touches = report_.touched_pages != 0 || first_touch.undeclared_page;
    if (touches && may_run(1)) {
        reference_ = run({});
    }
    report_.fault_free_result = reference_ ? reference_->result : first_touch.result;
    if (!record(first_touch) || (reference_ && !record(*reference_))) {
        return std::move(report_);
    }
    if (!reference_) {
        return std::move(report_);  // nothing touched (complete), or out of budget
    }
    if (report_.count(RunClass::Undeclared) != 0) {
        report_.stopped_by = StoppedBy::Finding;  // the body does not keep to its buffers: no point is meaningful
        return std::move(report_);
    }
    if (only_) {
        if (may_run()) {
            record(run(*only_));
        }
        return std::move(report_);
    }
    if (options_.pages) {
        for (std::size_t b = 0; b < subject_.buffers.size(); ++b) {
            for (const std::size_t page : first_touch.touched[b]) {
                for (const FaultKind kind : options_.kinds) {
                    if (!may_run() ||
                        !record(run({.where = FaultPoint::Where::Page, .buffer = b, .offset = page, .kind = kind}))) {
                        return std::move(report_);
                    }
                }
            }
        }
    }
    if (options_.bytes) {
        for (std::size_t b = 0; b < subject_.buffers.size(); ++b) {
            if (first_touch.touched[b].empty()) {
                continue;
            }
            for (const FaultKind kind : options_.kinds) {
                for (std::size_t n = 0; n < subject_.buffers[b].size; ++n) {
                    if (!may_run()) {
                        return std::move(report_);
                    }
                    const RunRecord byte = run({.where = FaultPoint::Where::Byte, .buffer = b, .offset = n, .kind = kind});
                    if (!record(byte)) {
                        return std::move(report_);
                    }
                    if (!byte.reached) {
                        break;  // ran as without the fault: no larger n can be reached either
                    }
                }
            }
        }
    }
    return std::move(report_);
}

Report explore(const Subject& subject, const ExploreOptions& options) {
    validate(subject);
    return Exploration(subject, options).explore();
}

}  // namespace vmio::testing
