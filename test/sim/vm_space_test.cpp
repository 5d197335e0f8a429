// VmSpace: activation, user-range checks, frames shared between spaces; frames and segments.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "fork_beside.hpp"
#include "scenario.hpp"

namespace vmio::sim::test {
namespace {

class VmSpaceTest : public ::testing::Test {
protected:
    Machine machine;
    std::uintptr_t base = machine.layout().user_begin;
    std::uintptr_t end = machine.layout().user_end;
};

TEST_F(VmSpaceTest, LayoutSeparatesUserAndKernel) {
    const Layout& layout = machine.layout();
    EXPECT_EQ(layout.user_end - layout.user_begin, Machine::Config{}.user_pages * page_size);
    EXPECT_TRUE(layout.kernel_end <= layout.user_begin || layout.user_end <= layout.kernel_begin);
    const Frame frame = machine.memory().alloc_frame().value();
    EXPECT_TRUE(layout.is_kernel(reinterpret_cast<std::uintptr_t>(frame.bytes().data())));
}

TEST_F(VmSpaceTest, UserRangeIsDeniedUntilActivated) {
    VmSpace space(machine);
    space.set_pages(base, 1, page(PageState::ReadWrite));
    EXPECT_EQ(space.user_range(base, 8), std::unexpected(Error::AccessDenied));
    std::byte buffer[8]{};
    EXPECT_EQ(space.copy_from_user(base, buffer), std::unexpected(CopyError{Error::AccessDenied, 0}));
    space.activate();
    EXPECT_TRUE(space.user_range(base, 8));
    EXPECT_EQ(space.copy_from_user(base, buffer), 8U);
}

TEST_F(VmSpaceTest, UserRangeIsDeniedOutsideUserSpace) {
    VmSpace space(machine);
    space.activate();
    EXPECT_TRUE(space.user_range(end - 8, 8));
    EXPECT_EQ(space.user_range(end - 8, 9), std::unexpected(Error::AccessDenied));
    EXPECT_EQ(space.user_range(base - 1, 1), std::unexpected(Error::AccessDenied));
    EXPECT_EQ(space.user_range(base, SIZE_MAX), std::unexpected(Error::AccessDenied));
    const auto kernel = machine.layout().kernel_begin;
    EXPECT_EQ(space.user_range(kernel, 1), std::unexpected(Error::AccessDenied));
}

TEST_F(VmSpaceTest, UnmappedPagesAreFoundByTheFaultPath) {
    VmSpace space(machine);
    space.activate();
    std::byte buffer[8]{};
    EXPECT_EQ(space.copy_from_user(base + 12345, buffer), std::unexpected(CopyError{Error::PageFault, 0}));
}

TEST_F(VmSpaceTest, EveryFaultOnAPageIsCountedUntilItsStateIsSetAgain) {
    VmSpace space(machine);
    space.set_pages(base, 1, page(PageState::ReadOnly));
    space.set_pages(base + page_size, 1, page(PageState::Truncated));
    space.set_pages(base + 2 * page_size, 1, page(PageState::DemandZero));
    space.activate();
    std::byte buffer[8]{};
    EXPECT_TRUE(space.copy_from_user(base, buffer));  // loads from a read-only page: no fault
    EXPECT_EQ(space.faults(base), 0U);
    EXPECT_FALSE(space.copy_to_user(base, buffer));
    EXPECT_FALSE(space.copy_to_user(base, buffer));
    EXPECT_EQ(space.faults(base), 2U);
    EXPECT_FALSE(space.copy_from_user(base + page_size, buffer));  // SIGBUS
    EXPECT_EQ(space.faults(base + page_size + 100), 1U);
    EXPECT_TRUE(space.copy_to_user(base + 2 * page_size, buffer));  // resolved, then no more faults
    EXPECT_TRUE(space.copy_to_user(base + 2 * page_size, buffer));
    EXPECT_EQ(space.faults(base + 2 * page_size), 1U);
    space.set_pages(base, 1, page(PageState::ReadOnly));
    EXPECT_EQ(space.faults(base), 0U);
}

TEST_F(VmSpaceTest, ReadPagesGivesEachPagesStatusAndFaultsAsTheSingleReadersDo) {
    VmSpace space(machine);
    space.set_pages(base + page_size, 1, page(PageState::ReadOnly));
    space.set_pages(base + 2 * page_size, 1, fault_on_touch(2));
    space.activate();
    std::byte buffer[8]{};
    EXPECT_FALSE(space.copy_to_user(base + page_size, buffer));
    EXPECT_TRUE(space.copy_from_user(base + 2 * page_size, buffer));  // the first touch: resident
    std::vector<VmSpace::PageReading> readings(4);
    space.read_pages(base, readings);
    for (std::size_t i = 0; i < readings.size(); ++i) {
        EXPECT_EQ(readings[i].status, space.status(base + i * page_size)) << "page " << i;
        EXPECT_EQ(readings[i].faults, space.faults(base + i * page_size)) << "page " << i;
    }
    EXPECT_EQ(readings[0].status, page(PageState::Inaccessible));
    EXPECT_EQ(readings[1].faults, 1U);
    EXPECT_EQ(readings[2].status.touches, 1U);
    EXPECT_TRUE(readings[2].status.resident);
    EXPECT_THROW(space.read_pages(end - page_size, readings), std::invalid_argument);  // past the window
}

TEST_F(VmSpaceTest, ActivationSwitchesBetweenSpaces) {
    VmSpace first(machine);
    VmSpace second(machine);
    first.set_pages(base, 1, page(PageState::ReadWrite));
    second.set_pages(base, 1, page(PageState::ReadWrite));
    first.poke(base, pattern(16, 1));
    second.poke(base, pattern(16, 2));
    std::vector<std::byte> got(16);
    for (int round = 0; round < 3; ++round) {
        first.activate();
        EXPECT_FALSE(second.user_range(base, 16));
        ASSERT_EQ(first.copy_from_user(base, got), 16U);
        EXPECT_EQ(got, pattern(16, 1));
        second.activate();
        EXPECT_FALSE(first.user_range(base, 16));
        ASSERT_EQ(second.copy_from_user(base, got), 16U);
        EXPECT_EQ(got, pattern(16, 2));
    }
}

TEST_F(VmSpaceTest, AFrameMappedTwiceIsOneFrame) {
    const Frame frame = machine.memory().alloc_frame().value();
    VmSpace writer(machine);
    VmSpace reader(machine);
    writer.map(base + 10 * page_size, frame);
    reader.map(base + 3 * page_size, frame, page(PageState::ReadOnly));
    reader.map(base + 4 * page_size, frame, page(PageState::ReadOnly));
    writer.activate();
    ASSERT_EQ(writer.copy_to_user(base + 10 * page_size + 8, pattern(8, 4)), 8U);
    reader.activate();
    std::vector<std::byte> got(8);
    ASSERT_EQ(reader.copy_from_user(base + 4 * page_size + 8, got), 8U);
    EXPECT_EQ(got, pattern(8, 4));
    EXPECT_EQ(reader.copy_to_user(base + 3 * page_size, got), std::unexpected(CopyError{Error::PageFault, 0}));
    std::vector<std::byte> direct(8);
    ASSERT_TRUE(frame.read_bytes(8, direct));
    EXPECT_EQ(direct, pattern(8, 4));
}

TEST_F(VmSpaceTest, SegmentAccessorsCheckBounds) {
    const Segment segment = machine.memory().alloc_segment(3).value();
    EXPECT_EQ(segment.size(), 3 * page_size);
    EXPECT_EQ(segment.frame(1).paddr(), segment.paddr() + page_size);
    const auto data = pattern(10, 6);
    ASSERT_TRUE(segment.write_bytes(segment.size() - 10, data));
    std::vector<std::byte> got(10);
    ASSERT_TRUE(segment.read_bytes(segment.size() - 10, got));
    EXPECT_EQ(got, data);
    EXPECT_EQ(segment.read_bytes(segment.size() - 9, got), std::unexpected(Error::InvalidArgs));
    EXPECT_EQ(segment.write_bytes(SIZE_MAX - 5, data), std::unexpected(Error::Overflow));
    EXPECT_EQ(machine.memory().alloc_segment(0), std::unexpected(Error::InvalidArgs));
    EXPECT_EQ(machine.memory().alloc_segment(1U << 30), std::unexpected(Error::NoMemory));
    // Counts whose byte size or signed count would wrap are refused the same way.
    EXPECT_EQ(machine.memory().alloc_segment(std::size_t{1} << 63), std::unexpected(Error::NoMemory));
    EXPECT_EQ(machine.memory().alloc_segment(SIZE_MAX), std::unexpected(Error::NoMemory));
    EXPECT_EQ(machine.memory().alloc_segment(SIZE_MAX / page_size + 1), std::unexpected(Error::NoMemory));
}

TEST_F(VmSpaceTest, FramesReturnToTheArenaWhenTheLastHolderGoes) {
    const std::size_t before = machine.memory().allocated_frames();
    {
        VmSpace space(machine);
        const Segment segment = machine.memory().alloc_segment(2).value();
        space.map(base, segment);
        EXPECT_EQ(machine.memory().allocated_frames(), before + 2);
    }
    EXPECT_EQ(machine.memory().allocated_frames(), before);
}

TEST_F(VmSpaceTest, PeekIntoASpanAndHoldsSeeWhatPeekSees) {
    VmSpace space(machine);
    space.set_pages(base, 1, page(PageState::ReadWrite));
    const std::vector<std::byte> bytes(100, std::byte{0x5a});
    space.poke(base + page_size - 50, bytes);  // the second half lands on a page without a frame
    std::vector<std::byte> seen(100);
    space.peek(base + page_size - 50, seen);
    EXPECT_EQ(seen, space.peek(base + page_size - 50, 100));
    EXPECT_EQ(std::count(seen.begin(), seen.end(), std::byte{0x5a}), 50);
    EXPECT_TRUE(space.holds(base + page_size - 50, seen));
    seen[99] = std::byte{1};  // the page without a frame reads as zero
    EXPECT_FALSE(space.holds(base + page_size - 50, seen));
}

// Switching spaces back and forth, re-arming and going through a kernel thread (no space) map
// only what differs; what each space shows stays its own.
TEST_F(VmSpaceTest, ReactivationShowsEachSpaceAsItWas) {
    VmSpace first(machine);
    VmSpace second(machine);
    first.set_pages(base, 1, page(PageState::ReadWrite));
    first.set_pages(base + page_size, 1, fault_on_touch(3));
    second.set_pages(base, 1, page(PageState::Truncated));
    second.set_pages(base + page_size, 1, page(PageState::ReadOnly));
    const std::vector<std::byte> one(8, std::byte{1});
    const std::vector<std::byte> two(8, std::byte{2});
    first.poke(base, one);
    second.poke(base + page_size, two);
    std::vector<std::byte> got(8);
    for (int round = 0; round < 3; ++round) {
        first.activate();
        EXPECT_EQ(first.copy_from_user(base, got), 8U);
        EXPECT_EQ(got, one);
        const auto touched = first.status(base + page_size).touches;
        EXPECT_EQ(first.copy_from_user(base + page_size, got), 8U);  // one more touch: re-armed
        EXPECT_EQ(first.status(base + page_size).touches, touched + 1);
        second.activate();
        EXPECT_EQ(second.copy_from_user(base, got), std::unexpected(CopyError{Error::PageFault, 0}));  // SIGBUS
        EXPECT_EQ(second.copy_from_user(base + page_size, got), 8U);
        EXPECT_EQ(got, two);
        EXPECT_EQ(second.copy_to_user(base + page_size, one), std::unexpected(CopyError{Error::PageFault, 0}));
        machine.activate(nullptr);  // a kernel thread: nothing is reachable
        EXPECT_EQ(second.user_range(base, 8), std::unexpected(Error::AccessDenied));
        if (round == 1) {
            break;  // the third touch of the FaultOnTouch page would fail
        }
    }
}

TEST_F(VmSpaceTest, DemandZeroAgainZeroesTheFrameItAloneHolds) {
    VmSpace space(machine);
    space.set_pages(base, 1, page(PageState::DemandZero));
    space.activate();
    const std::vector<std::byte> bytes(8, std::byte{7});
    EXPECT_EQ(space.copy_to_user(base, bytes), 8U);  // resolved: now ReadWrite, holding 7s
    const std::size_t frames = machine.memory().allocated_frames();
    space.set_pages(base, 1, page(PageState::DemandZero));
    EXPECT_EQ(machine.memory().allocated_frames(), frames);  // no second frame
    EXPECT_EQ(space.peek(base, 8), std::vector<std::byte>(8));
    std::vector<std::byte> got(8, std::byte{1});
    EXPECT_EQ(space.copy_from_user(base, got), 8U);
    EXPECT_EQ(got, std::vector<std::byte>(8));
    EXPECT_EQ(space.status(base).state, PageState::ReadWrite);

    // A frame someone else holds is left to them: the page gets a fresh one.
    const Segment shared = machine.memory().alloc_segment(1).value();
    space.map(base, shared);
    space.poke(base, bytes);
    space.set_pages(base, 1, page(PageState::DemandZero));
    EXPECT_EQ(shared.bytes()[0], std::byte{7});
    EXPECT_EQ(space.peek(base, 8), std::vector<std::byte>(8));
}

// A child forked while another thread allocates and frees frames (holding the arena's lock for
// a moment each time) must be able to allocate frames of its own.
TEST_F(VmSpaceTest, AProcessForkedWhileAnotherThreadAllocatesFramesCanAllocate) {
    if (!vmio::test::allocator_survives_fork_beside_a_thread) {
        GTEST_SKIP() << "this sanitizer's allocator may stay locked in the child";
    }
    PhysicalMemory& memory = machine.memory();
    const auto outcome = vmio::test::fork_beside([&] { (void)memory.alloc_segment(2).value(); },
                                                 [&] {
                                                     if (!memory.alloc_frame() || !memory.alloc_segment(3)) {
                                                         _exit(1);
                                                     }
                                                 });
    EXPECT_GT(outcome.forks, 0);
    EXPECT_EQ(outcome.hung, 0);
    EXPECT_EQ(outcome.failed, 0);
}

TEST(MachineConfig, SizesThatWouldWrapAreRefusedAndLeaveNoMachineBehind) {
    constexpr std::size_t too_many = SIZE_MAX / page_size + 1;
    EXPECT_THROW(Machine(Machine::Config{.user_pages = too_many, .kernel_frames = 16}), std::invalid_argument);
    EXPECT_THROW(Machine(Machine::Config{.user_pages = 16, .kernel_frames = too_many}), std::invalid_argument);
    EXPECT_THROW(Machine(Machine::Config{.user_pages = 0, .kernel_frames = 16}), std::invalid_argument);
    EXPECT_THROW(Machine(Machine::Config{.user_pages = 16, .kernel_frames = 0}), std::invalid_argument);
    EXPECT_THROW((void)PhysicalMemory::create(SIZE_MAX), std::invalid_argument);
    const Machine machine(Machine::Config{.user_pages = 16, .kernel_frames = 16});  // the refusals left none
    EXPECT_EQ(machine.layout().user_pages(), 16U);
}

}  // namespace
}  // namespace vmio::sim::test
