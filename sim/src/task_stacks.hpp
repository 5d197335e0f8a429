// Task stacks for the scheduler's fibers: fixed-size stacks with a guard page below, kept for
// reuse. A campaign spawns three tasks per task case; mapping and guarding a fresh stack,
// faulting its first pages in and unmapping it each time cost more than running the task's
// slices did.
//
// A Boost.Context stack allocator: a returned stack goes back to one process-wide pool (up to
// a few stacks; the rest are unmapped), and allocate() takes one from there before mapping a
// new one. Thread-safe without a lock (the pool's slots are claimed atomically), so a process
// forked while another thread was spawning a task can still spawn its own.
#pragma once

#include <boost/context/stack_context.hpp>

#include <cstddef>

namespace vmio::sim::detail {

class ReusedStack {
public:
    explicit ReusedStack(std::size_t size) noexcept : size_(size) {}

    boost::context::stack_context allocate();
    void deallocate(boost::context::stack_context& stack) noexcept;

private:
    std::size_t size_;
};

}  // namespace vmio::sim::detail
