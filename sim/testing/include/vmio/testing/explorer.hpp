// The fault explorer: runs code that takes user memory -- a syscall-like routine over
// VmReader / VmWriter -- once per fault point and classifies every run.
//
// A Subject declares the user buffers its body uses, a set-up of its kernel-side state, the
// body (what a system call returns: a non-negative value or minus an errno) and a check of
// the invariants that must hold after every run. explore() lays the buffers out in simulated
// user memory (a Machine of its own: no other Machine may exist meanwhile), each between
// inaccessible guard pages, and runs, in this order:
//
//   first-touch  every declared page faults on its first touch and the page-fault handler
//                resolves the fault: the touches say which pages the body uses, and the
//                outcome must equal that of the run without faults. If the body touches no
//                declared page, the exploration ends here, after one run.
//   none         no fault: the reference outcome (result and final user bytes).
//   page:B:P:K   page P of buffer B (in the default placement, the buffer ending at a guard
//                page) is of fault kind K, for every page the first-touch run touched;
//   byte:B:N:K   buffer B placed so that its first N bytes are accessible and byte N starts
//                pages of kind K that run to the buffer's end, for N = 0, 1, 2, ... until a
//                run completes without reaching those pages (it cannot reach them for any
//                larger N either: it ran exactly as without the fault).
//
// Every run starts from scratch: buffers laid out with their content, then `setup`, then the
// body, then `check`. The order is deterministic, so is the report; a finding's replay line
// runs its point alone (after the two reference runs), through the environment variable
// VMIO_EXPLORE_POINT="<subject>/<point>" or ExploreOptions::only.
//
// A body reaches user memory only through vmio's fallible accessors (VmSpace::reader,
// writer, copy_*_user, or RunContext's shorthands); a plain load from a simulated user page
// is not recoverable and ends the process with SIGSEGV, as it would in a kernel.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vmio/error.hpp"
#include "vmio/reader.hpp"
#include "vmio/writer.hpp"
#include "vmio/sim/page_state.hpp"
#include "vmio/sim/vm_space.hpp"

namespace vmio::testing {

/// How the armed pages fail. Each is unresolvable: the access that reaches it fails, and so
/// does every retry. (Resolvable faults are the first-touch run's.)
enum class FaultKind : std::uint8_t {
    NotPresent,  ///< nothing mapped: every access faults (SIGSEGV)
    ReadOnly,    ///< mapped read-only: stores fault, loads do not
    Truncated,   ///< a shared file page past the end of the file: every access is SIGBUS
};
inline constexpr std::array all_fault_kinds = {FaultKind::NotPresent, FaultKind::ReadOnly, FaultKind::Truncated};

/// "not-present", "read-only", "truncated".
[[nodiscard]] std::string_view to_string(FaultKind kind) noexcept;
/// The page state that realises `kind` in the simulator.
[[nodiscard]] sim::PageState page_state_of(FaultKind kind) noexcept;

/// Where a run's fault is armed (see the top of this file for the four forms).
struct FaultPoint {
    enum class Where : std::uint8_t { None, FirstTouch, Page, Byte };
    Where where = Where::None;
    std::size_t buffer = 0;  ///< Page, Byte: index into Subject::buffers
    std::size_t offset = 0;  ///< Page: page index within the buffer; Byte: the first bad byte
    FaultKind kind = FaultKind::NotPresent;

    friend constexpr bool operator==(const FaultPoint&, const FaultPoint&) = default;
};

/// What the body's result says: a byte count, where a short count reports a fault, or
/// another value (0, a handle, an inode number), where any success after an unresolvable
/// fault means the fault was missed.
enum class Returns : std::uint8_t { Count, Value };

/// How one run ended, from the best to the worst. Findings are the last five.
enum class RunClass : std::uint8_t {
    NotReached,       ///< no access reached the armed pages: the run was fault-free
    Resolved,         ///< first-touch: faults resolved by the handler, outcome unchanged
    Surfaced,         ///< the fault surfaced: -EFAULT, or a count short of the fault-free run's
    Missed,           ///< success after an unresolvable fault, with nothing short: the fault was swallowed
    WrongError,       ///< an error other than -EFAULT after the fault
    ResolvedVisible,  ///< first-touch: a fault the handler resolved changed the outcome
    Broken,           ///< the subject's check failed
    Undeclared,       ///< the body touched user memory outside its declared buffers
};
inline constexpr std::array all_run_classes = {RunClass::NotReached, RunClass::Resolved,   RunClass::Surfaced,
                                               RunClass::Missed,     RunClass::WrongError, RunClass::ResolvedVisible,
                                               RunClass::Broken,     RunClass::Undeclared};
/// "not reached", "resolved", "surfaced", "missed", "wrong error", "resolved visible", ...
[[nodiscard]] std::string_view to_string(RunClass run_class) noexcept;
[[nodiscard]] constexpr bool is_finding(RunClass run_class) noexcept { return run_class >= RunClass::Missed; }

class RunContext;

/// A user buffer the body may touch.
struct UserBuffer {
    std::string name{};     ///< unique within the subject: letters, digits, '_' and '-'
    std::size_t size = 0;
    /// Fills the buffer before each run, once every buffer's address is known (an iovec array
    /// may point at other buffers). Unset: byte i holds pattern_byte(i) (vmio/testing/pattern.hpp).
    std::function<void(const RunContext&, std::span<std::byte>)> content{};
};

/// The code under test.
struct Subject {
    std::string name{};  ///< names the subject in reports and replay lines
    std::vector<UserBuffer> buffers{};
    Returns returns = Returns::Count;
    /// Makes fresh kernel-side state for a run (optional).
    std::function<void(RunContext&)> setup{};
    /// The system call: a non-negative value, or minus an errno (syscall_return() converts).
    std::function<std::int64_t(RunContext&)> body{};
    /// The invariants after a run (optional): calls RunContext::expect for each.
    std::function<void(RunContext&, std::int64_t result)> check{};
};

/// What the subject sees of one run.
class RunContext {
public:
    /// The buffer's address in this run; std::invalid_argument for a name not declared.
    [[nodiscard]] std::uintptr_t address(std::string_view buffer) const;
    [[nodiscard]] std::size_t size(std::string_view buffer) const;
    /// A fallible reader / writer over the whole buffer (VmSpace::reader / writer).
    [[nodiscard]] VmReader<Fallible> reader(std::string_view buffer) const;
    [[nodiscard]] VmWriter<Fallible> writer(std::string_view buffer) const;
    /// The simulated user space: for ranges the body computes itself (an iovec's base).
    [[nodiscard]] const sim::VmSpace& space() const noexcept { return space_; }
    /// What the buffer holds now, read without touching it (no fault, no count).
    [[nodiscard]] std::vector<std::byte> bytes(std::string_view buffer) const;

