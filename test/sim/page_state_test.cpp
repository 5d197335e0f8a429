// Every page state, for copy and fill in both directions, against the reference model, with
// operations starting and ending on both sides of the page edges.
#include <gtest/gtest.h>

#include "scenario.hpp"

namespace vmio::sim::test {
namespace {

constexpr PageStatus states[] = {
    page(PageState::Inaccessible), page(PageState::ReadWrite), page(PageState::ReadOnly),
    page(PageState::DemandZero),   page(PageState::Truncated), fault_on_touch(1),
    fault_on_touch(2),
};

class PageStateTest : public ::testing::TestWithParam<PageStatus> {
protected:
    Machine machine;
    VmSpace space{machine};
};

TEST_P(PageStateTest, MatchesTheModelAcrossPageEdges) {
    space.activate();
    const std::size_t starts[] = {page_size - 17, page_size - 1, page_size, page_size + 5, 2 * page_size - 3};
    const std::size_t lengths[] = {1, 2, 3, 8, 16, 17, 64, 65, 100, 4096, 5000};
    for (const RawOp op : check::all_raw_ops) {
        for (const std::size_t start : starts) {
            for (const std::size_t len : lengths) {
                const Scenario s{{page(PageState::ReadWrite), GetParam(), page(PageState::ReadWrite)}, op, start, len};
                if (start + len > 3 * page_size) {
                    continue;
                }
                EXPECT_EQ(run(space, Engine::ExceptionTable, s), expect(space, s)) << s;
            }
        }
    }
}

TEST_P(PageStateTest, ResolvedFaultsAreInvisibleAndCounted) {
    space.activate();
    const Scenario s{{page(PageState::ReadWrite), GetParam()}, RawOp::CopyFromUser, 0, 2 * page_size};
    machine.reset_counters();
    const Outcome outcome = run(space, Engine::ExceptionTable, s);
    const FaultCounters counters = machine.counters();
    EXPECT_EQ(counters.raised, counters.resolved + counters.fixed_up);
    const PageState state = GetParam().state;
    const bool resolvable = state == PageState::DemandZero || GetParam() == fault_on_touch(2);
    EXPECT_EQ(outcome.result.has_value(), resolvable || state == PageState::ReadWrite || state == PageState::ReadOnly);
    EXPECT_EQ(counters.resolved, resolvable ? 1U : 0U);
}

INSTANTIATE_TEST_SUITE_P(AllStates, PageStateTest, ::testing::ValuesIn(states),
                         [](const auto& info) {
                             return std::string(to_string(info.param.state)) +
                                    (info.param.failing_touch != 0 ? std::to_string(info.param.failing_touch) : "");
                         });

class PageStates : public ::testing::Test {
protected:
    Machine machine;
    VmSpace space{machine};
    std::uintptr_t base = machine.layout().user_begin;
};

TEST_F(PageStates, FaultOnTouchFailsOnTheKthTouchOnlyAndRearmsOnActivation) {
    space.set_pages(base, 1, fault_on_touch(3));
    space.activate();
    std::byte byte{};
    for (int touch = 1; touch <= 2; ++touch) {
        EXPECT_EQ(space.copy_from_user(base, {&byte, 1}), 1U) << "touch " << touch;
        EXPECT_EQ(space.copy_from_user(base + 100, {&byte, 1}), 1U) << "resident until re-armed";
        space.activate();
    }
    EXPECT_EQ(space.copy_from_user(base, {&byte, 1}), std::unexpected(CopyError{Error::PageFault, 0}));
    EXPECT_EQ(space.status(base).state, PageState::Inaccessible);
    EXPECT_EQ(space.copy_from_user(base, {&byte, 1}), std::unexpected(CopyError{Error::PageFault, 0}));
}

TEST_F(PageStates, DemandZeroIsZeroFilledOnFirstTouchAndKeepsWhatIsWritten) {
    space.set_pages(base, 1, page(PageState::ReadWrite));
    space.poke(base, pattern(page_size, 1));
    space.set_pages(base, 1, page(PageState::DemandZero));  // a fresh page: the old data is gone
    space.activate();
    std::vector<std::byte> got(page_size, std::byte{0xff});
    ASSERT_EQ(space.copy_from_user(base, got), page_size);
    EXPECT_EQ(got, std::vector<std::byte>(page_size));
    EXPECT_EQ(space.status(base).state, PageState::ReadWrite);
    const auto data = pattern(64, 9);
    ASSERT_EQ(space.copy_to_user(base + 10, data), 64U);
    space.activate();
    EXPECT_EQ(space.peek(base + 10, 64), data);
}

TEST_F(PageStates, TruncatedPagesRaiseSigbus) {
    space.set_pages(base, 1, page(PageState::ReadWrite));
    space.set_pages(base + page_size, 1, page(PageState::Truncated));
    space.activate();
    std::vector<std::byte> got(100);
    EXPECT_EQ(space.copy_from_user(base + page_size - 40, got), std::unexpected(CopyError{Error::PageFault, 40}));
    ASSERT_TRUE(last_fault());
    EXPECT_EQ(last_fault()->signal, SIGBUS);
    EXPECT_EQ(last_fault()->address, base + page_size);
}

// Asterinas' user-level regression: a 2-byte read whose second byte is on an inaccessible page
// fails with PageFault after exactly 1 byte (the API's rollback then undoes it).
TEST_F(PageStates, TwoByteReadAcrossIntoAnInaccessiblePageCopiesOneByte) {
    space.set_pages(base, 1, page(PageState::ReadWrite));
    space.poke(base + page_size - 1, std::vector{std::byte{0x42}});
    space.activate();
    std::byte got[2] = {std::byte{0}, std::byte{0}};
    EXPECT_EQ(space.copy_from_user(base + page_size - 1, got), std::unexpected(CopyError{Error::PageFault, 1}));
    EXPECT_EQ(got[0], std::byte{0x42});
    EXPECT_EQ(got[1], std::byte{0});
}

// A short write leaves the destination's old contents past the fault intact.
TEST_F(PageStates, ShortWriteLeavesTheRestOfTheDestinationIntact) {
    space.set_pages(base, 2, page(PageState::ReadWrite));
    space.set_pages(base + page_size, 1, page(PageState::ReadOnly));
    const auto old = pattern(2 * page_size, 5);
    space.poke(base, old);
    space.activate();
    const auto data = pattern(300, 77);
    EXPECT_EQ(space.copy_to_user(base + page_size - 100, data), std::unexpected(CopyError{Error::PageFault, 100}));
    std::vector<std::byte> want = old;
    std::ranges::copy(std::span(data).first(100), want.begin() + page_size - 100);
    EXPECT_EQ(space.peek(base, 2 * page_size), want);
}

}  // namespace
}  // namespace vmio::sim::test
