// VmIo objects: VmBuffer, a fallible object built on the mixin, and pointer forwarding.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <ranges>
#include <vector>

#include "cursors.hpp"
#include "edge_region.hpp"
#include "vmio/has_vm_reader_writer.hpp"
#include "vmio/vm_buffer.hpp"
#include "vmio/vm_io.hpp"
#include "vmio/vm_io_pointer.hpp"

namespace vmio::test {
namespace {

constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max();

// A VM I/O object over memory that may fault: everything comes from reader() / writer().
class UserWindow : public HasVmReaderWriter<UserWindow> {
public:
    UserWindow(unsigned char* base, std::size_t size) : base_(base), size_(size) {}
    [[nodiscard]] VmReader<Fallible> reader() const { return user_reader(base_, size_); }
    [[nodiscard]] VmWriter<Fallible> writer() const { return user_writer(base_, size_); }

private:
    unsigned char* base_;
    std::size_t size_;
};

static_assert(VmIo<VmBuffer> && VmIoOnce<VmBuffer> && VmIoFill<VmBuffer>);
static_assert(VmIo<UserWindow> && VmIoFill<UserWindow>);
static_assert(!VmIoOnce<UserWindow>, "read_once needs infallible memory, as in Asterinas");

TEST(VmBuffer, StartsZeroedAndRoundTripsValues) {
    const VmBuffer buffer(16);
    EXPECT_EQ(buffer.read_val<std::uint64_t>(8), 0U);
    ASSERT_TRUE(buffer.write_val(4, std::uint32_t{0xDEADBEEF}).has_value());
    EXPECT_EQ(buffer.read_val<std::uint32_t>(4), 0xDEADBEEFU);
    EXPECT_EQ(buffer.bytes()[4], 0xEF);
}

// The error policy (vmio/error.hpp): a constructor that cannot allocate throws.
TEST(VmBuffer, ThatCannotBeAllocatedThrowsBadAlloc) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    GTEST_SKIP() << "the sanitizer's operator new ends the process instead of throwing";
#else
    std::uint8_t* volatile escape = nullptr;  // keeps the allocation from being optimised away
    EXPECT_THROW(escape = VmBuffer(kMax).bytes().data(), std::bad_alloc);
    EXPECT_EQ(escape, nullptr);
#endif
}

TEST(VmBuffer, BytesAndSlices) {
    const VmBuffer buffer(16);
    const std::array<std::uint8_t, 3> in{1, 2, 3};
    ASSERT_TRUE(buffer.write_bytes(13, in).has_value());
    std::array<std::byte, 3> out{};
    ASSERT_TRUE(buffer.read_bytes(13, out).has_value());
    EXPECT_EQ(out[2], std::byte{3});
    const std::vector<std::uint16_t> words{10, 20, 30};
    ASSERT_TRUE(buffer.write_slice(2, words).has_value());
    std::array<std::uint16_t, 3> back{};
    ASSERT_TRUE(buffer.read_slice(2, back).has_value());
    EXPECT_EQ(back, (std::array<std::uint16_t, 3>{10, 20, 30}));
}

TEST(VmBuffer, NoShortReadsOrWrites) {
    const VmBuffer buffer(16);
    std::array<std::uint8_t, 8> bytes{1, 1, 1, 1, 1, 1, 1, 1};
    EXPECT_EQ(buffer.read_bytes(9, bytes).error(), Error::InvalidArgs);
    EXPECT_EQ(bytes[0], 1) << "a failed read copied something";
    EXPECT_EQ(buffer.write_bytes(9, bytes).error(), Error::InvalidArgs);
    EXPECT_EQ(buffer.bytes()[9], 0) << "a failed write copied something";
    EXPECT_EQ(buffer.read_val<std::uint32_t>(13).error(), Error::InvalidArgs);
    EXPECT_EQ(buffer.read_val<std::uint32_t>(17).error(), Error::InvalidArgs);
    EXPECT_TRUE(buffer.read_bytes(16, std::span<std::uint8_t>{}).has_value());
}

TEST(VmBuffer, OffsetsThatOverflowAreErrorsNotWrapArounds) {
    const VmBuffer buffer(16);
    EXPECT_EQ(buffer.read_val<std::uint32_t>(kMax - 1).error(), Error::Overflow);
    EXPECT_EQ(buffer.write_val(kMax - 1, std::uint32_t{1}).error(), Error::Overflow);
    EXPECT_EQ(buffer.read_once<std::uint32_t>(kMax).error(), Error::InvalidArgs);
    EXPECT_EQ(buffer.write_once(kMax, std::uint32_t{1}).error(), Error::InvalidArgs);
    EXPECT_EQ(buffer.fill_zeros(kMax, 4), CopyResult(std::unexpected(CopyError{Error::InvalidArgs, 0})));
    EXPECT_EQ(buffer.write_vals(kMax - 2, std::array<std::uint32_t, 1>{1}, 8).error(), Error::Overflow);
}

TEST(VmBuffer, ReadOnceAndWriteOnceAtOffsets) {
    const VmBuffer buffer(16);
    ASSERT_TRUE(buffer.write_once(8, std::uint64_t{0x1122334455667788}).has_value());
    EXPECT_EQ(buffer.read_once<std::uint64_t>(8), 0x1122334455667788U);
    EXPECT_EQ(buffer.read_once<std::uint32_t>(12), 0x11223344U);
    EXPECT_EQ(buffer.read_once<std::uint64_t>(12).error(), Error::InvalidArgs);
    EXPECT_EQ(buffer.write_once(14, std::uint32_t{1}).error(), Error::InvalidArgs);
}

TEST(WriteVals, PackedWithAlignZeroOrOne) {
    for (const std::size_t align : {0U, 1U}) {
        const VmBuffer buffer(16);
        const std::array<std::uint16_t, 3> values{0x0101, 0x0202, 0x0303};
        EXPECT_EQ(buffer.write_vals(1, values, align), Result<std::size_t>(3));
        EXPECT_EQ(std::vector<std::uint8_t>(buffer.bytes().begin(), buffer.bytes().begin() + 8),
                  (std::vector<std::uint8_t>{0, 1, 1, 2, 2, 3, 3, 0}));
    }
}

TEST(WriteVals, AlignedToFourAndEight) {
    const VmBuffer four(16);
    EXPECT_EQ(four.write_vals(1, std::array<std::uint16_t, 3>{0xAAAA, 0xBBBB, 0xCCCC}, 4), Result<std::size_t>(3));
    EXPECT_EQ(four.read_val<std::uint16_t>(4), 0xAAAAU);
    EXPECT_EQ(four.read_val<std::uint16_t>(8), 0xBBBBU);
    EXPECT_EQ(four.read_val<std::uint16_t>(12), 0xCCCCU);
    EXPECT_EQ(four.bytes()[1], 0);

    const VmBuffer eight(32);
    EXPECT_EQ(eight.write_vals(0, std::array<std::uint32_t, 4>{1, 2, 3, 4}, 8), Result<std::size_t>(4));
    EXPECT_EQ(eight.read_val<std::uint32_t>(8), 2U);
    EXPECT_EQ(eight.read_val<std::uint32_t>(24), 4U);
    EXPECT_EQ(eight.read_val<std::uint32_t>(4), 0U);
}

struct Rgb {
    std::uint8_t r, g, b;
};
struct Thirteen {
    std::array<std::uint8_t, 13> bytes;
};
static_assert(sizeof(Rgb) == 3 && sizeof(Thirteen) == 13);

TEST(WriteVals, AlignedToTwoWithOddSizedValues) {
    const VmBuffer bytes(8);
    std::memset(bytes.bytes().data(), 0xEE, 8);
    EXPECT_EQ(bytes.write_vals(1, std::array<std::uint8_t, 3>{0xA1, 0xA2, 0xA3}, 2), Result<std::size_t>(3));
    EXPECT_EQ(std::vector<std::uint8_t>(bytes.bytes().begin(), bytes.bytes().end()),
              (std::vector<std::uint8_t>{0xEE, 0xEE, 0xA1, 0xEE, 0xA2, 0xEE, 0xA3, 0xEE}));

    // Offset 3 rounds up to 4 and each 3-byte value takes 4: at 4, 8, 12; 16 is past the end.
    const VmBuffer rgb(16);
    std::memset(rgb.bytes().data(), 0xEE, 16);
    const std::array<Rgb, 4> colours{{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}}};
    EXPECT_EQ(rgb.write_vals(3, colours, 2), Result<std::size_t>(3));
    EXPECT_EQ(std::vector<std::uint8_t>(rgb.bytes().begin(), rgb.bytes().end()),
              (std::vector<std::uint8_t>{0xEE, 0xEE, 0xEE, 0xEE, 1, 2, 3, 0xEE, 4, 5, 6, 0xEE, 7, 8, 9, 0xEE}));

