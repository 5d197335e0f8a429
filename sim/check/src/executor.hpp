// Runs a scenario's operations on the real thing: vmio's cursors over a simulated user space
// and a kernel buffer, and the raw copy and fill routines of either recovery engine. It knows
// nothing of the expected outcome: it reports what happened (run) and what the world looks
// like (observe), and can lay the world out again in a given state (restore).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "vmio/check/outcome.hpp"
#include "vmio/check/scenario.hpp"
#include "vmio/check/scenario_state.hpp"
#include "vmio/reader.hpp"
#include "vmio/sim/recovery_engine.hpp"
#include "vmio/writer.hpp"

namespace vmio::sim {
class VmSpace;
}

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

    sim::VmSpace& space_;
    std::size_t pages_;
    std::uintptr_t area_;
    std::vector<std::byte> kernel_;
    VmReader<Fallible> user_reader_;
    VmWriter<Fallible> user_writer_;
    VmReader<Infallible> kernel_reader_;
    VmWriter<Infallible> kernel_writer_;
};

}  // namespace vmio::check
