// The reference model alone: model::step on hand-made states at made-up addresses (nothing is
// mapped, nothing runs), one rule of the VM I/O API per test.
#include <gtest/gtest.h>

#include "vmio/check/check.hpp"
#include "vmio/sim/sim.hpp"

namespace vmio::check::test {
namespace {

using namespace vmio::sim;

constexpr std::uintptr_t user_begin = 0x100000;
constexpr std::uintptr_t user_end = user_begin + 64 * page_size;
constexpr model::UserSpace user_space{user_begin, user_end};
constexpr std::uintptr_t kernel = 0x900000;

// A scenario of `pages` at the end of the made-up user space and the state it starts in.
struct Fixture {
    Scenario scenario;
    ScenarioState state;
    std::uintptr_t area;

    explicit Fixture(std::vector<PageStatus> pages, std::size_t kernel_size = 64)
        : scenario{std::move(pages), 7, kernel_size, {}},
          state(model::initial_state(scenario, user_end - scenario.area_size(), kernel)),
          area(user_end - scenario.area_size()) {}

    model::Prediction run(const Operation& op) { return model::step(state, op, user_space); }
    void open(Operation::Kind kind, std::size_t offset, std::size_t length) {
        ASSERT_EQ(run({.kind = kind, .offset = offset, .length = length}).outcome, OperationOutcome{});
    }
    std::vector<std::byte> user(std::size_t offset, std::size_t len) {
        const auto bytes = state.user_at(area + offset, len);
        return {bytes.begin(), bytes.end()};
    }
};

TEST(ReferenceModel, InitialStateHasFramesOnlyWhereThePagesHaveThem) {
    Fixture f({page(PageState::ReadWrite), page(PageState::Inaccessible), page(PageState::DemandZero),
               page(PageState::Truncated), fault_on_touch(2)});
    EXPECT_EQ(f.state.pages.size(), 4U);  // not the Inaccessible one, not the unmapped page after
    EXPECT_FALSE(f.state.pages.contains(f.area + page_size));
    const std::vector<std::byte> zeros(page_size);
    const std::vector<std::byte> content = f.scenario.user_content();
    EXPECT_EQ(f.user(0, page_size), std::vector(content.begin(), content.begin() + page_size));
    for (const std::size_t zero_page : {1, 2, 3, 5}) {
        EXPECT_EQ(f.user(zero_page * page_size, page_size), zeros) << "page " << zero_page;
    }
    EXPECT_NE(f.user(4 * page_size, page_size), zeros);
    EXPECT_EQ(f.state.kernel, f.scenario.kernel_content());
    for (const CursorId id : all_cursors) {
        EXPECT_EQ(f.state.cursor(id), (CursorWindow{kernel, kernel}));
    }
}

TEST(ReferenceModel, AUserCursorOutsideUserSpaceIsRefusedAndTheOldOneStays) {
    Fixture f({page(PageState::ReadWrite)});
    const auto denied = f.run({.kind = Operation::Kind::OpenUserReader, .offset = 10, .length = 2 * page_size});
    EXPECT_EQ(denied.outcome, failed(Error::AccessDenied));
    EXPECT_EQ(f.state.cursor(CursorId::UserReader), (CursorWindow{kernel, kernel}));
    f.open(Operation::Kind::OpenUserReader, 10, 100);
    EXPECT_EQ(f.state.cursor(CursorId::UserReader), (CursorWindow{f.area + 10, f.area + 110}));
}

TEST(ReferenceModel, ReadValIsAllOrNothing) {
    Fixture f({page(PageState::ReadWrite), page(PageState::Inaccessible)});
    f.open(Operation::Kind::OpenUserReader, page_size - 3, 16);
    const auto faulted = f.run({.kind = Operation::Kind::ReadVal, .type = ValueType::U64});
    EXPECT_EQ(faulted.outcome, failed(Error::PageFault));  // no count, no value
    EXPECT_EQ(faulted.stopped_by, PageState::Inaccessible);
    EXPECT_EQ(f.state.cursor(CursorId::UserReader).at, f.area + page_size - 3);  // not moved

    f.open(Operation::Kind::OpenUserReader, 8, 12);
    const auto read = f.run({.kind = Operation::Kind::ReadVal, .type = ValueType::U64});
    EXPECT_EQ(read.outcome, (OperationOutcome{std::nullopt, 8, f.user(8, 8)}));
    EXPECT_EQ(f.state.cursor(CursorId::UserReader).at, f.area + 16);
    EXPECT_EQ(f.run({.kind = Operation::Kind::ReadVal, .type = ValueType::U64}).outcome,
              failed(Error::InvalidArgs));  // 4 left
    EXPECT_EQ(f.state.cursor(CursorId::UserReader).at, f.area + 16);
}

TEST(ReferenceModel, AFaultingWriteValLeavesTheBytesBeforeTheFaultAndRollsTheCursorBack) {
    Fixture f({page(PageState::ReadWrite), page(PageState::ReadOnly)});
    f.open(Operation::Kind::OpenUserWriter, page_size - 2, 64);
    const std::vector<std::byte> after_fault = f.user(page_size, 6);
    const auto written = f.run({.kind = Operation::Kind::WriteVal, .type = ValueType::U64, .value = 0x1122334455667788});
    EXPECT_EQ(written.outcome, failed(Error::PageFault));
    EXPECT_EQ(written.stopped_by, PageState::ReadOnly);
    EXPECT_EQ(f.user(page_size - 2, 2), (std::vector{std::byte{0x88}, std::byte{0x77}}));
    EXPECT_EQ(f.user(page_size, 6), after_fault);
    EXPECT_EQ(f.state.cursor(CursorId::UserWriter).at, f.area + page_size - 2);
}

TEST(ReferenceModel, ATransferStopsAtTheFaultAndAdvancesBothCursorsByTheCount) {
    Fixture f({page(PageState::ReadWrite), page(PageState::Truncated)}, 200);
    f.open(Operation::Kind::OpenUserReader, page_size - 40, 100);
    f.open(Operation::Kind::OpenKernelWriter, 10, 150);
    const auto moved = f.run({.kind = Operation::Kind::Transfer, .transfer = Transfer::UserToKernel});
    EXPECT_EQ(moved.outcome, (OperationOutcome{Error::PageFault, 40, {}}));
    EXPECT_EQ(moved.stopped_by, PageState::Truncated);
    EXPECT_EQ(f.state.cursor(CursorId::UserReader).at, f.area + page_size);
    EXPECT_EQ(f.state.cursor(CursorId::KernelWriter).at, kernel + 50);
    EXPECT_EQ(std::vector(f.state.kernel.begin() + 10, f.state.kernel.begin() + 50), f.user(page_size - 40, 40));
}

TEST(ReferenceModel, FillZerosIsClampedToWhatIsLeft) {
    Fixture f({page(PageState::ReadWrite)});
    f.open(Operation::Kind::OpenUserWriter, 100, 10);
    EXPECT_EQ(f.run({.kind = Operation::Kind::FillZeros, .length = 50}).outcome, (OperationOutcome{std::nullopt, 10, {}}));
    EXPECT_EQ(f.user(100, 10), std::vector<std::byte>(10));
    EXPECT_NE(f.user(110, 1), std::vector<std::byte>(1));
}

TEST(ReferenceModel, AtomicsSkipToAlignmentAndDoNotMovePastTheValue) {
    Fixture f({page(PageState::ReadWrite)});
    f.open(Operation::Kind::OpenUserReader, 1, 16);
    const auto loaded = f.run({.kind = Operation::Kind::AtomicLoad, .type = ValueType::U32});
    EXPECT_EQ(loaded.outcome, (OperationOutcome{std::nullopt, 4, f.user(4, 4)}));
    EXPECT_EQ(f.state.cursor(CursorId::UserReader).at, f.area + 4);

    f.open(Operation::Kind::OpenUserWriter, 8, 8);
    const std::vector<std::byte> before = f.user(8, 8);
    auto refused = f.run({.kind = Operation::Kind::AtomicCompareExchange, .type = ValueType::U64, .value = 5});
    std::vector<std::byte> value = before;
    value.push_back(std::byte{0});  // not exchanged
    EXPECT_EQ(refused.outcome, (OperationOutcome{std::nullopt, 8, value}));
    EXPECT_EQ(f.user(8, 8), before);
    auto exchanged = f.run({.kind = Operation::Kind::AtomicCompareExchange, .type = ValueType::U64, .value = 5,
                            .expect_current = true});
    value.back() = std::byte{1};
    EXPECT_EQ(exchanged.outcome, (OperationOutcome{std::nullopt, 8, value}));
    EXPECT_EQ(f.user(8, 8), bytes_of_value(ValueType::U64, 5));
}

TEST(ReferenceModel, AFaultOnTouchPageFailsAtItsKthTouchAcrossActivations) {
    Fixture f({fault_on_touch(2)});
    f.open(Operation::Kind::OpenUserReader, 0, 64);
    EXPECT_EQ(f.run({.kind = Operation::Kind::ReadVal, .type = ValueType::U8}).outcome.error, std::nullopt);
    EXPECT_EQ(f.run({.kind = Operation::Kind::ReadVal, .type = ValueType::U8}).outcome.error, std::nullopt);  // resident
    model::reactivated(f.state);
    const auto second_touch = f.run({.kind = Operation::Kind::ReadVal, .type = ValueType::U8});
    EXPECT_EQ(second_touch.outcome, failed(Error::PageFault));
    EXPECT_EQ(second_touch.stopped_by, PageState::FaultOnTouch);
    EXPECT_FALSE(f.state.pages.contains(f.area));  // Inaccessible for good
}

TEST(ReferenceModel, RearmingGivesTheEquivalentFreshPage) {
    Fixture f({fault_on_touch(3), page(PageState::DemandZero)});
    f.state.pages.at(f.area).touches = 1;
    f.state.pages.at(f.area).resident = true;
    model::rearm(f.state);
    EXPECT_EQ(f.state.pages.at(f.area), fault_on_touch(2));
    EXPECT_EQ(f.state.pages.at(f.area + page_size), page(PageState::DemandZero));
}

}  // namespace
}  // namespace vmio::check::test
