// Exhaustive page-edge sweep: for every size 0..256 and every start offset from -size to
// +64 around a bad page, each fallible copy and fill variant must report exactly the bytes
// before the edge, copy them faithfully, leave the source alone, write nothing else, and
// record the first inaccessible byte as the fault address.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "edge_region.hpp"
#include "fault_access.hpp"
#include "variants.hpp"
#include "vmio/fault.hpp"

namespace vmio::test {
namespace {

constexpr std::ptrdiff_t max_size = 256;
constexpr std::ptrdiff_t max_offset_past_edge = 64;
constexpr std::size_t guard = 64;      // checked bytes on each side of a plain buffer
constexpr unsigned char untouched = 0x5a;
constexpr unsigned char fill_value = 0xc3;

unsigned char pattern(std::size_t i) { return static_cast<unsigned char>(i * 7 + 3); }

/// The bytes of a sweep case that lie before the edge.
std::size_t accessible(std::ptrdiff_t size, std::ptrdiff_t offset) {
    return static_cast<std::size_t>(std::clamp<std::ptrdiff_t>(-offset, 0, size));
}

/// Whether a sweep case cost the signals it should: none if the whole range was accessible;
/// one if it stopped at the edge on x86_64 (the handler hands the fault address to the exact
/// tail, which never touches the faulting page again) and for the byte loops; on aarch64 and
/// riscv64 a fault in the fast routine's 8-byte loop is followed by one more in the byte loop
/// it falls back to, at the same edge.
bool signals_as_expected(const Variant& variant, std::ptrdiff_t size, std::size_t done, std::uint64_t signals) {
    if (done == static_cast<std::size_t>(size)) {
        return signals == 0;
    }
#if defined(__x86_64__)
    (void)variant;
    return signals == 1;
#else
    return signals == 1 || (signals == 2 && std::string_view(variant.name) == "fast");
#endif
}

/// What last_fault() must say after a case: nothing if the whole range was accessible,
/// otherwise the first inaccessible byte of the range.
void expect_fault_record(const EdgeRegion& region, std::ptrdiff_t size, std::ptrdiff_t offset,
                         Access access, bool& ok) {
    const auto fault = last_fault();
    if (accessible(size, offset) == static_cast<std::size_t>(size)) {
        ok = !fault.has_value();
        EXPECT_FALSE(fault.has_value()) << "size " << size << " offset " << offset;
        return;
    }
    const auto expected = reinterpret_cast<std::uintptr_t>(region.edge() + std::max<std::ptrdiff_t>(offset, 0));
    ok = fault && fault->address == expected && fault->signal == region.signal() && access_matches(fault->access, access);
    EXPECT_TRUE(ok) << "size " << size << " offset " << offset << ": fault "
                    << (fault ? fault->address - reinterpret_cast<std::uintptr_t>(region.edge()) : -1UL)
                    << " past the edge, signal " << (fault ? fault->signal : 0) << ", access "
                    << (fault && fault->access ? static_cast<int>(*fault->access) : -1);
}

/// Checks `len` bytes at `p` against `expected(i)`; reports the first mismatch.
template <typename F>
bool bytes_are(const unsigned char* p, std::size_t len, F expected, const char* what, std::ptrdiff_t size,
               std::ptrdiff_t offset) {
    for (std::size_t i = 0; i < len; ++i) {
        if (p[i] != expected(i)) {
            ADD_FAILURE() << what << ": byte " << i << " is " << int{p[i]} << ", expected " << int{expected(i)}
                          << " (size " << size << " offset " << offset << ")";
            return false;
        }
    }
    return true;
}

using SweepParam = std::tuple<Variant, BadPage>;

std::string sweep_name(const testing::TestParamInfo<SweepParam>& info) {
    std::string name = std::string(std::get<0>(info.param).name) + "_" + name_of(std::get<1>(info.param));
    std::ranges::replace_if(name, [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
    return name;
}

class SourceFaultSweep : public testing::TestWithParam<SweepParam> {};
class DestinationFaultSweep : public testing::TestWithParam<SweepParam> {};
class FillFaultSweep : public testing::TestWithParam<SweepParam> {};

TEST_P(SourceFaultSweep, CountIsExactAndNothingElseChanges) {
    const auto [variant, kind] = GetParam();
    if (!exact_here(variant)) {
        GTEST_SKIP() << "valgrind's rep-string emulation updates %rcx before the faulting access";
    }
    const EdgeRegion region(kind);
    const std::size_t window = max_size + guard;  // source bytes that any case can read
    unsigned char* window_start = region.edge() - window;
    for (std::size_t i = 0; i < window; ++i) {
        window_start[i] = pattern(i);
    }
    std::vector<unsigned char> buffer(guard + max_size + guard);
    for (std::ptrdiff_t size = 0; size <= max_size; ++size) {
        for (std::ptrdiff_t offset = -size; offset <= max_offset_past_edge; ++offset) {
            std::ranges::fill(buffer, untouched);
            unsigned char* dst = buffer.data() + guard;
            const unsigned char* src = region.edge() + offset;
            clear_last_fault();
            const std::uint64_t faults_before = recovered_fault_count();
            const std::size_t left = variant.copy(dst, src, static_cast<std::size_t>(size));
            const std::size_t copied = accessible(size, offset);
            ASSERT_EQ(left, static_cast<std::size_t>(size) - copied) << "size " << size << " offset " << offset;
            ASSERT_TRUE(signals_as_expected(variant, size, copied, recovered_fault_count() - faults_before))
                << "size " << size << " offset " << offset;
            const std::size_t src_index = window + static_cast<std::size_t>(offset);  // index of src in window
            ASSERT_TRUE(bytes_are(dst, copied, [&](std::size_t i) { return pattern(src_index + i); }, "copied prefix",
                                  size, offset));
            ASSERT_TRUE(bytes_are(buffer.data(), guard, [](std::size_t) { return untouched; }, "before dst", size,
                                  offset));
            ASSERT_TRUE(bytes_are(dst + copied, buffer.size() - guard - copied, [](std::size_t) { return untouched; },
                                  "past the copied prefix", size, offset));
            ASSERT_TRUE(bytes_are(window_start, window, pattern, "source", size, offset));
            bool ok = true;
            expect_fault_record(region, size, offset, Access::Read, ok);
            ASSERT_TRUE(ok);
        }
    }
}

TEST_P(DestinationFaultSweep, CountIsExactAndNothingElseChanges) {
    const auto [variant, kind] = GetParam();
    if (!exact_here(variant)) {
        GTEST_SKIP() << "valgrind's rep-string emulation updates %rcx before the faulting access";
    }
    const EdgeRegion region(kind);
    const std::size_t window = guard + max_size;  // destination bytes before the edge that a case can see
    unsigned char* window_start = region.edge() - window;
    std::vector<unsigned char> source(max_size);
    for (std::size_t i = 0; i < source.size(); ++i) {
        source[i] = pattern(i);
    }
    for (std::ptrdiff_t size = 0; size <= max_size; ++size) {
        for (std::ptrdiff_t offset = -size; offset <= max_offset_past_edge; ++offset) {
            std::memset(window_start, untouched, window);
            unsigned char* dst = region.edge() + offset;
            clear_last_fault();
            const std::uint64_t faults_before = recovered_fault_count();
            const std::size_t left = variant.copy(dst, source.data(), static_cast<std::size_t>(size));
            const std::size_t copied = accessible(size, offset);
            ASSERT_EQ(left, static_cast<std::size_t>(size) - copied) << "size " << size << " offset " << offset;
            ASSERT_TRUE(signals_as_expected(variant, size, copied, recovered_fault_count() - faults_before))
                << "size " << size << " offset " << offset;
            const std::size_t dst_index = window - copied;  // where the prefix sits in the window
            ASSERT_TRUE(bytes_are(window_start, dst_index, [](std::size_t) { return untouched; }, "before dst", size,
                                  offset));
            ASSERT_TRUE(bytes_are(window_start + dst_index, copied, pattern, "copied prefix", size, offset));
            ASSERT_TRUE(bytes_are(source.data(), source.size(), pattern, "source", size, offset));
            if (kind == BadPage::ReadOnly) {
                ASSERT_TRUE(bytes_are(region.edge(), max_offset_past_edge + max_size, [](std::size_t) { return 0; },
                                      "read-only page", size, offset));
            }
            bool ok = true;
            expect_fault_record(region, size, offset, Access::Write, ok);
            ASSERT_TRUE(ok);
        }
    }
}

TEST_P(FillFaultSweep, CountIsExactAndNothingElseChanges) {
    const auto [variant, kind] = GetParam();
    if (!exact_here(variant)) {
        GTEST_SKIP() << "valgrind's rep-string emulation updates %rcx before the faulting access";
    }
    const EdgeRegion region(kind);
    const std::size_t window = guard + max_size;
    unsigned char* window_start = region.edge() - window;
    for (std::ptrdiff_t size = 0; size <= max_size; ++size) {
        for (std::ptrdiff_t offset = -size; offset <= max_offset_past_edge; ++offset) {
            std::memset(window_start, untouched, window);
            unsigned char* dst = region.edge() + offset;
            clear_last_fault();
            const std::uint64_t faults_before = recovered_fault_count();
            const std::size_t left = variant.fill(dst, fill_value, static_cast<std::size_t>(size));
            const std::size_t set = accessible(size, offset);
            ASSERT_EQ(left, static_cast<std::size_t>(size) - set) << "size " << size << " offset " << offset;
            ASSERT_TRUE(signals_as_expected(variant, size, set, recovered_fault_count() - faults_before))
                << "size " << size << " offset " << offset;
            ASSERT_TRUE(bytes_are(window_start, window - set, [](std::size_t) { return untouched; }, "before dst", size,
                                  offset));
            ASSERT_TRUE(bytes_are(window_start + window - set, set, [](std::size_t) { return fill_value; }, "set prefix",
                                  size, offset));
            if (kind == BadPage::ReadOnly) {
                ASSERT_TRUE(bytes_are(region.edge(), max_offset_past_edge + max_size, [](std::size_t) { return 0; },
                                      "read-only page", size, offset));
            }
            bool ok = true;
            expect_fault_record(region, size, offset, Access::Write, ok);
            ASSERT_TRUE(ok);
        }
    }
}

// Sizes past the small-size paths (the straight-line 257..512 path, the 64-byte loop and its
// aligned last blocks, the string-instruction path), with the edge at every byte of the first
// and last 130, around every 64-byte boundary of the destination up to 2 KiB, and every 61st.
class LargeSizeEdges : public testing::TestWithParam<SweepParam> {};

TEST_P(LargeSizeEdges, CopyAndFillStopExactlyAtTheEdge) {
    const auto [variant, kind] = GetParam();
    if (!exact_here(variant)) {
        GTEST_SKIP() << "valgrind's rep-string emulation updates %rcx before the faulting access";
    }
    constexpr std::size_t good_pages = 20;
    const EdgeRegion src_region(kind == BadPage::ReadOnly ? BadPage::None : kind, good_pages);
    const EdgeRegion dst_region(kind, good_pages);
    const std::size_t good = good_pages * page_size();
    for (std::size_t i = 0; i < good; ++i) {
        src_region.good()[i] = pattern(i);
    }
    std::vector<unsigned char> plain(good + guard);
    for (std::size_t i = 0; i < plain.size(); ++i) {
        plain[i] = pattern(i + 11);
    }
    const auto edge_here = [](std::size_t size, std::size_t before) {
        const bool near_a_block = size <= 2048 && (before % 64 <= 1 || before % 64 == 63);
        return before < 130 || size - before < 130 || near_a_block || before % 61 == 0;
    };
    for (const std::size_t size : {65UL, 100UL, 255UL, 257UL, 300UL, 511UL, 512UL, 513UL, 777UL, 1000UL, 1100UL, 2047UL,
                                   2048UL, 4095UL, 4096UL, 5000UL, 16384UL, 16385UL, 65536UL + 3}) {
        for (std::size_t before = 0; before <= std::min(size, good); ++before) {
            if (!edge_here(size, before)) {
                continue;
            }
            const std::size_t left_expected = size - before;
            // source faults
            std::vector<unsigned char> out(size + guard, untouched);
            clear_last_fault();
            const unsigned char* src = src_region.edge() - before;
            std::uint64_t faults_before = recovered_fault_count();
            ASSERT_EQ(variant.copy(out.data(), src, size), left_expected) << "read, size " << size << " before " << before;
            ASSERT_TRUE(signals_as_expected(variant, static_cast<std::ptrdiff_t>(size), before, recovered_fault_count() - faults_before))
                << "read, size " << size << " before " << before;
            ASSERT_EQ(std::memcmp(out.data(), src, before), 0) << "size " << size << " before " << before;
            ASSERT_TRUE(bytes_are(out.data() + before, out.size() - before, [](std::size_t) { return untouched; },
                                  "past the prefix", static_cast<std::ptrdiff_t>(size), -static_cast<std::ptrdiff_t>(before)));
            ASSERT_TRUE(before == size ? !last_fault() : last_fault()->address == reinterpret_cast<std::uintptr_t>(src_region.edge()));
            // destination faults
            clear_last_fault();
            unsigned char* dst = dst_region.edge() - before;
            // The guard bytes below the destination and the destination up to the edge.
            unsigned char* const watched = dst - std::min(guard, good - before);
            const std::size_t watched_len = static_cast<std::size_t>(dst_region.edge() - watched);
            std::memset(watched, untouched, watched_len);
            faults_before = recovered_fault_count();
            ASSERT_EQ(variant.copy(dst, plain.data(), size), left_expected) << "write, size " << size << " before " << before;
            ASSERT_TRUE(signals_as_expected(variant, static_cast<std::ptrdiff_t>(size), before, recovered_fault_count() - faults_before))
                << "write, size " << size << " before " << before;
            ASSERT_EQ(std::memcmp(dst, plain.data(), before), 0);
            ASSERT_TRUE(bytes_are(watched, watched_len - before, [](std::size_t) { return untouched; }, "before dst",
                                  static_cast<std::ptrdiff_t>(size), -static_cast<std::ptrdiff_t>(before)));
            ASSERT_TRUE(before == size ? !last_fault() : last_fault()->address == reinterpret_cast<std::uintptr_t>(dst_region.edge()));
            // fill
            std::memset(watched, untouched, watched_len);
            faults_before = recovered_fault_count();
            ASSERT_EQ(variant.fill(dst, fill_value, size), left_expected) << "fill, size " << size << " before " << before;
            ASSERT_TRUE(signals_as_expected(variant, static_cast<std::ptrdiff_t>(size), before, recovered_fault_count() - faults_before))
                << "fill, size " << size << " before " << before;
            ASSERT_TRUE(bytes_are(dst, before, [](std::size_t) { return fill_value; }, "set prefix",
                                  static_cast<std::ptrdiff_t>(size), -static_cast<std::ptrdiff_t>(before)));
            ASSERT_TRUE(bytes_are(watched, watched_len - before, [](std::size_t) { return untouched; }, "before dst",
                                  static_cast<std::ptrdiff_t>(size), -static_cast<std::ptrdiff_t>(before)));
        }
    }
}

// The fill byte is the value's low byte ((unsigned char)value), whatever its upper bits, on
// every size path and in the exact tail after a fault.
class FillValue : public testing::TestWithParam<Variant> {};

constexpr std::array<int, 6> wide_values{0x1AB, -1, 256, 0x7FFFFF80, -255, std::numeric_limits<int>::min()};

std::vector<std::size_t> fill_sizes() {
    std::vector<std::size_t> sizes;
    for (std::size_t n = 0; n <= 300; ++n) {
        sizes.push_back(n);
    }
    sizes.insert(sizes.end(), {4095, 4096, 4097, 65536 + 3});
    return sizes;
}

TEST_P(FillValue, SetsTheLowByteOfAnyInt) {
    const Variant variant = GetParam();
    std::vector<unsigned char> buffer(guard + 65536 + 3 + 1 + guard);
    for (const int value : wide_values) {
        const auto byte = static_cast<unsigned char>(value);
        for (const std::size_t n : fill_sizes()) {
            for (const std::size_t misalign : {0UL, 1UL}) {
                std::ranges::fill(buffer, untouched);
                unsigned char* dst = buffer.data() + guard + misalign;
                SCOPED_TRACE("value " + std::to_string(value));
                ASSERT_EQ(variant.fill(dst, value, n), 0U) << "size " << n;
                const std::ptrdiff_t sn = static_cast<std::ptrdiff_t>(n);
                const std::ptrdiff_t off = static_cast<std::ptrdiff_t>(misalign);
                ASSERT_TRUE(bytes_are(dst, n, [&](std::size_t) { return byte; }, "set", sn, off));
                ASSERT_TRUE(bytes_are(buffer.data(), guard + misalign, [](std::size_t) { return untouched; },
                                      "before dst", sn, off));
                ASSERT_TRUE(bytes_are(dst + n, guard, [](std::size_t) { return untouched; }, "past dst", sn, off));
            }
        }
    }
}

TEST_P(FillValue, TheExactTailSetsTheLowByteToo) {
    const Variant variant = GetParam();
    if (!exact_here(variant)) {
        GTEST_SKIP() << "valgrind's rep-string emulation updates %rcx before the faulting access";
    }
    const EdgeRegion region(BadPage::ReadOnly, 17);
    for (const int value : wide_values) {
        const auto byte = static_cast<unsigned char>(value);
        for (const std::size_t n : {2UL, 9UL, 17UL, 40UL, 100UL, 255UL, 300UL, 4097UL, 65536UL + 3}) {
            const std::size_t before = n / 2;
            std::memset(region.good(), untouched, 17 * page_size());
            unsigned char* dst = region.edge() - before;
            SCOPED_TRACE("value " + std::to_string(value));
            ASSERT_EQ(variant.fill(dst, value, n), n - before) << "size " << n;
            const std::ptrdiff_t sn = static_cast<std::ptrdiff_t>(n);
            const std::ptrdiff_t off = -static_cast<std::ptrdiff_t>(before);
            ASSERT_TRUE(bytes_are(dst, before, [&](std::size_t) { return byte; }, "set prefix", sn, off));
            ASSERT_TRUE(bytes_are(dst - guard, guard, [](std::size_t) { return untouched; }, "before dst", sn, off));
        }
    }
}

INSTANTIATE_TEST_SUITE_P(AllVariants, FillValue, testing::ValuesIn(all_variants()),
                         [](const testing::TestParamInfo<Variant>& info) { return std::string(info.param.name); });

INSTANTIATE_TEST_SUITE_P(AllVariants, LargeSizeEdges,
                         testing::Combine(testing::ValuesIn(all_variants()),
                                          testing::Values(BadPage::None, BadPage::ReadOnly, BadPage::Truncated)),
                         sweep_name);

INSTANTIATE_TEST_SUITE_P(AllVariants, SourceFaultSweep,
                         testing::Combine(testing::ValuesIn(all_variants()),
                                          testing::Values(BadPage::None, BadPage::Truncated)),
                         sweep_name);
INSTANTIATE_TEST_SUITE_P(AllVariants, DestinationFaultSweep,
                         testing::Combine(testing::ValuesIn(all_variants()),
                                          testing::Values(BadPage::None, BadPage::ReadOnly, BadPage::Truncated)),
                         sweep_name);
INSTANTIATE_TEST_SUITE_P(AllVariants, FillFaultSweep,
                         testing::Combine(testing::ValuesIn(all_variants()),
                                          testing::Values(BadPage::None, BadPage::ReadOnly, BadPage::Truncated)),
                         sweep_name);

}  // namespace
}  // namespace vmio::test
