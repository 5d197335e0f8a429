// VmReader / VmWriter on memory that does not fault: Asterinas' behaviours one by one.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <numeric>
#include <vector>

#include "cursors.hpp"
#include "vmio/reader.hpp"
#include "vmio/writer.hpp"

namespace vmio::test {
namespace {

std::array<std::uint8_t, 32> counting_bytes() {
    std::array<std::uint8_t, 32> bytes{};
    std::iota(bytes.begin(), bytes.end(), std::uint8_t{1});
    return bytes;
}

TEST(Reader, FromSpanCoversTheSpan) {
    const auto bytes = counting_bytes();
    VmReader reader{std::span<const std::uint8_t>(bytes)};
    static_assert(std::same_as<decltype(reader), VmReader<Infallible>>);
    EXPECT_EQ(reader.remain(), bytes.size());
    EXPECT_EQ(reader.cursor(), reinterpret_cast<const std::byte*>(bytes.data()));
    EXPECT_TRUE(reader.has_remain());
    const std::array<std::byte, 4> raw{};
    EXPECT_EQ(VmReader<Infallible>(std::span(raw)).remain(), 4U);
}

TEST(Writer, FromSpanCoversTheSpan) {
    std::array<std::uint8_t, 8> bytes{};
    VmWriter writer{std::span<std::uint8_t>(bytes)};
    static_assert(std::same_as<decltype(writer), VmWriter<Infallible>>);
    EXPECT_EQ(writer.avail(), 8U);
    EXPECT_EQ(writer.cursor(), reinterpret_cast<std::byte*>(bytes.data()));
    std::array<std::byte, 3> raw{};
    EXPECT_EQ(VmWriter<Infallible>(std::span(raw)).avail(), 3U);
}

TEST(Reader, ReadCopiesTheShorterOfRemainAndAvailAndAdvancesBoth) {
    const auto src = counting_bytes();
    std::array<std::uint8_t, 10> dst{};
    auto reader = kernel_reader(src.data(), src.size());
    auto writer = kernel_writer(dst.data(), dst.size());
    EXPECT_EQ(reader.read(writer), 10U);
    EXPECT_EQ(reader.remain(), 22U);
    EXPECT_FALSE(writer.has_avail());
    EXPECT_EQ(dst[0], 1);
    EXPECT_EQ(dst[9], 10);
    EXPECT_EQ(reader.read(writer), 0U);
}

TEST(Writer, WriteIsReadTheOtherWayRound) {
    const auto src = counting_bytes();
    std::array<std::uint8_t, 40> dst{};
    auto reader = kernel_reader(src.data(), src.size());
    auto writer = kernel_writer(dst.data(), dst.size());
    EXPECT_EQ(writer.write(reader), 32U);
    EXPECT_FALSE(reader.has_remain());
    EXPECT_EQ(writer.avail(), 8U);
    EXPECT_EQ(dst[31], 32);
}

TEST(Reader, PartialReadThroughALimitedReaderCopiesExactlyTheLimit) {
    const auto src = counting_bytes();
    std::array<std::uint8_t, 32> dst{};
    auto reader = user_reader(src.data(), src.size());
    reader.limit(5);
    auto writer = kernel_writer(dst.data(), dst.size());
    const CopyResult copied = reader.read_fallible(writer);
    ASSERT_TRUE(copied.has_value());
    EXPECT_EQ(*copied, 5U);
    EXPECT_EQ(writer.avail(), 27U);
    EXPECT_EQ(dst[4], 5);
    EXPECT_EQ(dst[5], 0);
    EXPECT_FALSE(reader.has_remain());
}

TEST(Reader, LimitNeverLengthensAndSkipShortens) {
    const auto src = counting_bytes();
    auto reader = kernel_reader(src.data(), src.size());
    reader.limit(100);
    EXPECT_EQ(reader.remain(), 32U);
    reader.skip(4).limit(10);
    EXPECT_EQ(reader.remain(), 10U);
    EXPECT_EQ(reader.read_val<std::uint8_t>(), 5);
    reader.skip(9);
    EXPECT_EQ(reader.remain(), 0U);
    EXPECT_EQ(reader.read_val<std::uint8_t>().error(), Error::InvalidArgs);
    reader.skip(0);
}

TEST(Writer, LimitAndSkip) {
    std::array<std::uint8_t, 16> dst{};
    auto writer = kernel_writer(dst.data(), dst.size());
    writer.limit(8).skip(3);
    EXPECT_EQ(writer.avail(), 5U);
    EXPECT_EQ(writer.cursor(), reinterpret_cast<std::byte*>(dst.data() + 3));
    writer.limit(100);
    EXPECT_EQ(writer.avail(), 5U);
    EXPECT_EQ(writer.fill_zeros(100), 5U);
}

TEST(Reader, ReadValReadsAndAdvances) {
    const std::array<std::uint32_t, 2> words{0x11223344, 0x55667788};
    auto reader = kernel_reader(words.data(), sizeof words);
    EXPECT_EQ(reader.read_val<std::uint32_t>(), 0x11223344U);
    auto user = user_reader(words.data() + 1, 4);
    EXPECT_EQ(user.read_val<std::uint32_t>(), 0x55667788U);
    EXPECT_FALSE(user.has_remain());
}

TEST(Reader, ReadValOfFourBytesFromThreeIsInvalidArgsBothKinds) {
    const auto src = counting_bytes();
    auto infallible = kernel_reader(src.data(), 3);
    EXPECT_EQ(infallible.read_val<std::uint32_t>().error(), Error::InvalidArgs);
    EXPECT_EQ(infallible.remain(), 3U);
    auto fallible = user_reader(src.data(), 3);
    EXPECT_EQ(fallible.read_val<std::uint32_t>().error(), Error::InvalidArgs);
    EXPECT_EQ(fallible.remain(), 3U);
}

TEST(Writer, WriteValOfFourBytesIntoThreeIsInvalidArgsBothKinds) {
    std::array<std::uint8_t, 3> dst{};
    auto infallible = kernel_writer(dst.data(), 3);
    EXPECT_EQ(infallible.write_val(std::uint32_t{1}).error(), Error::InvalidArgs);
    auto fallible = user_writer(dst.data(), 3);
    EXPECT_EQ(fallible.write_val(std::uint32_t{1}).error(), Error::InvalidArgs);
    EXPECT_EQ(fallible.avail(), 3U);
    EXPECT_EQ(dst, (std::array<std::uint8_t, 3>{}));
}

TEST(Writer, WriteValWritesAndAdvancesBothKinds) {
    std::array<std::uint16_t, 2> dst{};
    auto infallible = kernel_writer(dst.data(), 2);
    EXPECT_TRUE(infallible.write_val(std::uint16_t{0xBEEF}).has_value());
    EXPECT_FALSE(infallible.has_avail());
    auto fallible = user_writer(dst.data() + 1, 2);
    EXPECT_TRUE(fallible.write_val(std::uint16_t{0xCAFE}).has_value());
    EXPECT_EQ(dst, (std::array<std::uint16_t, 2>{0xBEEF, 0xCAFE}));
}

struct alignas(4) Pair16 {
    std::uint16_t low;
    std::uint16_t high;
};

}  // namespace
}  // namespace vmio::test

