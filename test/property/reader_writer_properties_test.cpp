// Properties of fallible readers and writers over simulated user memory, checked against the
// simulator's reference model: exact counts, errors, cursor positions, memory contents,
// nothing written outside the target, and rollback of read_val / write_val / collect.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "vmio/testing/generators.hpp"
#include "vmio/testing/sim_fixture.hpp"
#include "vmio/vmio.hpp"

namespace vmio::testing {
namespace {

constexpr std::size_t max_pages = 3;
constexpr std::size_t max_length = 2 * sim::page_size + 64;
constexpr std::size_t guard = 32;
constexpr std::byte untouched{0xee};

/// The bytes an operation reported, whether it succeeded or not.
std::size_t count_of(const CopyResult& result) { return result ? *result : result.error().copied; }

/// A kernel buffer with guard bytes on both sides of its `length` usable bytes.
struct GuardedBuffer {
    explicit GuardedBuffer(std::size_t length) : bytes(length + 2 * guard, untouched) {}
    std::span<std::byte> usable() { return std::span(bytes).subspan(guard, bytes.size() - 2 * guard); }
    [[nodiscard]] bool guards_untouched() const {
        const auto is_untouched = [](std::byte b) { return b == untouched; };
        return std::all_of(bytes.begin(), bytes.begin() + guard, is_untouched) &&
               std::all_of(bytes.end() - guard, bytes.end(), is_untouched);
    }
    std::vector<std::byte> bytes;
};

RC_GTEST_FIXTURE_PROP(SimTest, ReadFallibleFromUserMatchesTheModel, ()) {
    const auto layout = *gen::page_layout(max_pages);
    const auto range = *gen::range_in(layout.size() * sim::page_size, max_length);
    const std::size_t limit = *rc::gen::inRange<std::size_t>(0, range.length + 1);
    lay_out(layout);
    VmReader<Fallible> reader = space.reader(user(range.offset), range.length).value();
    reader.limit(limit);
    const std::byte* start = reader.cursor();
    GuardedBuffer kernel(range.length);
    const auto expected = expect_copy_from_user(user(range.offset), kernel.usable().first(limit));
    VmWriter<Infallible> writer(kernel.usable());
    const CopyResult result = reader.read_fallible(writer);
    RC_ASSERT((result == expected.result));
    RC_ASSERT(reader.cursor() == start + count_of(result));
    RC_ASSERT(writer.avail() == range.length - count_of(result));
    RC_ASSERT(std::ranges::equal(kernel.usable().first(limit), expected.destination));
    RC_ASSERT(std::ranges::all_of(kernel.usable().subspan(limit), [](std::byte b) { return b == untouched; }));
    RC_ASSERT(kernel.guards_untouched());
    RC_ASSERT((space.page_table() == expected.pages));
}

RC_GTEST_FIXTURE_PROP(SimTest, WriteFallibleToUserMatchesTheModelAndWritesNothingElse, ()) {
    const auto layout = *gen::page_layout(max_pages);
    const auto range = *gen::range_in(layout.size() * sim::page_size, max_length);
    const auto data = *gen::bytes(range.length);
    lay_out(layout);
    const std::size_t window = layout.size() * sim::page_size;
    const std::vector<std::byte> before = space.peek(user(), window);
    const auto expected = expect_copy_to_user(user(range.offset), data);
    VmWriter<Fallible> writer = space.writer(user(range.offset), range.length).value();
    VmReader<Infallible> source{std::span<const std::byte>(data)};
    const CopyResult result = writer.write_fallible(source);
    RC_ASSERT((result == expected.result));
    RC_ASSERT(source.remain() == range.length - count_of(result));
    RC_ASSERT(writer.avail() == range.length - count_of(result));
    std::vector<std::byte> after = space.peek(user(), window);
    RC_ASSERT(std::ranges::equal(std::span(after).subspan(range.offset, range.length), expected.destination));
    // Outside the target range nothing changed (demand-zero pages read as zero either way).
    std::ranges::copy(std::span(before).subspan(range.offset, range.length), after.begin() + range.offset);
    RC_ASSERT(after == before);
    RC_ASSERT((space.page_table() == expected.pages));
}

/// A value that is not a power-of-two size: it is copied with a mix of access widths.
struct Odd13 {
    std::array<std::uint8_t, 13> bytes;
};

/// The *_val and collect properties, for any value type.
class RollbackTest : public SimTest {
protected:
    template <typename T>
    void read_val_reads_or_rolls_back() {
        const auto layout = *gen::page_layout(max_pages);
        const auto range = *gen::range_in(layout.size() * sim::page_size, 3 * sizeof(T));
        lay_out(layout);
        VmReader<Fallible> reader = space.reader(user(range.offset), range.length).value();
        const std::byte* start = reader.cursor();
        std::array<std::byte, sizeof(T)> before{};
        const std::size_t wanted = std::min(sizeof(T), range.length);
        const auto expected = expect_copy_from_user(user(range.offset), std::span(before).first(wanted));
        const Result<T> value = reader.template read_val<T>();
        if (range.length < sizeof(T)) {
            RC_ASSERT((value.error() == Error::InvalidArgs));
            RC_ASSERT(reader.cursor() == start);
        } else if (expected.result) {
            RC_ASSERT(value.has_value());
            RC_ASSERT(std::memcmp(&*value, expected.destination.data(), sizeof(T)) == 0);
            RC_ASSERT(reader.cursor() == start + sizeof(T));
        } else {
            RC_ASSERT((value.error() == Error::PageFault));
            RC_ASSERT(reader.cursor() == start);  // rolled back
            RC_ASSERT(reader.remain() == range.length);
        }
    }

