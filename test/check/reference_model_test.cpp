// The reference model alone: model::step on hand-made states at made-up addresses (nothing is
// mapped, nothing runs), one rule of the VM I/O API per test.
#include <gtest/gtest.h>

#include <span>
#include <string>
#include <string_view>

#include "vmio/check/check.hpp"
#include "vmio/sim/sim.hpp"

namespace vmio::check::test {
namespace {

using namespace vmio::sim;

constexpr std::uintptr_t user_begin = 0x100000;
constexpr std::uintptr_t user_end = user_begin + 64 * page_size;
constexpr model::UserSpace user_space{user_begin, user_end};
constexpr std::uintptr_t kernel = 0x900000;
// fault_on_touch(2) after its first touch.
constexpr PageStatus first_touch_resolved{
    .state = PageState::FaultOnTouch, .failing_touch = 2, .touches = 1, .resident = true};

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
    void poke(std::size_t offset, std::string_view text) {
        std::ranges::copy(std::as_bytes(std::span(text)), state.user_at(area + offset, text.size()).begin());
    }
};

std::vector<std::byte> bytes_of(std::string_view text) {
    const auto bytes = std::as_bytes(std::span(text));
    return {bytes.begin(), bytes.end()};
}

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

TEST(ReferenceModel, ReadCStringReturnsTheBytesBeforeTheNulAndMovesJustPastIt) {
    Fixture f({page(PageState::ReadWrite)});
    f.poke(100, std::string_view("abc\0de\0", 7));
    f.open(Operation::Kind::OpenUserReader, 100, 50);
    const auto read = f.run({.kind = Operation::Kind::ReadCString, .length = 4});  // max_len counts the NUL
    EXPECT_EQ(read.outcome, (OperationOutcome{std::nullopt, 3, bytes_of("abc")}));
    EXPECT_EQ(f.state.cursor(CursorId::UserReader).at, f.area + 104);
    EXPECT_EQ(f.run({.kind = Operation::Kind::ReadCString, .length = 50}).outcome,
              (OperationOutcome{std::nullopt, 2, bytes_of("de")}));
    EXPECT_EQ(f.state.cursor(CursorId::UserReader).at, f.area + 107);
}

TEST(ReferenceModel, ReadCStringWithoutANulIsTooLongIfMaxLenEndedTheSearchElseInvalidArgs) {
    Fixture f({page(PageState::ReadWrite)});
    f.poke(100, "abcdefghij");
    f.open(Operation::Kind::OpenUserReader, 100, 10);
    for (const std::size_t max_len : {0, 4, 10}) {
        EXPECT_EQ(f.run({.kind = Operation::Kind::ReadCString, .length = max_len}).outcome, failed(Error::TooLong))
            << max_len;
    }
    EXPECT_EQ(f.run({.kind = Operation::Kind::ReadCString, .length = 11}).outcome, failed(Error::InvalidArgs));
    EXPECT_EQ(f.state.cursor(CursorId::UserReader).at, f.area + 100);
}

TEST(ReferenceModel, ReadCStringCutByABadPageFaultsAndLeavesTheCursor) {
    for (const PageState bad : {PageState::Inaccessible, PageState::Truncated}) {
        Fixture f({page(PageState::ReadWrite), page(bad)});
        f.poke(page_size - 200, std::string(200, 'x'));
        f.open(Operation::Kind::OpenUserReader, page_size - 200, 300);
        const auto cut = f.run({.kind = Operation::Kind::ReadCString, .length = 300});
        EXPECT_EQ(cut.outcome, failed(Error::PageFault));  // no count, no bytes
        EXPECT_EQ(cut.stopped_by, bad);
        EXPECT_EQ(f.state.cursor(CursorId::UserReader).at, f.area + page_size - 200);
    }
}

TEST(ReferenceModel, ReadCStringEndingAtTheLastAccessibleByteDoesNotFault) {
    Fixture f({page(PageState::ReadWrite), page(PageState::Inaccessible)});
    f.poke(page_size - 5, std::string_view("wxyz\0", 5));
    f.open(Operation::Kind::OpenUserReader, page_size - 5, 100);
    EXPECT_EQ(f.run({.kind = Operation::Kind::ReadCString, .length = 100}).outcome,
              (OperationOutcome{std::nullopt, 4, bytes_of("wxyz")}));
    EXPECT_EQ(f.state.cursor(CursorId::UserReader).at, f.area + page_size);
}

TEST(ReferenceModel, ReadCStringTouchesThePagesItReads) {
    Fixture f({page(PageState::ReadWrite), fault_on_touch(2), page(PageState::DemandZero), fault_on_touch(1)});
    f.poke(page_size - 8, std::string(page_size + 8, 'x'));
    f.open(Operation::Kind::OpenUserReader, page_size - 8, 3 * page_size);
    EXPECT_EQ(f.run({.kind = Operation::Kind::ReadCString, .length = 0}).outcome, failed(Error::TooLong));
    EXPECT_EQ(f.state.pages.at(f.area + page_size), fault_on_touch(2));  // searched nothing: untouched
    // Through the FaultOnTouch page (its first touch is resolved) to the demand-zero page's
    // first byte, a NUL; the whole chunk there is read, and the page after is not touched.
    const auto read = f.run({.kind = Operation::Kind::ReadCString, .length = 3 * page_size});
    EXPECT_EQ(read.outcome, (OperationOutcome{std::nullopt, page_size + 8, bytes_of(std::string(page_size + 8, 'x'))}));
    EXPECT_EQ(f.state.cursor(CursorId::UserReader).at, f.area + 2 * page_size + 1);
    EXPECT_EQ(f.state.pages.at(f.area + page_size), first_touch_resolved);
    EXPECT_EQ(f.state.pages.at(f.area + 2 * page_size), page(PageState::ReadWrite));
    EXPECT_EQ(f.state.pages.at(f.area + 3 * page_size), fault_on_touch(1));

    f.poke(2 * page_size, std::string(page_size, 'y'));  // no NUL left before the last page
    const auto cut = f.run({.kind = Operation::Kind::ReadCString, .length = 2 * page_size});
    EXPECT_EQ(cut.outcome, failed(Error::PageFault));
    EXPECT_EQ(cut.stopped_by, PageState::FaultOnTouch);
    EXPECT_FALSE(f.state.pages.contains(f.area + 3 * page_size));  // its only touch failed
    EXPECT_EQ(f.state.cursor(CursorId::UserReader).at, f.area + 2 * page_size + 1);
}

TEST(ReferenceModel, AtomicReadModifyWritesReturnTheOldValueAndStoreTheNewOne) {
    Fixture f({page(PageState::ReadWrite)});
    f.open(Operation::Kind::OpenUserWriter, 6, 10);  // skips to 8 for u64, stays at 8 for u32
    const auto run = [&](Operation::Kind kind, ValueType type, std::uint64_t value) {
        const std::vector<std::byte> before = f.user(8, size_of(type));
        const auto done = f.run({.kind = kind, .type = type, .value = value});
        EXPECT_EQ(f.state.cursor(CursorId::UserWriter).at, f.area + 8);
        EXPECT_EQ(done.outcome, (OperationOutcome{std::nullopt, size_of(type), before}));
    };
    run(Operation::Kind::AtomicExchange, ValueType::U64, 0x00000001'fffffffe);
    EXPECT_EQ(f.user(8, 8), bytes_of_value(ValueType::U64, 0x00000001'fffffffe));
    run(Operation::Kind::AtomicFetchAdd, ValueType::U32, 3);  // wraps within the u32
    EXPECT_EQ(f.user(8, 8), bytes_of_value(ValueType::U64, 0x00000001'00000001));
    run(Operation::Kind::AtomicFetchUpdate, ValueType::U64, 0);
    EXPECT_EQ(f.user(8, 8), bytes_of_value(ValueType::U64, 0x00000003'00000004));
    run(Operation::Kind::AtomicFetchUpdate, ValueType::U32, 0);
    EXPECT_EQ(f.user(8, 8), bytes_of_value(ValueType::U64, 0x00000003'0000000d));
    EXPECT_EQ(f.run({.kind = Operation::Kind::AtomicStore, .type = ValueType::U32, .value = 0x1'2345'6789}).outcome,
              (OperationOutcome{std::nullopt, 4, {}}));  // a store has no value
    EXPECT_EQ(f.user(8, 8), bytes_of_value(ValueType::U64, 0x00000003'23456789));
    f.open(Operation::Kind::OpenUserWriter, 12, 7);
    EXPECT_EQ(f.run({.kind = Operation::Kind::AtomicStore, .type = ValueType::U64}).outcome,
              failed(Error::InvalidArgs));
    EXPECT_EQ(f.state.cursor(CursorId::UserWriter).at, f.area + 16);  // padded, then too short
}

TEST(ReferenceModel, AtomicReadModifyWritesNeedAWritablePage) {
    using Kind = Operation::Kind;
    for (const Kind kind : {Kind::AtomicStore, Kind::AtomicExchange, Kind::AtomicFetchAdd, Kind::AtomicFetchUpdate}) {
        for (const PageStatus status : {page(PageState::Inaccessible), page(PageState::ReadOnly),
                                        page(PageState::Truncated), fault_on_touch(1)}) {
            Fixture f({status});
            f.open(Kind::OpenUserWriter, 8, 8);
            const std::vector<std::byte> before = f.user(8, 8);
            const auto faulted = f.run({.kind = kind, .type = ValueType::U64, .value = 1});
            EXPECT_EQ(faulted.outcome, failed(Error::PageFault)) << describe(status);
            EXPECT_EQ(faulted.stopped_by, status.state);
            EXPECT_EQ(f.user(8, 8), before);  // nothing stored
            const bool stays_mapped = status.state == PageState::ReadOnly || status.state == PageState::Truncated;
            EXPECT_EQ(f.state.pages.contains(f.area), stays_mapped);
        }
        for (const PageStatus status : {page(PageState::DemandZero), fault_on_touch(2)}) {
            Fixture f({status});
            f.open(Kind::OpenUserWriter, 8, 8);
            EXPECT_EQ(f.run({.kind = kind, .type = ValueType::U32, .value = 1}).outcome.error, std::nullopt)
                << describe(status);
            EXPECT_EQ(f.state.pages.at(f.area), status.state == PageState::DemandZero ? page(PageState::ReadWrite)
                                                                                      : first_touch_resolved);
        }
    }
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
