// Rollback under real faults: values, collections and fills that straddle an inaccessible
// page, at every offset of the straddle.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "cursors.hpp"
#include "edge_region.hpp"
#include "vmio/reader.hpp"
#include "vmio/writer.hpp"

namespace vmio::test {
namespace {

constexpr std::uint8_t kPattern = 0xA5;

// An odd-sized value, so that a straddle is never a multiple of a copy width.
using Odd13 = std::array<std::uint8_t, 13>;

// Bad pages on which loads fault (a read-only page reads fine).
const BadPage kUnreadable[] = {BadPage::None, BadPage::Truncated};
const BadPage kUnwritable[] = {BadPage::None, BadPage::ReadOnly, BadPage::Truncated};

template <typename T>
class Straddle : public testing::Test {};
using StraddleTypes = testing::Types<std::uint16_t, std::uint32_t, std::uint64_t, Odd13>;
TYPED_TEST_SUITE(Straddle, StraddleTypes);

TYPED_TEST(Straddle, ReadValFaultsWithTheCursorUnchanged) {
    for (const BadPage kind : kUnreadable) {
        const EdgeRegion region(kind);
        for (std::size_t before = 1; before < sizeof(TypeParam); ++before) {
            SCOPED_TRACE(testing::Message() << name_of(kind) << ", " << before << " bytes before the edge");
            const unsigned char* start = region.edge() - before;
            auto reader = user_reader(start, before + 64);
            EXPECT_EQ(reader.template read_val<TypeParam>().error(), Error::PageFault);
            EXPECT_EQ(reader.cursor(), reinterpret_cast<const std::byte*>(start));
            EXPECT_EQ(reader.remain(), before + 64);
        }
    }
}

TYPED_TEST(Straddle, ReadValJustBeforeTheEdgeSucceeds) {
    const EdgeRegion region(BadPage::None);
    std::memset(region.edge() - sizeof(TypeParam), kPattern, sizeof(TypeParam));
    auto reader = user_reader(region.edge() - sizeof(TypeParam), sizeof(TypeParam) + 64);
    const Result<TypeParam> value = reader.template read_val<TypeParam>();
    ASSERT_TRUE(value.has_value());
    EXPECT_EQ(std::memcmp(&*value, region.edge() - sizeof(TypeParam), sizeof(TypeParam)), 0);
    EXPECT_EQ(reader.remain(), 64U);
}

TYPED_TEST(Straddle, WriteValFaultsWithTheCursorUnchangedAndNothingPastTheEdge) {
    for (const BadPage kind : kUnwritable) {
        const EdgeRegion region(kind);
        for (std::size_t before = 1; before < sizeof(TypeParam); ++before) {
            SCOPED_TRACE(testing::Message() << name_of(kind) << ", " << before << " bytes before the edge");
            unsigned char* start = region.edge() - before;
            std::memset(region.good(), 0, 64);
            auto writer = user_writer(start, before + 64);
            TypeParam value;
            std::memset(&value, kPattern, sizeof value);
            EXPECT_EQ(writer.write_val(value).error(), Error::PageFault);
            EXPECT_EQ(writer.cursor(), reinterpret_cast<std::byte*>(start));
            EXPECT_EQ(writer.avail(), before + 64);
            if (kind == BadPage::ReadOnly) {
                EXPECT_EQ(region.edge()[0], 0) << "a byte past the fault was written";
            }
        }
    }
}

TEST(Collect, FaultLeavesTheCursorUnchanged) {
    for (const BadPage kind : kUnreadable) {
        const EdgeRegion region(kind);
        for (std::size_t before = 0; before < 40; ++before) {
            SCOPED_TRACE(testing::Message() << name_of(kind) << ", " << before << " bytes before the edge");
            const unsigned char* start = region.edge() - before;
            auto reader = user_reader(start, before + 24);
            EXPECT_EQ(reader.collect().error(), Error::PageFault);
            EXPECT_EQ(reader.cursor(), reinterpret_cast<const std::byte*>(start));
            EXPECT_EQ(reader.remain(), before + 24);
        }
    }
}

TEST(Collect, UpToTheEdgeSucceeds) {
    const EdgeRegion region(BadPage::Truncated);
    std::memset(region.edge() - 100, kPattern, 100);
    auto reader = user_reader(region.edge() - 100, 100);
    const auto bytes = reader.collect();
    ASSERT_TRUE(bytes.has_value());
    EXPECT_EQ(*bytes, std::vector<std::uint8_t>(100, kPattern));
}

TEST(FillZeros, FaultAdvancesByExactlyTheBytesSet) {
    for (const BadPage kind : kUnwritable) {
        const EdgeRegion region(kind);
        for (std::size_t before = 0; before < 40; ++before) {
            SCOPED_TRACE(testing::Message() << name_of(kind) << ", " << before << " bytes before the edge");
            std::memset(region.edge() - 64, kPattern, 64);
            unsigned char* start = region.edge() - before;
            auto writer = user_writer(start, before + 16);
            EXPECT_EQ(writer.fill_zeros(1000), CopyResult(std::unexpected(CopyError{Error::PageFault, before})));
            EXPECT_EQ(writer.cursor(), reinterpret_cast<std::byte*>(region.edge()));
            EXPECT_EQ(writer.avail(), 16U);
            EXPECT_EQ(std::vector<unsigned char>(start, region.edge()), std::vector<unsigned char>(before, 0));
            EXPECT_EQ(start[-1], kPattern) << "a byte before the writer was touched";
            if (kind == BadPage::ReadOnly) {
                EXPECT_EQ(region.edge()[0], 0) << "read-only page changed";
            }
        }
    }
}

TEST(ReadFallible, FaultAdvancesBothCursorsByTheBytesCopied) {
    for (const BadPage kind : kUnreadable) {
        const EdgeRegion region(kind);
        for (std::size_t before = 0; before < 40; ++before) {
            SCOPED_TRACE(testing::Message() << name_of(kind) << ", " << before << " bytes before the edge");
            std::memset(region.edge() - before, kPattern, before);
            std::array<std::uint8_t, 64> dst{};
            auto reader = user_reader(region.edge() - before, 64);
            auto writer = kernel_writer(dst.data(), dst.size());
            EXPECT_EQ(reader.read_fallible(writer), CopyResult(std::unexpected(CopyError{Error::PageFault, before})));
            EXPECT_EQ(reader.cursor(), reinterpret_cast<const std::byte*>(region.edge()));
            EXPECT_EQ(writer.avail(), 64 - before);
            for (std::size_t i = 0; i < dst.size(); ++i) {
                ASSERT_EQ(dst[i], i < before ? kPattern : 0) << "at " << i;
            }
        }
    }
}

TEST(WriteFallible, FaultAdvancesBothCursorsByTheBytesCopied) {
    for (const BadPage kind : kUnwritable) {
        const EdgeRegion region(kind);
        for (std::size_t before = 0; before < 40; ++before) {
            SCOPED_TRACE(testing::Message() << name_of(kind) << ", " << before << " bytes before the edge");
            std::array<std::uint8_t, 64> src{};
            src.fill(kPattern);
            auto reader = kernel_reader(src.data(), src.size());
            auto writer = user_writer(region.edge() - before, 64);
            EXPECT_EQ(writer.write_fallible(reader), CopyResult(std::unexpected(CopyError{Error::PageFault, before})));
            EXPECT_EQ(reader.remain(), 64 - before);
            EXPECT_EQ(writer.cursor(), reinterpret_cast<std::byte*>(region.edge()));
        }
    }
}

TEST(Atomics, FaultIsPageFaultAndTheCursorStays) {
    const EdgeRegion region(BadPage::None);
    const auto reader = user_reader(region.edge(), 8);
    EXPECT_EQ(reader.atomic_load<std::uint32_t>().error(), Error::PageFault);
    const auto writer = user_writer(region.edge(), 8);
    EXPECT_EQ(writer.atomic_compare_exchange(std::uint64_t{0}, std::uint64_t{1}).error(), Error::PageFault);
    EXPECT_EQ(writer.avail(), 8U);
}

}  // namespace
}  // namespace vmio::test