    template <typename T>
    void write_val_writes_or_rolls_back() {
        const auto layout = *gen::page_layout(max_pages);
        const auto range = *gen::range_in(layout.size() * sim::page_size, 3 * sizeof(T));
        const auto data = *gen::bytes(sizeof(T));
        lay_out(layout);
        T value;
        std::memcpy(&value, data.data(), sizeof(T));
        VmWriter<Fallible> writer = space.writer(user(range.offset), range.length).value();
        const std::byte* start = writer.cursor();
        const std::size_t wanted = std::min(sizeof(T), range.length);
        const auto expected = expect_copy_to_user(user(range.offset), std::span(data).first(wanted));
        const std::vector<std::byte> before = space.peek(user(range.offset), wanted);
        const Result<void> written = writer.write_val(value);
        const std::vector<std::byte> after = space.peek(user(range.offset), wanted);
        if (range.length < sizeof(T)) {
            RC_ASSERT((written.error() == Error::InvalidArgs));
            RC_ASSERT(after == before);  // checked before touching memory
            RC_ASSERT(writer.cursor() == start);
        } else if (expected.result) {
            RC_ASSERT(written.has_value());
            RC_ASSERT(after == expected.destination);
            RC_ASSERT(writer.cursor() == start + sizeof(T));
        } else {
            RC_ASSERT((written.error() == Error::PageFault));
            RC_ASSERT(after == expected.destination);  // the prefix before the fault, as in the seed
            RC_ASSERT(writer.cursor() == start);      // rolled back
        }
    }
};

RC_GTEST_FIXTURE_PROP(RollbackTest, ReadValU16, ()) { read_val_reads_or_rolls_back<std::uint16_t>(); }
RC_GTEST_FIXTURE_PROP(RollbackTest, ReadValU64, ()) { read_val_reads_or_rolls_back<std::uint64_t>(); }
RC_GTEST_FIXTURE_PROP(RollbackTest, ReadValOdd13, ()) { read_val_reads_or_rolls_back<Odd13>(); }
RC_GTEST_FIXTURE_PROP(RollbackTest, WriteValU32, ()) { write_val_writes_or_rolls_back<std::uint32_t>(); }
RC_GTEST_FIXTURE_PROP(RollbackTest, WriteValOdd13, ()) { write_val_writes_or_rolls_back<Odd13>(); }

RC_GTEST_FIXTURE_PROP(SimTest, CollectReadsEverythingOrRollsBack, ()) {
    const auto layout = *gen::page_layout(max_pages);
    const auto range = *gen::range_in(layout.size() * sim::page_size, max_length);
    const std::size_t skip = *rc::gen::inRange<std::size_t>(0, range.length + 1);
    lay_out(layout);
    VmReader<Fallible> reader = space.reader(user(range.offset), range.length).value();
    reader.skip(skip);
    const std::byte* start = reader.cursor();
    const std::vector<std::byte> before(range.length - skip);
    const auto expected = expect_copy_from_user(user(range.offset + skip), before);
    const auto collected = reader.collect();
    if (expected.result) {
        RC_ASSERT(collected.has_value());
        RC_ASSERT(std::ranges::equal(*collected, expected.destination,
                                     [](std::uint8_t a, std::byte b) { return a == std::to_integer<std::uint8_t>(b); }));
        RC_ASSERT(!reader.has_remain());
    } else {
        RC_ASSERT((collected.error() == Error::PageFault));
        RC_ASSERT(reader.cursor() == start);
    }
}

RC_GTEST_FIXTURE_PROP(SimTest, FillZerosAdvancesByExactlyTheBytesItSet, ()) {
    const auto layout = *gen::page_layout(max_pages);
    const auto range = *gen::range_in(layout.size() * sim::page_size, max_length);
    const std::size_t asked = *rc::gen::inRange<std::size_t>(0, range.length + 16);
    lay_out(layout);
    const std::size_t len = std::min(asked, range.length);
    const auto expected = check::model::fill_user(space.page_table(), user(range.offset), std::byte{0},
                                                space.peek(user(range.offset), len));
    VmWriter<Fallible> writer = space.writer(user(range.offset), range.length).value();
    const std::byte* start = writer.cursor();
    const CopyResult result = writer.fill_zeros(asked);
    RC_ASSERT((result == expected.result));
    RC_ASSERT(writer.cursor() == start + count_of(result));
    RC_ASSERT(space.peek(user(range.offset), len) == expected.destination);
}

}  // namespace
}  // namespace vmio::testing
