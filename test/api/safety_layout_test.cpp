// The run-time address layout and the safety-claim checks (the panics are in panic_test).
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <thread>
#include <vector>

#include "cursors.hpp"
#include "fork_beside.hpp"
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

TEST_F(InstalledLayout, ReinstallingALayoutReusesItsRecord) {
    const AddressLayout a{.strict = true, .user_begin = 0x1000, .user_end = 0x2000};
    set_address_layout(a);
    const AddressLayout* const record = detail::installed_address_layout.load();
    set_address_layout(AddressLayout{});
    set_address_layout(AddressLayout(a));
    EXPECT_EQ(detail::installed_address_layout.load(), record);
}

// A writer alternates two strict layouts while readers check that every layout they see is
// one of the two, and that the layout checker never accepts a range that only a mix of the
// two would admit ([0x1800, 0x2800) is in neither user space).
TEST_F(InstalledLayout, ReadersNeverSeeAMixOfTwoLayouts) {
    const AddressLayout a{.strict = true, .user_begin = 0x1000, .user_end = 0x2000, .kernel_begin = 0x100000};
    const AddressLayout b{.strict = true, .user_begin = 0x3000, .user_end = 0x4000, .kernel_end = 0x200000};
    const safety::Claim mixed{safety::Kind::UserSpace, Access::Read, 0x1800, 0x1000};
    set_address_layout(a);
    std::atomic<bool> stop{false};
    std::atomic<unsigned long> torn{0};
    std::atomic<unsigned long> reads{0};
    std::vector<std::jthread> readers;
    for (int i = 0; i < 3; ++i) {
        readers.emplace_back([&] {
            unsigned long local_reads = 0;
            while (!stop.load(std::memory_order_relaxed)) {
                const AddressLayout seen = address_layout();
                if ((seen != a && seen != b) || safety::layout_checker(mixed)) {
                    torn.fetch_add(1, std::memory_order_relaxed);
                }
                ++local_reads;
            }
            reads.fetch_add(local_reads, std::memory_order_relaxed);
        });
    }
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
    for (unsigned long i = 0; i % 1024 != 0 || std::chrono::steady_clock::now() < until; ++i) {
        set_address_layout(i % 2 == 0 ? b : a);
    }
    stop = true;
    readers.clear();
    EXPECT_GT(reads.load(), 0U);
    EXPECT_EQ(torn.load(), 0U) << "of " << reads.load() << " reads";
}

// A child forked while another thread installs layouts must be able to install one itself.
TEST_F(InstalledLayout, AProcessForkedWhileAnotherThreadInstallsLayoutsCanInstallOne) {
    const AddressLayout a{.strict = true, .user_begin = 0x1000, .user_end = 0x2000};
    const AddressLayout b{.strict = true, .user_begin = 0x3000, .user_end = 0x4000};
    const AddressLayout c{.strict = true, .user_begin = 0x5000, .user_end = 0x6000};
    bool flip = false;
    const ForkOutcome outcome = fork_beside([&] { set_address_layout((flip = !flip) ? a : b); },
                                            [&] {
                                                set_address_layout(c);
                                                _exit(address_layout() == c ? 0 : 1);
                                            });
    EXPECT_GT(outcome.forks, 0);
    EXPECT_EQ(outcome.hung, 0);
    EXPECT_EQ(outcome.failed, 0);
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
    using enum Access;
    EXPECT_EQ(claims, (std::vector<safety::Claim>{{UserSpace, Read, s, 8},
                                                  {ValidUse, Write, d, 8},
                                                  {Memo, Read, s, 8},
                                                  {ValidUse, Write, d, 8}}));
}

TEST_F(SafetyChecks, TheLayoutCheckerFollowsTheLayout) {
    using enum safety::Kind;
    using enum Access;
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
