// Tasks on fibers: per-process address spaces, kernel threads, seeded interleavings.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "fork_beside.hpp"
#include "scenario.hpp"
#include "task_stacks.hpp"

namespace vmio::sim::test {
namespace {

class SchedulerTest : public ::testing::Test {
protected:
    Machine machine;
    std::uintptr_t base = machine.layout().user_begin;
};

TEST_F(SchedulerTest, ProcessesReadTheirOwnDataAtTheSameAddress) {
    VmSpace a(machine);
    VmSpace b(machine);
    for (VmSpace* space : {&a, &b}) {
        space->set_pages(base, 1, page(PageState::ReadWrite));
    }
    a.poke(base, pattern(32, 1));
    b.poke(base, pattern(32, 2));
    Scheduler scheduler(machine, 7);
    std::vector<std::vector<std::byte>> seen_a;
    std::vector<std::vector<std::byte>> seen_b;
    const auto reader = [&](VmSpace& space, std::vector<std::vector<std::byte>>& seen) {
        return [&] {
            for (int i = 0; i < 20; ++i) {
                std::vector<std::byte> got(32);
                EXPECT_EQ(space.copy_from_user(base, got), 32U);
                seen.push_back(got);
                scheduler.yield();
            }
        };
    };
    scheduler.spawn_process("a", a, reader(a, seen_a));
    scheduler.spawn_process("b", b, reader(b, seen_b));
    scheduler.run();
    EXPECT_EQ(seen_a, std::vector(20, pattern(32, 1)));
    EXPECT_EQ(seen_b, std::vector(20, pattern(32, 2)));
}

TEST_F(SchedulerTest, AKernelThreadsUserCopyFaults) {
    VmSpace space(machine);
    space.set_pages(base, 1, page(PageState::ReadWrite));
    Scheduler scheduler(machine, 1);
    std::size_t copied = 99;
    CopyResult through_space = 0;
    scheduler.spawn_kernel_thread("kthread", [&] {
        std::byte buffer[16];
        copied = memcpy_fallible(buffer, reinterpret_cast<const void*>(base), sizeof buffer);
        through_space = space.copy_from_user(base, buffer);
    });
    scheduler.run();
    EXPECT_EQ(copied, 0U);
    ASSERT_TRUE(last_fault());
    EXPECT_EQ(last_fault()->address, base);
    EXPECT_EQ(through_space, std::unexpected(CopyError{Error::AccessDenied, 0}));
}

// Two processes share a frame: a writer bumps a counter, readers copy it out; each run's
// trace and observations are a function of the seed.
struct SeededRun {
    std::vector<std::size_t> trace;
    std::vector<std::uint64_t> observed;
};

SeededRun shared_counter_run(std::uint64_t seed) {
    Machine machine;
    const std::uintptr_t base = machine.layout().user_begin;
    const Frame shared = machine.memory().alloc_frame().value();
    VmSpace writer_space(machine);
    VmSpace reader_space(machine);
    writer_space.map(base, shared);
    reader_space.map(base + 5 * page_size, shared, page(PageState::ReadOnly));
    Scheduler scheduler(machine, seed);
    SeededRun run;
    scheduler.spawn_process("writer", writer_space, [&] {
        for (std::uint64_t value = 1; value <= 10; ++value) {
            EXPECT_EQ(writer_space.copy_to_user(base, std::as_bytes(std::span(&value, 1))), sizeof value);
            scheduler.yield();
        }
    });
    for (int r = 0; r < 2; ++r) {
        scheduler.spawn_process("reader", reader_space, [&] {
            for (int i = 0; i < 10; ++i) {
                std::uint64_t value = 0;
                EXPECT_EQ(reader_space.copy_from_user(base + 5 * page_size, std::as_writable_bytes(std::span(&value, 1))),
                          sizeof value);
                run.observed.push_back(value);
                scheduler.yield();
            }
        });
    }
    scheduler.spawn_kernel_thread("kernel", [&] {
        for (int i = 0; i < 5; ++i) {
            std::uint64_t value = 0;
            ASSERT_TRUE(shared.read_bytes(0, std::as_writable_bytes(std::span(&value, 1))));
            run.observed.push_back(value);
            scheduler.yield();
        }
    });
    scheduler.run();
    run.trace = scheduler.trace();
    return run;
}

TEST(SchedulerSeeds, TheSameSeedGivesTheSameRun) {
    const SeededRun first = shared_counter_run(42);
    const SeededRun second = shared_counter_run(42);
    EXPECT_EQ(first.trace, second.trace);
    EXPECT_EQ(first.observed, second.observed);
}

TEST(SchedulerSeeds, DifferentSeedsGiveDifferentInterleavings) {
    std::set<std::vector<std::size_t>> traces;
    for (std::uint64_t seed = 0; seed < 8; ++seed) {
        traces.insert(shared_counter_run(seed).trace);
    }
    EXPECT_GT(traces.size(), 1U);
}

// One process and two kernel threads, five slices each: the trace of a seeded run.
std::vector<std::size_t> kernel_thread_run(std::uint64_t seed) {
    Machine machine;
    VmSpace space(machine);
    Scheduler scheduler(machine, seed);
    const auto body = [&] {
        for (int i = 0; i < 4; ++i) {
            scheduler.yield();
        }
    };
    scheduler.spawn_process("process", space, body);
    scheduler.spawn_kernel_thread("kthread1", body);
    scheduler.spawn_kernel_thread("kthread2", body);
    scheduler.run();
    return scheduler.trace();
}

/// The slices that kernel threads ran: (slice index, task id).
std::vector<std::pair<std::size_t, std::size_t>> kernel_slices(const std::vector<std::size_t>& trace) {
    std::vector<std::pair<std::size_t, std::size_t>> slices;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        if (trace[i] != 0) {
            slices.emplace_back(i, trace[i]);
        }
    }
    return slices;
}

TEST(SchedulerSeeds, TheSeedDecidesKernelThreadsSlices) {
    const std::vector<std::size_t> one = kernel_thread_run(1);
    const std::vector<std::size_t> two = kernel_thread_run(2);
    ASSERT_EQ(one.size(), 15U);
    ASSERT_EQ(two.size(), 15U);
    EXPECT_EQ(std::ranges::count(one, 1), 5);
    EXPECT_EQ(std::ranges::count(one, 2), 5);
    EXPECT_EQ(kernel_thread_run(1), one);
    EXPECT_EQ(kernel_thread_run(2), two);
    EXPECT_NE(kernel_slices(one), kernel_slices(two));
    // Not only where kernel threads run against the process, but also which one runs.
    std::vector<std::size_t> kernel_order_one;
    std::vector<std::size_t> kernel_order_two;
    std::ranges::copy_if(one, std::back_inserter(kernel_order_one), [](std::size_t id) { return id != 0; });
    std::ranges::copy_if(two, std::back_inserter(kernel_order_two), [](std::size_t id) { return id != 0; });
    EXPECT_NE(kernel_order_one, kernel_order_two);
}

TEST_F(SchedulerTest, AnEscapingExceptionReachesRun) {
    Scheduler scheduler(machine, 3);
    scheduler.spawn_kernel_thread("thrower", [] { throw std::runtime_error("task failed"); });
    EXPECT_THROW(scheduler.run(), std::runtime_error);
}

// The mapping of /proc/self/maps that holds `addr`, and the one just below it: {start, end, perms}.
struct Mapping {
    std::uintptr_t start = 0;
    std::uintptr_t end = 0;
    std::string perms;
};
std::pair<Mapping, Mapping> mapping_and_the_one_below(std::uintptr_t addr) {
    std::ifstream maps("/proc/self/maps");
    Mapping below;
    for (std::string line; std::getline(maps, line);) {
        Mapping m;
        char dash = 0;
        std::istringstream fields(line);
        fields >> std::hex >> m.start >> dash >> m.end >> m.perms;
        if (m.start <= addr && addr < m.end) {
            return {m, below};
        }
        below = m;
    }
    return {};
}

TEST_F(SchedulerTest, ALaterTaskRunsOnAnEarlierTasksStackWhichKeepsItsGuardPage) {
    const auto frame_of_a_task = [&] {
        std::uintptr_t frame = 0;
        Scheduler scheduler(machine, 1);
        scheduler.spawn_kernel_thread("t", [&] { frame = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0)); });
        scheduler.run();
        return frame;
    };
    const std::uintptr_t first = frame_of_a_task();
    const auto [stack, below] = mapping_and_the_one_below(first);
    EXPECT_EQ(stack.perms, "rw-p");  // still mapped after its scheduler ended: kept for the next task
    EXPECT_EQ(below.end, stack.start);
    EXPECT_EQ(below.end - below.start, page_size);
    EXPECT_EQ(below.perms, "---p");  // a task that overflows its stack faults
    EXPECT_EQ(frame_of_a_task(), first);
}