    // Offset 1 rounds up to 2 and 13-byte values step by 14: at 2, 16, 30; a fourth (44..56) does
    // not fit in 50.
    const VmBuffer thirteen(50);
    std::memset(thirteen.bytes().data(), 0xEE, 50);
    std::array<Thirteen, 4> values{};
    std::vector<std::uint8_t> expected(50, 0xEE);
    for (std::size_t k = 0; k < values.size(); ++k) {
        std::ranges::fill(values[k].bytes, 0x50 + k);
        if (k < 3) {
            std::fill_n(expected.begin() + static_cast<std::ptrdiff_t>(2 + 14 * k), 13, 0x50 + k);
        }
    }
    EXPECT_EQ(thirteen.write_vals(1, values, 2), Result<std::size_t>(3));
    EXPECT_EQ(std::vector<std::uint8_t>(thirteen.bytes().begin(), thirteen.bytes().end()), expected);
}

TEST(WriteVals, StopsAtTheEndAndCountsWhatWasWritten) {
    const VmBuffer buffer(10);
    EXPECT_EQ(buffer.write_vals(0, std::views::iota(std::uint32_t{1}), 0), Result<std::size_t>(2));
    EXPECT_EQ(buffer.write_vals(2, std::views::iota(std::uint16_t{1}), 4), Result<std::size_t>(2));
    EXPECT_EQ(buffer.read_val<std::uint16_t>(8), 2U);
}

