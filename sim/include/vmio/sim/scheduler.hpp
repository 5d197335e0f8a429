// Simulated tasks on Boost.Context fibers, run by a deterministic, seeded scheduler. A task is
// a user process (with a VmSpace, activated whenever it runs) or a kernel thread (none: the
// user window is all inaccessible while it runs). Tasks call yield() at their yield points;
// the seed decides which task runs next, so a run is reproducible from its seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace vmio::sim {

class Machine;
class VmSpace;

class Scheduler {
public:
    Scheduler(Machine& machine, std::uint64_t seed);
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    /// Adds a task; returns its id (0, 1, ... in spawn order).
    std::size_t spawn_process(std::string name, VmSpace& space, std::function<void()> body);
    std::size_t spawn_kernel_thread(std::string name, std::function<void()> body);

    /// From inside a task: a yield point.
    void yield();
    /// Runs all tasks to completion; rethrows the first exception a task let escape.
    void run();

    /// The task running now (inside run()).
    [[nodiscard]] std::size_t current() const noexcept { return current_; }
    [[nodiscard]] const std::string& name(std::size_t task) const;
    /// The id of the task that ran in each time slice, in order.
    [[nodiscard]] const std::vector<std::size_t>& trace() const noexcept { return trace_; }

private:
    struct Task;
    std::size_t spawn(std::string name, VmSpace* space, std::function<void()> body);
    void run_slice(Task& task);

    Machine& machine_;
    std::mt19937_64 random_;
    std::vector<std::unique_ptr<Task>> tasks_;
    std::size_t current_ = 0;
    std::vector<std::size_t> trace_;
    std::exception_ptr failure_;
    void* scheduler_fake_stack_ = nullptr;  // for AddressSanitizer's stack-switch annotations
    const void* scheduler_stack_bottom_ = nullptr;
    std::size_t scheduler_stack_size_ = 0;
};

}  // namespace vmio::sim