    /// The fault armed in this run.
    [[nodiscard]] const FaultPoint& point() const noexcept { return point_; }
    /// The result of the run without faults; unset during the first-touch and the none runs.
    [[nodiscard]] std::optional<std::int64_t> fault_free_result() const noexcept { return fault_free_result_; }

    /// Records a broken invariant when `holds` is false (from Subject::check).
    void expect(bool holds, std::string_view invariant);

private:
    friend class Exploration;
    RunContext(const Subject& subject, const sim::VmSpace& space, FaultPoint point,
               std::vector<std::uintptr_t> addresses, std::optional<std::int64_t> fault_free_result);
    [[nodiscard]] std::size_t index_of(std::string_view buffer) const;

    const Subject& subject_;
    const sim::VmSpace& space_;
    FaultPoint point_;
    std::vector<std::uintptr_t> addresses_;
    std::optional<std::int64_t> fault_free_result_;
    std::vector<std::string> broken_;
};

/// One run that found something.
struct Finding {
    RunClass run_class = RunClass::Broken;
    std::string point;                  ///< "byte:buf:17:not-present"
    std::int64_t result = 0;            ///< what the body returned
    std::vector<std::string> broken;    ///< the invariants that did not hold
    std::string detail;                 ///< why it is a finding, in words
    std::vector<std::string> layout;    ///< one line per buffer: address, accessible bytes, armed pages
    std::string replay;                 ///< a command line that runs this point alone
};

/// Why an exploration ended: every point run, a budget, the first finding (when asked), or
/// ExploreOptions::on_run asking it to.
enum class StoppedBy : std::uint8_t { Complete, Runs, Time, Finding, Caller };
[[nodiscard]] std::string_view to_string(StoppedBy stopped_by) noexcept;

struct Report {
    std::string subject;
    std::size_t runs = 0;
    std::array<std::size_t, all_run_classes.size()> by_class{};
    std::size_t findings = 0;
    /// The first finding of each class that occurred, in the order they were found.
    std::vector<Finding> first_findings;
    std::optional<std::int64_t> fault_free_result;
    std::size_t touched_pages = 0;  ///< declared pages the first-touch run touched
    StoppedBy stopped_by = StoppedBy::Complete;
    std::chrono::duration<double> elapsed{};

    [[nodiscard]] bool passed() const noexcept { return findings == 0; }
    [[nodiscard]] std::size_t count(RunClass run_class) const noexcept {
        return by_class[static_cast<std::size_t>(run_class)];
    }
};

/// The report as several lines of text: totals, then each first finding with its layout and
/// replay line.
[[nodiscard]] std::string format(const Report& report);
std::ostream& operator<<(std::ostream& out, const Report& report);

struct ExploreOptions {
    /// The unresolvable fault kinds to arm, in this order.
    std::vector<FaultKind> kinds{all_fault_kinds.begin(), all_fault_kinds.end()};
    bool pages = true;  ///< the page:* points
    bool bytes = true;  ///< the byte:* points
    std::size_t max_runs = 0;                   ///< 0: no limit
    std::chrono::duration<double> max_time{0};  ///< 0: no limit
    bool stop_at_first_finding = false;
    /// Run only this point (after the two reference runs). Unset: VMIO_EXPLORE_POINT when it
    /// names this subject ("<subject>/<point>"), else every point.
    std::optional<std::string> only{};
    /// The replay line of a point ("byte:buf:17:not-present"). Unset: VMIO_EXPLORE_POINT=...
    /// followed by this process's command line.
    std::function<std::string(std::string_view point)> replay{};
    /// Called after every run with the report so far (progress); returning false ends the
    /// exploration there (StoppedBy::Caller).
    std::function<bool(const Report&)> on_run{};
};

/// Explores `subject`. Throws std::invalid_argument for a subject without a body, with a
/// buffer name that is empty, repeated or not a word, or for an `only` point that does not
/// parse or names no buffer of the subject; std::logic_error if a Machine exists already.
[[nodiscard]] Report explore(const Subject& subject, const ExploreOptions& options = {});

/// The text of a point ("none", "first-touch", "page:buf:1:truncated", "byte:buf:17:read-only").
[[nodiscard]] std::string to_string(const FaultPoint& point, const Subject& subject);
/// Parses the text of a point; std::invalid_argument with the reason if it does not parse or
/// names no buffer of `subject`.
[[nodiscard]] FaultPoint parse_fault_point(std::string_view text, const Subject& subject);

}  // namespace vmio::testing