TEST(WriteVals, PastTheEndIsTheErrorOfTheFirstWrite) {
    const VmBuffer buffer(10);
    EXPECT_EQ(buffer.write_vals(8, std::array<std::uint32_t, 2>{1, 2}, 0).error(), Error::InvalidArgs);
    EXPECT_EQ(buffer.write_vals(7, std::array<std::uint32_t, 2>{1, 2}, 4).error(), Error::InvalidArgs);
    EXPECT_EQ(buffer.write_vals(0, std::array<std::uint32_t, 0>{}, 4), Result<std::size_t>(0));
}

TEST(FillZeros, OnAnObject) {
    const VmBuffer buffer(16);
    std::memset(buffer.bytes().data(), 0xFF, 16);
    EXPECT_EQ(buffer.fill_zeros(4, 8), CopyResult(8));
    EXPECT_EQ(buffer.bytes()[3], 0xFF);
    EXPECT_EQ(buffer.bytes()[4], 0);
    EXPECT_EQ(buffer.bytes()[11], 0);
    EXPECT_EQ(buffer.bytes()[12], 0xFF);
}

TEST(FillZeros, PastTheEndOfAnObject) {
    const VmBuffer buffer(16);
    std::memset(buffer.bytes().data(), 0xFF, 16);
    EXPECT_EQ(buffer.fill_zeros(17, 1), CopyResult(std::unexpected(CopyError{Error::InvalidArgs, 0})));
    EXPECT_EQ(buffer.fill_zeros(16, 1), CopyResult(std::unexpected(CopyError{Error::InvalidArgs, 0})));
    EXPECT_EQ(buffer.fill_zeros(12, 10), CopyResult(std::unexpected(CopyError{Error::InvalidArgs, 4})));
    EXPECT_EQ(buffer.bytes()[11], 0xFF);
    EXPECT_EQ(buffer.bytes()[15], 0);
    EXPECT_EQ(buffer.fill_zeros(16, 0), CopyResult(0));
}

