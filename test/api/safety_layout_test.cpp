// The run-time address layout and the safety-claim checks (the panics are in panic_test).
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "cursors.hpp"
#include "vmio/layout.hpp"
#include "vmio/safety.hpp"

namespace vmio::test {
namespace {

constexpr std::uintptr_t kTop = std::numeric_limits<std::uintptr_t>::max();

TEST(AddressLayout, DefaultIsPermissiveButRejectsWrapAround) {
    const AddressLayout layout;
    EXPECT_EQ(address_layout(), layout);
    EXPECT_TRUE(layout.in_user_space(0xFFFF'8000'0000'0000, 4096));
    EXPECT_TRUE(layout.in_kernel_space(0x1000, 4096));
    EXPECT_FALSE(layout.in_user_space(kTop - 1, 4));
    EXPECT_FALSE(layout.in_kernel_space(kTop, 2));
}

TEST(AddressLayout, StrictSeparatesUserSpaceFromTheKernelWindow) {
    const AddressLayout layout{.strict = true, .user_begin = 0x1000, .user_end = 0x2000};
    EXPECT_TRUE(layout.in_user_space(0x1000, 0x1000));
    EXPECT_FALSE(layout.in_user_space(0x1000, 0x1001));
    EXPECT_FALSE(layout.in_user_space(0xFFF, 2));
    EXPECT_TRUE(layout.in_kernel_space(0x2000, 0x100));
    EXPECT_TRUE(layout.in_kernel_space(0x800, 0x800));
    EXPECT_FALSE(layout.in_kernel_space(0x800, 0x801)) << "touches user space";
    EXPECT_FALSE(layout.in_kernel_space(0x1800, 0x10));
    const AddressLayout window{.strict = true, .user_end = 0x1000, .kernel_begin = 0x8000, .kernel_end = 0x9000};
    EXPECT_TRUE(window.in_kernel_space(0x8000, 0x1000));
    EXPECT_FALSE(window.in_kernel_space(0x7FFF, 2));
    EXPECT_FALSE(window.in_kernel_space(0x8FFF, 2));
}

class InstalledLayout : public testing::Test {
protected:
    void TearDown() override { set_address_layout(AddressLayout{}); }
};

TEST_F(InstalledLayout, RoundTripsAndAdmitsRangesInTheirSpace) {
    std::array<std::uint8_t, 64> user{};
    std::array<std::uint8_t, 64> kernel{};
    const auto user_base = reinterpret_cast<std::uintptr_t>(user.data());
    const AddressLayout layout{.strict = true, .user_begin = user_base, .user_end = user_base + user.size()};
    set_address_layout(layout);
    EXPECT_EQ(address_layout(), layout);
    auto reader = user_reader(user.data() + 8, 56);
    auto writer = kernel_writer(kernel.data(), kernel.size());
    EXPECT_EQ(reader.read_fallible(writer), CopyResult(56));
    EXPECT_EQ(VmReader<Infallible>(std::span(kernel)).remain(), 64U);
    EXPECT_FALSE(user_reader(nullptr, 0).has_remain()) << "len == 0 is never checked";
    EXPECT_FALSE(kernel_reader(user.data(), 0).has_remain()) << "len == 0 is never checked";
}

std::vector<safety::Claim> claims;
bool record(const safety::Claim& claim) noexcept {
    claims.push_back(claim);
    return true;
}

class SafetyChecks : public testing::Test {
protected:
    void SetUp() override { claims.clear(); }
    void TearDown() override {
        set_safety_checks(false);
        safety::set_checker(nullptr);
    }
};

TEST_F(SafetyChecks, OffByDefault) {
    EXPECT_FALSE(safety_checks());
    safety::set_checker(&record);
    std::array<std::uint8_t, 8> bytes{};
    (void)user_reader(bytes.data(), bytes.size()).collect();
    EXPECT_TRUE(claims.empty());
}

TEST_F(SafetyChecks, ConstructorsAndCopiesStateTheirPreconditions) {
    set_safety_checks(true);
    EXPECT_TRUE(safety_checks());
    safety::set_checker(&record);
    std::array<std::uint8_t, 8> src{};
    std::array<std::uint8_t, 8> dst{};
    const auto s = reinterpret_cast<std::uintptr_t>(src.data());
    const auto d = reinterpret_cast<std::uintptr_t>(dst.data());
    auto reader = user_reader(src.data(), 8);
    auto writer = kernel_writer(dst.data(), 8);
    ASSERT_EQ(reader.read_fallible(writer), CopyResult(8));
    using enum safety::Kind;
    using enum safety::Access;
    EXPECT_EQ(claims, (std::vector<safety::Claim>{{UserSpace, Read, s, 8},
                                                  {ValidUse, Write, d, 8},
                                                  {Memo, Read, s, 8},
                                                  {ValidUse, Write, d, 8}}));
}

TEST_F(SafetyChecks, TheLayoutCheckerFollowsTheLayout) {
    using enum safety::Kind;
    using enum safety::Access;
    EXPECT_TRUE(safety::layout_checker({UserSpace, Read, 0x1000, 8}));
    set_address_layout(AddressLayout{.strict = true, .user_begin = 0x1000, .user_end = 0x2000});
    EXPECT_TRUE(safety::layout_checker({UserSpace, Read, 0x1000, 8}));
    EXPECT_FALSE(safety::layout_checker({ValidUse, Read, 0x1000, 8}));
    EXPECT_TRUE(safety::layout_checker({ValidUse, Write, 0x3000, 8}));
    EXPECT_FALSE(safety::layout_checker({UserSpace, Write, 0x3000, 8}));
    EXPECT_TRUE(safety::layout_checker({Memo, Write, 0x3000, 8}));
    EXPECT_TRUE(safety::layout_checker({Memo, Write, 0x1000, 8}));
    EXPECT_FALSE(safety::layout_checker({Memo, Write, 0x1FFC, 8}));
    set_address_layout(AddressLayout{});
}

}  // namespace
}  // namespace vmio::test
