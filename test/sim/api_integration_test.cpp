// The VM I/O API on the simulated machine: VmSpace readers and writers (the seed's
// vmspace_reader_writer test), segments as VmIo objects, and the strict layout and safety
// checks that the Machine installs.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "vmio/sim/sim.hpp"
#include "vmio/vmio.hpp"

namespace vmio::sim::test {
namespace {

class ApiOnMachine : public ::testing::Test {
protected:
    Machine machine;
    std::uintptr_t base = machine.layout().user_begin;
};

TEST_F(ApiOnMachine, ReaderAndWriterAreDeniedBeforeActivationAndOutOfRange) {
    VmSpace space(machine);
    space.set_pages(base, 1, page(PageState::ReadWrite));
    EXPECT_EQ(space.reader(base, 8).error(), Error::AccessDenied);
    EXPECT_EQ(space.writer(base, 8).error(), Error::AccessDenied);
    space.activate();
    auto writer = space.writer(base, 8);
    ASSERT_TRUE(writer.has_value());
    ASSERT_TRUE(writer->write_val(std::uint64_t{0x1122334455667788}).has_value());
    auto reader = space.reader(base, 8);
    ASSERT_TRUE(reader.has_value());
    EXPECT_EQ(reader->read_val<std::uint64_t>(), std::uint64_t{0x1122334455667788});
    const std::uintptr_t end = machine.layout().user_end;
    EXPECT_EQ(space.reader(end - 4, 8).error(), Error::AccessDenied);
    EXPECT_EQ(space.writer(end, 1).error(), Error::AccessDenied);
}

TEST_F(ApiOnMachine, ReadValAcrossAnInaccessiblePageRollsBack) {
    VmSpace space(machine);
    space.set_pages(base, 1, page(PageState::ReadWrite));
    space.activate();
    auto reader = space.reader(base + page_size - 2, 4).value();
    const auto before = reader.cursor();
    EXPECT_EQ(reader.read_val<std::uint32_t>().error(), Error::PageFault);
    EXPECT_EQ(reader.cursor(), before);
    EXPECT_EQ(reader.remain(), 4U);
}

TEST_F(ApiOnMachine, DemandZeroPageIsInvisibleToAReader) {
    VmSpace space(machine);
    space.set_pages(base, 1, page(PageState::DemandZero));
    space.activate();
    auto reader = space.reader(base, 16).value();
    const auto bytes = reader.collect();
    ASSERT_TRUE(bytes.has_value());
    EXPECT_EQ(*bytes, std::vector<std::uint8_t>(16, 0));
    EXPECT_EQ(machine.counters().resolved, 1U);
}

TEST_F(ApiOnMachine, SegmentIsAVmIoObject) {
    const Segment segment = machine.memory().alloc_segment(2).value();
    ASSERT_TRUE(segment.write_val(page_size - 2, std::uint32_t{0xdeadbeef}).has_value());
    EXPECT_EQ(segment.read_val<std::uint32_t>(page_size - 2), std::uint32_t{0xdeadbeef});
    EXPECT_EQ(segment.read_val<std::uint32_t>(2 * page_size - 3).error(), Error::InvalidArgs);
    EXPECT_EQ(segment.fill_zeros(2 * page_size + 1, 1).error(), (CopyError{Error::InvalidArgs, 0}));
    EXPECT_EQ(segment.read_once<std::uint32_t>(page_size - 4), std::uint32_t{0xbeef0000});
    const Frame frame = segment.frame(1);
    EXPECT_EQ(frame.read_val<std::uint16_t>(0), std::uint16_t{0xdead});
}

TEST_F(ApiOnMachine, MachineInstallsAStrictLayoutAndRestoresTheOldOne) {
    const AddressLayout layout = address_layout();
    EXPECT_TRUE(layout.strict);
    EXPECT_EQ(layout.user_begin, machine.layout().user_begin);
    EXPECT_EQ(layout.user_end, machine.layout().user_end);
    std::array<std::uint8_t, 8> kernel_buffer{};
    EXPECT_TRUE(layout.in_kernel_space(reinterpret_cast<std::uintptr_t>(kernel_buffer.data()), 8));
    EXPECT_FALSE(layout.in_user_space(reinterpret_cast<std::uintptr_t>(kernel_buffer.data()), 8));
}

TEST(ApiOnMachineDeathTest, UserConstructorWithAKernelPointerPanics) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    const auto user_from_kernel_pointer = [] {
        Machine machine;
        std::array<std::uint8_t, 8> kernel_buffer{};
        (void)VmReader<Fallible>::from_user_space(kernel_buffer.data(), kernel_buffer.size());
    };
    EXPECT_DEATH(user_from_kernel_pointer(), "vmio panic");
    const auto kernel_from_user_pointer = [] {
        Machine machine;
        (void)VmReader<Infallible>::from_kernel_space(reinterpret_cast<const void*>(machine.layout().user_begin), 8);
    };
    EXPECT_DEATH(kernel_from_user_pointer(), "vmio panic");
}

TEST(ApiOnMachineDeathTest, SafetyCheckCatchesAReaderOfFreedFrames) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    const auto read_freed_frame = [] {
        Machine machine;
        set_safety_checks(true);
        VmReader<Infallible> reader = machine.memory().alloc_frame().value().reader();  // the frame is freed here
        std::array<std::uint8_t, 4> out{};
        VmWriter<Infallible> writer(out);
        (void)reader.read(writer);
    };
    EXPECT_DEATH(read_freed_frame(), "safety precondition violated");
}

}  // namespace
}  // namespace vmio::sim::test