// A child forked while another thread spawns and finishes tasks (taking stacks from the pool and
// giving them back) must be able to run a task of its own.
TEST_F(SchedulerTest, AProcessForkedWhileAnotherThreadSpawnsTasksCanRunATask) {
    if (!vmio::test::allocator_survives_fork_beside_a_thread) {
        GTEST_SKIP() << "this sanitizer's allocator may stay locked in the child";
    }
    const auto run_one_task = [&](unsigned seed) {
        Scheduler scheduler(machine, seed);
        scheduler.spawn_kernel_thread("t", [] {});
        scheduler.run();
    };
    unsigned seed = 0;
    const auto outcome = vmio::test::fork_beside([&] { run_one_task(++seed); }, [&] { run_one_task(1); });
    EXPECT_GT(outcome.forks, 0);
    EXPECT_EQ(outcome.hung, 0);
    EXPECT_EQ(outcome.failed, 0);
}

// The pool itself, without allocations around it: a child forked while another thread takes and
// returns stacks can take and return one.
TEST(TaskStackPool, AProcessForkedWhileAnotherThreadTakesStacksCanTakeOne) {
    constexpr std::size_t size = 64 * 1024;
    const auto take_and_return = [] {
        detail::ReusedStack pool(size);
        boost::context::stack_context stack = pool.allocate();
        pool.deallocate(stack);
    };
    const auto outcome = vmio::test::fork_beside(take_and_return, take_and_return);
    EXPECT_GT(outcome.forks, 0);
    EXPECT_EQ(outcome.hung, 0);
    EXPECT_EQ(outcome.failed, 0);
}

}  // namespace
}  // namespace vmio::sim::test