template <>
inline constexpr bool vmio::enable_pod_once<vmio::test::Pair16> = true;

namespace vmio::test {
namespace {

TEST(Reader, ReadOnceReadsIntegersAndOptedInTypes) {
    const std::array<std::uint32_t, 2> words{0xAABBCCDD, 0x00020001};
    auto reader = kernel_reader(words.data(), sizeof words);
    EXPECT_EQ(reader.read_once<std::uint32_t>(), 0xAABBCCDDU);
    const Result<Pair16> pair = reader.read_once<Pair16>();
    ASSERT_TRUE(pair.has_value());
    EXPECT_EQ(pair->low, 1);
    EXPECT_EQ(pair->high, 2);
    EXPECT_EQ(reader.read_once<std::uint8_t>().error(), Error::InvalidArgs);
}

TEST(Reader, ReadOnceShortIsInvalidArgs) {
    const std::uint64_t word = 0;
    auto reader = kernel_reader(&word, 7);
    EXPECT_EQ(reader.read_once<std::uint64_t>().error(), Error::InvalidArgs);
    EXPECT_EQ(reader.remain(), 7U);
}

TEST(Writer, WriteOnceWritesAndShortIsInvalidArgs) {
    std::array<std::uint64_t, 2> dst{};
    auto writer = kernel_writer(dst.data(), 12);
    EXPECT_TRUE(writer.write_once(std::uint64_t{0x0102030405060708}).has_value());
    EXPECT_TRUE(writer.write_once(Pair16{7, 9}).has_value());
    EXPECT_EQ(writer.write_once(std::uint8_t{1}).error(), Error::InvalidArgs);
    EXPECT_EQ(dst[0], 0x0102030405060708U);
    EXPECT_EQ(dst[1], 0x0009'0007U);
}

TEST(Writer, FillRepeatsTheValueOverAllAvailableSpace) {
    std::array<std::uint32_t, 6> dst{};
    auto writer = kernel_writer(dst.data() + 1, 16);
    EXPECT_EQ(writer.fill(std::uint32_t{0xA5A5A5A5}), 4U);
    EXPECT_FALSE(writer.has_avail());
    EXPECT_EQ(dst, (std::array<std::uint32_t, 6>{0, 0xA5A5A5A5, 0xA5A5A5A5, 0xA5A5A5A5, 0xA5A5A5A5, 0}));
}

TEST(Writer, FillZerosFillsUpToAvailBothKinds) {
    std::array<std::uint8_t, 8> dst{};
    dst.fill(0xFF);
    auto infallible = kernel_writer(dst.data(), 4);
    EXPECT_EQ(infallible.fill_zeros(2), 2U);
    EXPECT_EQ(infallible.fill_zeros(10), 2U);
    auto fallible = user_writer(dst.data() + 4, 3);
    EXPECT_EQ(fallible.fill_zeros(100), CopyResult(3));
    EXPECT_EQ(fallible.fill_zeros(1), CopyResult(0));
    EXPECT_EQ(dst, (std::array<std::uint8_t, 8>{0, 0, 0, 0, 0, 0, 0, 0xFF}));
}

TEST(Reader, CollectOfALimitedReaderReturnsTheLimitedBytes) {
    const auto src = counting_bytes();
    auto reader = user_reader(src.data(), src.size());
    reader.skip(2).limit(4);
    const auto bytes = reader.collect();
    ASSERT_TRUE(bytes.has_value());
    EXPECT_EQ(*bytes, (std::vector<std::uint8_t>{3, 4, 5, 6}));
    EXPECT_FALSE(reader.has_remain());
    EXPECT_EQ(reader.collect(), Result<std::vector<std::uint8_t>>(std::vector<std::uint8_t>{}));
}

TEST(Reader, CollectOfMoreThanAVectorCanHoldIsNoMemory) {
    const std::array<std::uint8_t, 1> byte{};
    auto reader = user_reader(byte.data(), std::size_t{1} << 63);  // not read: the vector comes first
    EXPECT_EQ(reader.collect(), Result<std::vector<std::uint8_t>>(std::unexpected(Error::NoMemory)));
    EXPECT_EQ(reader.remain(), std::size_t{1} << 63);
}

TEST(Reader, ReadFallibleInEachOfAsterinasCombinations) {
    const auto src = counting_bytes();
    std::array<std::uint8_t, 32> dst{};
    {
        auto reader = user_reader(src.data(), 8);
        auto writer = kernel_writer(dst.data(), 32);
        EXPECT_EQ(reader.read_fallible(writer), CopyResult(8));
    }
    {
        auto reader = user_reader(src.data(), 32);
        auto writer = user_writer(dst.data(), 12);
        EXPECT_EQ(reader.read_fallible(writer), CopyResult(12));
        EXPECT_EQ(reader.remain(), 20U);
    }
    {
        auto reader = kernel_reader(src.data(), 32);
        auto writer = user_writer(dst.data(), 32);
        EXPECT_EQ(reader.read_fallible(writer), CopyResult(32));
        EXPECT_FALSE(writer.has_avail());
    }
    EXPECT_EQ(dst, src);
}

TEST(Writer, WriteFallibleInEachOfAsterinasCombinations) {
    const auto src = counting_bytes();
    std::array<std::uint8_t, 32> dst{};
    {
        auto reader = kernel_reader(src.data(), 32);
        auto writer = user_writer(dst.data(), 6);
        EXPECT_EQ(writer.write_fallible(reader), CopyResult(6));
        EXPECT_EQ(reader.remain(), 26U);
    }
    {
        auto reader = user_reader(src.data(), 32);
        auto writer = user_writer(dst.data(), 32);
        EXPECT_EQ(writer.write_fallible(reader), CopyResult(32));
    }
    {
        auto reader = user_reader(src.data(), 32);
        auto writer = kernel_writer(dst.data(), 7);
        EXPECT_EQ(writer.write_fallible(reader), CopyResult(7));
        EXPECT_EQ(reader.remain(), 25U);
    }
    EXPECT_EQ(dst, src);
}

TEST(Reader, CopiesReadIndependently) {
    const auto src = counting_bytes();
    auto reader = kernel_reader(src.data(), src.size());
    VmReader<Infallible> copy = reader;
    reader.skip(10);
    EXPECT_EQ(copy.remain(), 32U);
    EXPECT_EQ(copy.read_val<std::uint8_t>(), 1);
}

TEST(Writer, MovedFromWriterIsEmpty) {
    std::array<std::uint8_t, 8> dst{};
    auto writer = kernel_writer(dst.data(), dst.size());
    VmWriter<Infallible> moved = std::move(writer);
    EXPECT_EQ(moved.avail(), 8U);
    EXPECT_FALSE(writer.has_avail());  // NOLINT(bugprone-use-after-move): the moved-from state is specified
}

TEST(Cursors, ToFallibleKeepsTheRange) {
    const auto src = counting_bytes();
    std::array<std::uint8_t, 8> dst{};
    auto reader = kernel_reader(src.data(), src.size()).skip(3).to_fallible();
    static_assert(std::same_as<decltype(reader), VmReader<Fallible>>);
    EXPECT_EQ(reader.remain(), 29U);
    auto writer = kernel_writer(dst.data(), dst.size());
    writer.skip(1);
    VmWriter<Fallible> fallible = std::move(writer).to_fallible();
    EXPECT_EQ(fallible.avail(), 7U);
    EXPECT_FALSE(writer.has_avail());  // NOLINT(bugprone-use-after-move): to_fallible consumes
    EXPECT_EQ(reader.read_fallible(fallible), CopyResult(7));
    EXPECT_EQ(dst[1], 4);
}

TEST(Cursors, EmptyRangesAreNeverChecked) {
    auto reader = user_reader(nullptr, 0);
    auto writer = kernel_writer(nullptr, 0);
    EXPECT_FALSE(reader.has_remain());
    EXPECT_EQ(reader.read_fallible(writer), CopyResult(0));
    EXPECT_EQ(reader.collect(), Result<std::vector<std::uint8_t>>(std::vector<std::uint8_t>{}));
}

TEST(Atomics, LoadAndCompareExchangeDoNotMoveTheCursor) {
    std::uint64_t cell = 41;
    const auto reader = user_reader(&cell, sizeof cell);
    EXPECT_EQ(reader.atomic_load<std::uint64_t>(), 41U);
    EXPECT_EQ(reader.remain(), 8U);
    const auto writer = user_writer(&cell, sizeof cell);
    EXPECT_EQ(writer.atomic_compare_exchange(std::uint64_t{40}, std::uint64_t{1}),
              (Result<CompareExchange<std::uint64_t>>(CompareExchange<std::uint64_t>{41, false})));
    EXPECT_EQ(writer.atomic_compare_exchange(std::uint64_t{41}, std::uint64_t{42}),
              (Result<CompareExchange<std::uint64_t>>(CompareExchange<std::uint64_t>{41, true})));
    EXPECT_EQ(cell, 42U);
    EXPECT_EQ(writer.avail(), 8U);
}

TEST(Atomics, ShortCursorIsInvalidArgs) {
    std::uint64_t cell = 0;
    EXPECT_EQ(user_reader(&cell, 7).atomic_load<std::uint64_t>().error(), Error::InvalidArgs);
    EXPECT_EQ(user_reader(&cell, 3).atomic_load<std::uint32_t>().error(), Error::InvalidArgs);
    EXPECT_EQ(user_writer(&cell, 3).atomic_compare_exchange(std::uint32_t{0}, std::uint32_t{1}).error(),
              Error::InvalidArgs);
    EXPECT_EQ(cell, 0U);
}

}  // namespace
}  // namespace vmio::test