TEST(FallibleObject, ReadAndWriteAcrossAFaultArePageFault) {
    const EdgeRegion region(BadPage::None);
    const UserWindow window(region.edge() - 16, 32);
    ASSERT_TRUE(window.write_val(8, std::uint64_t{7}).has_value());
    EXPECT_EQ(window.read_val<std::uint64_t>(8), 7U);
    EXPECT_EQ(window.read_val<std::uint64_t>(12).error(), Error::PageFault);
    EXPECT_EQ(window.write_val(12, std::uint64_t{1}).error(), Error::PageFault);
    EXPECT_EQ(window.read_val<std::uint64_t>(28).error(), Error::InvalidArgs);
    EXPECT_EQ(window.fill_zeros(10, 100), CopyResult(std::unexpected(CopyError{Error::PageFault, 6})));
    EXPECT_EQ(window.write_vals(0, std::views::iota(std::uint32_t{1}), 0), Result<std::size_t>(4));
}

TEST(FallibleObject, ReadIntoAWriterFillsItCompletely) {
    const VmBuffer buffer(8);
    ASSERT_TRUE(buffer.write_val(0, std::uint64_t{0x0807060504030201}).has_value());
    std::array<std::uint8_t, 4> dst{};
    auto writer = user_writer(dst.data(), dst.size());
    ASSERT_TRUE(buffer.read(2, writer).has_value());
    EXPECT_EQ(dst, (std::array<std::uint8_t, 4>{3, 4, 5, 6}));
    EXPECT_FALSE(writer.has_avail());
    auto reader = user_reader(dst.data(), dst.size());
    ASSERT_TRUE(buffer.write(4, reader).has_value());
    EXPECT_EQ(buffer.read_val<std::uint32_t>(4), 0x06050403U);
}

// An object whose read reports success without writing a byte. It breaks the rule against
// short transfers, but read_val must still return defined bytes.
class SilentReads : public VmIoDefaults<SilentReads> {
public:
    Result<void> read(std::size_t, VmWriter<Fallible>&) const { return {}; }
    Result<void> write(std::size_t, VmReader<Fallible>&) const { return {}; }
};

using Words = std::array<std::uint64_t, 8>;

// Fills the stack below the caller with ones, where the next call's frame will be.
[[gnu::noinline]] void dirty_the_stack() {
    volatile std::uint64_t garbage[256];
    for (auto& word : garbage) {
        word = ~std::uint64_t{0};
    }
}

[[gnu::noinline]] Result<Words> read_silently() { return SilentReads().read_val<Words>(0); }

TEST(VmIoDefaults, ReadValIsZeroWhereTheBytesReadWroteNothing) {
    dirty_the_stack();
    EXPECT_EQ(read_silently(), Words{});
}

// Generic code written once for objects and anything pointing to them.
template <VmIoObject P>
Result<std::uint32_t> bump(P& object) {
    auto& target = deref_vm_io(object);
    const Result<std::uint32_t> value = target.template read_val<std::uint32_t>(0);
    if (!value) {
        return value;
    }
    if (const Result<void> written = target.write_val(0, *value + 1); !written) {
        return std::unexpected(written.error());
    }
    return *value + 1;
}

TEST(PointerForwarding, ObjectsReferencesAndSmartPointersAllWork) {
    VmBuffer buffer(4);
    const VmBuffer& reference = buffer;
    VmBuffer* raw = &buffer;
    auto unique = std::make_unique<VmBuffer>(4);
    auto shared = std::make_shared<VmBuffer>(4);
    const auto shared_in_unique = std::make_unique<std::shared_ptr<VmBuffer>>(shared);
    EXPECT_EQ(bump(buffer), 1U);
    EXPECT_EQ(bump(reference), 2U);
    EXPECT_EQ(bump(raw), 3U);
    EXPECT_EQ(bump(unique), 1U);
    EXPECT_EQ(bump(shared), 1U);
    EXPECT_EQ(bump(shared_in_unique), 2U);
    static_assert(VmIoOnceObject<std::shared_ptr<VmBuffer>> && VmIoFillObject<const std::unique_ptr<VmBuffer>>);
    EXPECT_EQ(deref_vm_io(shared).read_once<std::uint32_t>(0), 2U);
    EXPECT_EQ(deref_vm_io(unique).fill_zeros(0, 4), CopyResult(4));
    static_assert(!VmIoObject<int> && !VmIoObject<std::unique_ptr<int>> && !VmIoObject<int*>);
}

}  // namespace
}  // namespace vmio::test
