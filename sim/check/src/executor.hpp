// Runs a scenario's operations on the real thing: vmio's cursors over a simulated user space
// and a kernel buffer, and the raw copy and fill routines of either recovery engine. It knows
// nothing of the expected outcome: it reports what happened (run) and what the world looks
// like (observe), and can lay the world out again in a given state (restore).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "vmio/check/outcome.hpp"
#include "vmio/check/scenario.hpp"
#include "vmio/check/scenario_state.hpp"
#include "vmio/reader.hpp"
#include "vmio/sim/layout.hpp"
#include "vmio/sim/recovery_engine.hpp"
#include "vmio/sim/vm_space.hpp"
#include "vmio/writer.hpp"

namespace vmio::check {

class Executor {
public:
    /// Places `scenario`'s user area at the end of the user window of `space` (which must be
    /// active when operations run) and its kernel buffer, and opens every cursor empty at the
    /// kernel buffer's start. Nothing is laid out until restore() gives the first state.
    Executor(sim::VmSpace& space, const Scenario& scenario);

    [[nodiscard]] std::uintptr_t area() const noexcept { return area_; }
    [[nodiscard]] std::uintptr_t kernel_buffer() const noexcept;

    /// Runs any operation but Raw on the cursors.
    [[nodiscard]] OperationOutcome run(const Operation& operation);
    /// Runs a Raw operation with `engine`; its value is the destination's bytes afterwards.
    [[nodiscard]] OperationOutcome run_raw(const Operation& operation, sim::Engine engine);

    [[nodiscard]] ScenarioState observe() const;
    /// Lays the user area and the kernel buffer out again as `state` has them (its pages in the
    /// form model::rearm gives); the cursors stay where they are.
    void restore(const ScenarioState& state);

    /// A set of pages of the user area (and of the unmapped page after it): bit i for page i,
    /// pages from the 64th on all sharing bit 63.
    using PageSet = std::uint64_t;
    static constexpr PageSet all_pages = ~PageSet{0};

    /// Remembers, before an operation, which pages of the area it could write: those writable
    /// now, and (see touched()) those it faults on.
    void before_operation();
    /// The pages the operation since before_operation() could have changed: writable before it,
    /// or faulted on during it (a resolved fault makes a page writable). No other page can
    /// have changed: the window maps them inaccessible or read-only.
    [[nodiscard]] PageSet touched() const;
    /// Whether the simulator shows what `state` has, looking only at: the cursors, the states of
    /// the area's pages, the bytes of `pages` and the kernel buffer. No copy, no allocation; a
    /// mismatch is described by comparing observe() with `state`.
    [[nodiscard]] bool matches(const ScenarioState& state, PageSet pages) const;
    /// The same over everything observe() shows: every page, the kernel buffer, and no page
    /// outside the area in a state other than Inaccessible.
    [[nodiscard]] bool matches_everywhere(const ScenarioState& state) const;
    /// Lays out again the page states that differ from `state`'s (pages it has as Inaccessible
    /// are left alone), the bytes of `pages` and, if `kernel`, the kernel buffer: after an
    /// operation, what touched() gives is all that needs restoring.
    void restore(const ScenarioState& state, PageSet pages, bool kernel);

private:
    template <typename F>
    void on_cursor(CursorId id, F f);
    [[nodiscard]] CursorWindow window(CursorId id) const;
    [[nodiscard]] OperationOutcome open(const Operation& operation);
    [[nodiscard]] OperationOutcome transfer(Transfer transfer);
    [[nodiscard]] OperationOutcome read_val(ValueType type);
    [[nodiscard]] OperationOutcome write_val(ValueType type, std::uint64_t value);
    [[nodiscard]] OperationOutcome collect();
    [[nodiscard]] OperationOutcome read_cstring(std::size_t max_len);
    template <typename T>
    [[nodiscard]] OperationOutcome atomic(const Operation& operation);
    template <typename T>
    [[nodiscard]] OperationOutcome compare_exchange(bool expect_current, T desired);

    [[nodiscard]] std::uintptr_t page(std::size_t index) const noexcept { return area_ + index * sim::page_size; }
    [[nodiscard]] static PageSet bit(std::size_t index) noexcept { return PageSet{1} << std::min<std::size_t>(index, 63); }

    sim::VmSpace& space_;
    std::size_t pages_;
    std::vector<sim::VmSpace::PageReading> before_;       // every page's reading at before_operation()
    mutable std::vector<sim::VmSpace::PageReading> now_;  // room for the readings of touched() and matches()
    std::uintptr_t area_;
    std::vector<std::byte> kernel_;
    VmReader<Fallible> user_reader_;
    VmWriter<Fallible> user_writer_;
    VmReader<Infallible> kernel_reader_;
    VmWriter<Infallible> kernel_writer_;
};

}  // namespace vmio::check
