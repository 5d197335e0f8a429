// Every documented panic, with its message.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>

#include "cursors.hpp"
#include "vmio/layout.hpp"
#include "vmio/vm_buffer.hpp"

namespace vmio::test {
namespace {

constexpr std::uintptr_t kTop = std::numeric_limits<std::uintptr_t>::max();

const void* address(std::uintptr_t value) { return reinterpret_cast<const void*>(value); }
void* mutable_address(std::uintptr_t value) { return reinterpret_cast<void*>(value); }

class Panics : public testing::Test {
protected:
    void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }

    alignas(8) std::array<std::uint8_t, 32> bytes_{};
};

TEST_F(Panics, SkipPastTheEnd) {
    EXPECT_DEATH(kernel_reader(bytes_.data(), 4).skip(5), "vmio panic: skip: past the end of the reader");
    EXPECT_DEATH(user_writer(bytes_.data(), 4).skip(5), "vmio panic: skip: past the end of the writer");
}

TEST_F(Panics, ReadOnceAndWriteOnceMisaligned) {
    EXPECT_DEATH((void)kernel_reader(bytes_.data() + 2, 8).read_once<std::uint32_t>(),
                 "vmio panic: read_once: cursor is not aligned");
    EXPECT_DEATH((void)kernel_writer(bytes_.data() + 4, 8).write_once(std::uint64_t{1}),
                 "vmio panic: write_once: cursor is not aligned");
    const VmBuffer buffer(16);
    EXPECT_DEATH((void)buffer.read_once<std::uint16_t>(1), "vmio panic: read_once: cursor is not aligned");
}

TEST_F(Panics, FillMisalignedOrNotAMultiple) {
    EXPECT_DEATH(kernel_writer(bytes_.data() + 1, 8).fill(std::uint32_t{1}), "vmio panic: fill: cursor is not aligned");
    EXPECT_DEATH(kernel_writer(bytes_.data(), 6).fill(std::uint32_t{1}),
                 "vmio panic: fill: available space is not a multiple of the value size");
}

TEST_F(Panics, AtomicsMisaligned) {
    EXPECT_DEATH((void)user_reader(bytes_.data() + 2, 8).atomic_load<std::uint32_t>(), "vmio panic: .*misaligned");
    EXPECT_DEATH((void)user_writer(bytes_.data() + 4, 8).atomic_compare_exchange(std::uint64_t{0}, std::uint64_t{1}),
                 "vmio panic: .*misaligned");
}

TEST_F(Panics, WriteValsWithAnAlignThatIsNotAPowerOfTwo) {
    const VmBuffer buffer(16);
    EXPECT_DEATH((void)buffer.write_vals(0, std::array<std::uint8_t, 1>{1}, 3),
                 "vmio panic: write_vals: align is not a power of two");
}

TEST_F(Panics, RangesThatOverflowAlways) {
    EXPECT_DEATH((void)VmReader<>::from_user_space(address(kTop - 3), 8, safety::UserSpace{}),
                 "vmio panic: from_user_space: range overflows the address space");
    EXPECT_DEATH((void)VmWriter<>::from_user_space(mutable_address(kTop), 2, safety::UserSpace{}),
                 "vmio panic: from_user_space: range overflows the address space");
    EXPECT_DEATH((void)VmReader<Infallible>::from_kernel_space(address(kTop - 3), 8, safety::ValidUse{}),
                 "vmio panic: from_kernel_space: range overflows the address space");
    EXPECT_DEATH((void)VmWriter<Infallible>::from_kernel_space(mutable_address(kTop), 2, safety::ValidUse{}),
                 "vmio panic: from_kernel_space: range overflows the address space");
}

constexpr AddressLayout kStrict{
    .strict = true, .user_begin = 0x10000, .user_end = 0x20000, .kernel_begin = 0x10000, .kernel_end = 0x40000};

TEST_F(Panics, StrictLayoutRejectsAUserRangeOutsideUserSpace) {
    EXPECT_DEATH(
        {
            set_address_layout(kStrict);
            (void)VmReader<>::from_user_space(address(0x1FFF0), 0x11, safety::UserSpace{});
        },
        "vmio panic: from_user_space: range is not in user space");
    EXPECT_DEATH(
        {
            set_address_layout(kStrict);
            (void)VmWriter<>::from_user_space(mutable_address(0x30000), 1, safety::UserSpace{});
        },
        "vmio panic: from_user_space: range is not in user space");
}

TEST_F(Panics, StrictLayoutRejectsAKernelRangeOutsideTheKernelWindow) {
    EXPECT_DEATH(
        {
            set_address_layout(kStrict);
            (void)VmReader<Infallible>::from_kernel_space(address(0x1FFFF), 2, safety::ValidUse{});
        },
        "vmio panic: from_kernel_space: range is not in kernel space");
    EXPECT_DEATH(
        {
            set_address_layout(kStrict);
            (void)VmWriter<Infallible>::from_kernel_space(mutable_address(0x3FFFF), 2, safety::ValidUse{});
        },
        "vmio panic: from_kernel_space: range is not in kernel space");
    EXPECT_DEATH(
        {
            set_address_layout(kStrict);
            (void)VmReader<Infallible>(std::span(bytes_));
        },
        "vmio panic: from_kernel_space: range is not in kernel space");
}

TEST_F(Panics, ViolatedSafetyClaimWhenChecksAreOn) {
    EXPECT_DEATH(
        {
            set_safety_checks(true);
            safety::set_checker([](const safety::Claim& claim) noexcept { return claim.kind != safety::Kind::UserSpace; });
            (void)user_reader(address(0x1000), 16);
        },
        "vmio panic: safety precondition violated: UserSpace\\(0x1000, reads of 16 bytes\\)");
    EXPECT_DEATH(
        {
            set_safety_checks(true);
            safety::set_checker([](const safety::Claim& claim) noexcept { return claim.kind != safety::Kind::Memo; });
            auto reader = kernel_reader(bytes_.data(), 8);
            auto writer = user_writer(bytes_.data() + 8, 8);
            (void)reader.read_fallible(writer);
        },
        "vmio panic: safety precondition violated: Memo\\(0x[0-9a-f]+, writes of 8 bytes\\)");
}

}  // namespace
}  // namespace vmio::test
