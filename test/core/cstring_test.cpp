// VmReader::read_cstring at page edges. A string of every length 0..300 is placed with its NUL
// at every offset from 160 bytes before a bad page to 40 bytes into it, and a fallible reader
// that covers the bad page reads it (max_len = remain()):
// * NUL before the edge: exactly the bytes before the NUL, the cursor just after it, and no
//   access to the bad page (no fault, nothing resolved);
// * NUL at or past the edge: the bad page decides. PROT_NONE and a truncated memfd cut the
//   string: PageFault, the cursor unchanged, the fault recorded at the string's first byte on
//   the bad page; a read-only page is readable, so the string continues on it; a demand-zero
//   page (PROT_NONE until a resolver maps it read-write on its first fault, as a kernel maps a
//   fresh zero page) ends the string at its first byte, after exactly one resolved fault.
// Then the limits, with the NUL at the last accessible byte and with a string cut by the bad
// page, at every bound from one short of the string to one past the edge: a search bound by
// max_len ends in TooLong, one bound by the reader's end in InvalidArgs, one that reaches the
// bad page before a NUL in PageFault, and nothing past the bound is read. Then consecutive
// strings across pages, and an infallible reader. The cursor moves only on success, and the
// memory read is never modified.
#include <gtest/gtest.h>
#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "edge_region.hpp"
#include "fault_access.hpp"
#include "vmio/fault.hpp"
#include "vmio/reader.hpp"

namespace vmio::test {
namespace {

constexpr std::ptrdiff_t max_length = 300;
constexpr std::ptrdiff_t first_nul_offset = -160;  // NUL positions of the sweep, relative to the edge
constexpr std::ptrdiff_t last_nul_offset = 40;
constexpr std::ptrdiff_t window = 512;  // string bytes before the edge
static_assert(window >= max_length - first_nul_offset);
constexpr std::ptrdiff_t readable_tail = 64;  // string bytes on a read-only bad page
static_assert(readable_tail > last_nul_offset);

/// The string byte at index `i` of a window (the edge is index `window`): never NUL, and every
/// value 1..255 occurs, the high bit included.
unsigned char pattern(std::ptrdiff_t i) { return static_cast<unsigned char>(1 + (i * 7 + 3) % 255); }

/// What lies past the edge.
enum class Past {
    ProtNone,    ///< inaccessible: the string is cut
    Truncated,   ///< a memfd page beyond the end of its file (SIGBUS): cut too
    ReadOnly,    ///< readable: the string continues on it
    DemandZero,  ///< PROT_NONE until a resolver maps it read-write: its zeros end the string
};

const char* name_of(Past past) {
    switch (past) {
    case Past::ProtNone: return "PROT_NONE";
    case Past::Truncated: return "truncated_memfd";
    case Past::ReadOnly: return "read_only";
    case Past::DemandZero: return "demand_zero";
    }
    return "?";
}

std::ostream& operator<<(std::ostream& os, Past past) { return os << name_of(past); }

BadPage bad_page_of(Past past) {
    switch (past) {
    case Past::Truncated: return BadPage::Truncated;
    case Past::ReadOnly: return BadPage::ReadOnly;
    case Past::ProtNone:
    case Past::DemandZero: return BadPage::None;
    }
    return BadPage::None;
}

/// While it exists: maps the PROT_NONE page at `page` read-write on a fault in it, as a kernel
/// maps a fresh zero page (the page was never written, so it reads as zeros), and counts the
/// faults it resolved.
class DemandZeroResolver final : public FaultResolver {
public:
    explicit DemandZeroResolver(unsigned char* page) : page_(page), size_(page_size()) { set_fault_resolver(this); }
    ~DemandZeroResolver() { set_fault_resolver(nullptr); }
    DemandZeroResolver(const DemandZeroResolver&) = delete;
    DemandZeroResolver& operator=(const DemandZeroResolver&) = delete;

    bool resolve(const FaultInfo& fault) noexcept override {
        const auto* address = static_cast<const unsigned char*>(fault.address);
        if (address < page_ || address >= page_ + size_) {
            return false;
        }
        mprotect(page_, size_, PROT_READ | PROT_WRITE);
        resolved_.fetch_add(1, std::memory_order_relaxed);
        return true;
    }

    /// The faults resolved since the last call; makes the page PROT_NONE again if there were any.
    unsigned take_resolved() {
        const unsigned resolved = resolved_.exchange(0, std::memory_order_relaxed);
        if (resolved != 0) {
            mprotect(page_, size_, PROT_NONE);
        }
        return resolved;
    }

private:
    unsigned char* page_;
    std::size_t size_;
    std::atomic<unsigned> resolved_{0};
};

/// A region whose `window` bytes before the edge hold `pattern` (and so does the start of a
/// read-only bad page), addressed by index: index `window` is the edge. Remembers what it holds,
/// so that `unchanged()` can tell whether a read modified it.
class StringSite {
public:
    explicit StringSite(Past past) : region_(bad_page_of(past)) {
        const std::ptrdiff_t known = past == Past::ReadOnly ? window + readable_tail : window;
        image_.resize(static_cast<std::size_t>(known));
        for (std::ptrdiff_t i = 0; i < known; ++i) {
            image_[static_cast<std::size_t>(i)] = pattern(i);
        }
        std::memcpy(at(0), image_.data(), window);
        if (past == Past::ReadOnly) {
            set_bad_page_protection(PROT_READ | PROT_WRITE);
            std::memcpy(at(window), image_.data() + window, readable_tail);
            set_bad_page_protection(PROT_READ);
        }
        if (past == Past::DemandZero) {
            resolver_.emplace(region_.edge());
        }
    }

    [[nodiscard]] const EdgeRegion& region() const { return region_; }
    [[nodiscard]] unsigned char* at(std::ptrdiff_t index) const { return region_.edge() - window + index; }
    /// The end of the bad page.
    [[nodiscard]] unsigned char* end() const { return region_.edge() + page_size(); }
    /// Bytes from index `index` to the end of the bad page.
    [[nodiscard]] std::size_t to_end(std::ptrdiff_t index) const { return static_cast<std::size_t>(end() - at(index)); }

    /// Writes `value` at `index`, before the edge or on a read-only bad page.
    void set(std::ptrdiff_t index, unsigned char value) {
        image_[static_cast<std::size_t>(index)] = value;
        if (index < window) {
            *at(index) = value;
            return;
        }
        set_bad_page_protection(PROT_READ | PROT_WRITE);
        *at(index) = value;
        set_bad_page_protection(PROT_READ);
    }

    /// Whether the known bytes still hold what was written.
    [[nodiscard]] bool unchanged() const { return std::memcmp(at(0), image_.data(), image_.size()) == 0; }

    /// Demand-zero faults resolved since the last call (0 for other bad pages); the page is
    /// PROT_NONE again afterwards.
    unsigned take_resolved() { return resolver_ ? resolver_->take_resolved() : 0; }

private:
    void set_bad_page_protection(int protection) const { mprotect(region_.edge(), page_size(), protection); }

    EdgeRegion region_;
    std::vector<unsigned char> image_;
    std::optional<DemandZeroResolver> resolver_;
};

/// Whether `faults` signals are right for one read that stopped at a bad page: one on x86_64;
/// elsewhere the fast copy's fault may be followed by one more in the byte loop it falls back
/// to, at the same address.
bool one_stop(std::uint64_t faults) {
#if defined(__x86_64__)
    return faults == 1;
#else
    return faults == 1 || faults == 2;
#endif
}

/// Whether a read returned the `length` pattern bytes from window index `start` and moved the
/// cursor from `remain_before` to just past them and their NUL.
testing::AssertionResult read_the_string(const Result<std::string>& text, std::ptrdiff_t start, std::size_t length,
                                         std::size_t remain_before, std::size_t remain_after) {
    if (!text) {
        return testing::AssertionFailure() << "error " << to_string(text.error()) << ", expected " << length
                                           << " bytes";
    }
    if (text->size() != length) {
        return testing::AssertionFailure() << text->size() << " bytes, expected " << length;
    }
    for (std::size_t i = 0; i < length; ++i) {
        if (static_cast<unsigned char>((*text)[i]) != pattern(start + static_cast<std::ptrdiff_t>(i))) {
            return testing::AssertionFailure() << "byte " << i << " is " << int{static_cast<unsigned char>((*text)[i])}
                                               << ", expected " << int{pattern(start + static_cast<std::ptrdiff_t>(i))};
        }
    }
    if (remain_after != remain_before - length - 1) {
        return testing::AssertionFailure() << "the cursor moved by " << remain_before - remain_after << ", expected "
                                           << length + 1;
    }
    return testing::AssertionSuccess();
}

/// Whether a read failed with `error` and left the cursor alone.
testing::AssertionResult failed_with(const Result<std::string>& text, Error error, std::size_t remain_before,
                                     std::size_t remain_after) {
    if (text) {
        return testing::AssertionFailure() << "read " << text->size() << " bytes, expected " << to_string(error);
    }
    if (text.error() != error) {
        return testing::AssertionFailure() << "error " << to_string(text.error()) << ", expected " << to_string(error);
    }
    if (remain_after != remain_before) {
        return testing::AssertionFailure() << "the cursor moved by " << remain_before - remain_after;
    }
    return testing::AssertionSuccess();
}

/// Whether the calling thread's last fault is a read of `address` on `region`'s bad page.
testing::AssertionResult faulted_at(const EdgeRegion& region, const unsigned char* address) {
    const auto fault = last_fault();
    if (!fault) {
        return testing::AssertionFailure() << "no fault recorded";
    }
    if (fault->address != reinterpret_cast<std::uintptr_t>(address) || fault->signal != region.signal() ||
        !access_matches(fault->access, Access::Read)) {
        const auto past_edge =
            static_cast<std::ptrdiff_t>(fault->address - reinterpret_cast<std::uintptr_t>(region.edge()));
        return testing::AssertionFailure() << "fault " << past_edge << " bytes past the edge, signal " << fault->signal;
    }
    return testing::AssertionSuccess();
}

class CStringEdgeSweep : public testing::TestWithParam<Past> {};

TEST_P(CStringEdgeSweep, ReadsUpToTheNulOrStopsAtTheBadPage) {
    const Past past = GetParam();
    StringSite site(past);
    for (std::ptrdiff_t length = 0; length <= max_length; ++length) {
        for (std::ptrdiff_t nul_offset = first_nul_offset; nul_offset <= last_nul_offset; ++nul_offset) {
            const std::ptrdiff_t nul = window + nul_offset;
            const std::ptrdiff_t start = nul - length;
            const bool nul_is_readable = nul < window || past == Past::ReadOnly;
            if (nul_is_readable) {
                site.set(nul, 0);
            }
            auto reader = VmReader<Fallible>::from_user_space(site.at(start), site.to_end(start));
            const std::size_t remain_before = reader.remain();
            clear_last_fault();
            const std::uint64_t faults_before = recovered_fault_count();
            const Result<std::string> text = reader.read_cstring(remain_before);
            const std::uint64_t faults = recovered_fault_count() - faults_before;
            const unsigned resolved = site.take_resolved();

            const bool reaches_bad_page = nul >= window;
            if (nul_is_readable) {
                ASSERT_TRUE(read_the_string(text, start, static_cast<std::size_t>(length), remain_before,
                                            reader.remain()))
                    << name_of(past) << ", length " << length << ", NUL at " << nul_offset;
            } else if (past == Past::DemandZero) {
                const auto before_edge = static_cast<std::size_t>(std::max<std::ptrdiff_t>(window - start, 0));
                ASSERT_TRUE(read_the_string(text, start, before_edge, remain_before, reader.remain()))
                    << "length " << length << ", NUL at " << nul_offset;
            } else {
                ASSERT_TRUE(failed_with(text, Error::PageFault, remain_before, reader.remain()))
                    << name_of(past) << ", length " << length << ", NUL at " << nul_offset;
            }
            const bool faulted = reaches_bad_page && (past == Past::ProtNone || past == Past::Truncated);
            if (faulted) {
                ASSERT_TRUE(one_stop(faults)) << faults << " faults, length " << length << ", NUL at " << nul_offset;
                ASSERT_TRUE(faulted_at(site.region(), site.at(std::max(start, window))))
                    << name_of(past) << ", length " << length << ", NUL at " << nul_offset;
            } else {
                ASSERT_EQ(faults, 0U) << name_of(past) << ", length " << length << ", NUL at " << nul_offset;
                ASSERT_FALSE(last_fault().has_value());
            }
            ASSERT_EQ(resolved, past == Past::DemandZero && reaches_bad_page ? 1U : 0U)
                << "length " << length << ", NUL at " << nul_offset;
            if (nul_is_readable) {
                site.set(nul, pattern(nul));
            }
            ASSERT_TRUE(site.unchanged()) << name_of(past) << ", length " << length << ", NUL at " << nul_offset;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(EveryBadPage, CStringEdgeSweep,
                         testing::Values(Past::ProtNone, Past::Truncated, Past::ReadOnly, Past::DemandZero),
                         [](const testing::TestParamInfo<Past>& info) { return std::string(name_of(info.param)); });

/// What ends a search: max_len (the reader goes on to the end of the bad page), the reader's
/// end (max_len one more), or both at once.
enum class Bound { MaxLen, ReaderEnd, Both };

struct Limits {
    std::size_t max_len;
    std::size_t reader_len;
};

/// A search of `bound` bytes from an index that has `to_end` bytes to the end of the bad page.
Limits limits_of(Bound by, std::size_t bound, std::size_t to_end) {
    switch (by) {
    case Bound::MaxLen: return {bound, to_end};
    case Bound::ReaderEnd: return {bound + 1, bound};
    case Bound::Both: return {bound, bound};
    }
    return {bound, bound};
}

/// The error of a search that `by` ended without a NUL.
Error exhausted_error(Bound by) { return by == Bound::ReaderEnd ? Error::InvalidArgs : Error::TooLong; }

const char* name_of(Bound by) {
    switch (by) {
    case Bound::MaxLen: return "max_len";
    case Bound::ReaderEnd: return "reader end";
    case Bound::Both: return "max_len = reader end";
    }
    return "?";
}

constexpr std::array every_bound{Bound::MaxLen, Bound::ReaderEnd, Bound::Both};

class CStringLimits : public testing::TestWithParam<Past> {};

TEST_P(CStringLimits, NulAtTheLastAccessibleByte) {
    StringSite site(GetParam());
    site.set(window - 1, 0);
    for (std::ptrdiff_t length = 0; length <= max_length; ++length) {
        const std::ptrdiff_t start = window - 1 - length;
        const auto needed = static_cast<std::size_t>(length) + 1;  // the string and its NUL
        for (std::size_t bound = needed > 1 ? needed - 2 : 0; bound <= needed + 1; ++bound) {
            for (const Bound by : every_bound) {
                const Limits limits = limits_of(by, bound, site.to_end(start));
                auto reader = VmReader<Fallible>::from_user_space(site.at(start), limits.reader_len);
                clear_last_fault();
                const Result<std::string> text = reader.read_cstring(limits.max_len);
                if (bound >= needed) {
                    ASSERT_TRUE(read_the_string(text, start, static_cast<std::size_t>(length), limits.reader_len,
                                                reader.remain()))
                        << "length " << length << ", bound " << bound << " by " << name_of(by);
                } else {
                    ASSERT_TRUE(failed_with(text, exhausted_error(by), limits.reader_len, reader.remain()))
                        << "length " << length << ", bound " << bound << " by " << name_of(by);
                }
                ASSERT_FALSE(last_fault().has_value()) << "length " << length << ", bound " << bound;
            }
        }
    }
    ASSERT_TRUE(site.unchanged());
}

TEST_P(CStringLimits, StringCutByTheBadPage) {
    StringSite site(GetParam());
    for (std::ptrdiff_t accessible = 0; accessible <= max_length; ++accessible) {
        const std::ptrdiff_t start = window - accessible;
        const auto before_edge = static_cast<std::size_t>(accessible);
        for (std::size_t bound = before_edge > 0 ? before_edge - 1 : 0; bound <= before_edge + 2; ++bound) {
            for (const Bound by : every_bound) {
                const Limits limits = limits_of(by, bound, site.to_end(start));
                auto reader = VmReader<Fallible>::from_user_space(site.at(start), limits.reader_len);
                clear_last_fault();
                const Result<std::string> text = reader.read_cstring(limits.max_len);
                if (bound <= before_edge) {
                    ASSERT_TRUE(failed_with(text, exhausted_error(by), limits.reader_len, reader.remain()))
                        << accessible << " bytes before the edge, bound " << bound << " by " << name_of(by);
                    ASSERT_FALSE(last_fault().has_value()) << accessible << " bytes, bound " << bound;
                } else {
                    ASSERT_TRUE(failed_with(text, Error::PageFault, limits.reader_len, reader.remain()))
                        << accessible << " bytes before the edge, bound " << bound << " by " << name_of(by);
                    ASSERT_TRUE(faulted_at(site.region(), site.region().edge()))
                        << accessible << " bytes, bound " << bound << " by " << name_of(by);
                }
            }
        }
    }
    ASSERT_TRUE(site.unchanged());
}

INSTANTIATE_TEST_SUITE_P(InaccessibleBadPages, CStringLimits, testing::Values(Past::ProtNone, Past::Truncated),
                         [](const testing::TestParamInfo<Past>& info) { return std::string(name_of(info.param)); });

TEST(CString, EmptyLimitsReadNothing) {
    const EdgeRegion region(BadPage::None);
    auto at_edge = VmReader<Fallible>::from_user_space(region.edge(), 16);
    clear_last_fault();
    EXPECT_EQ(at_edge.read_cstring(0), std::unexpected(Error::TooLong));
    EXPECT_EQ(at_edge.remain(), 16U);
    auto empty = VmReader<Fallible>::from_user_space(region.edge(), 0);
    EXPECT_EQ(empty.read_cstring(0), std::unexpected(Error::TooLong));
    EXPECT_EQ(empty.read_cstring(1), std::unexpected(Error::InvalidArgs));
    EXPECT_FALSE(last_fault().has_value());
    region.edge()[-1] = 0;
    auto last_byte = VmReader<Fallible>::from_user_space(region.edge() - 1, 1);
    EXPECT_EQ(last_byte.read_cstring(1), std::string());
    EXPECT_EQ(last_byte.remain(), 0U);
}

TEST(CString, ConsecutiveStringsAcrossPages) {
    constexpr std::size_t good_pages = 3;
    const EdgeRegion region(BadPage::None, good_pages);
    const std::size_t good = good_pages * page_size();
    std::vector<std::string> strings;
    std::size_t used = 0;
    for (std::size_t i = 0; used < good; ++i) {
        const std::size_t length = std::min((i * 37) % (max_length + 1), good - used - 1);
        std::string s(length, '\0');
        for (std::size_t j = 0; j < length; ++j) {
            s[j] = static_cast<char>(pattern(static_cast<std::ptrdiff_t>(used + j)));
        }
        std::memcpy(region.good() + used, s.c_str(), length + 1);
        used += length + 1;
        strings.push_back(std::move(s));
    }
    auto reader = VmReader<Fallible>::from_user_space(region.good(), good + page_size());
    std::size_t remain = reader.remain();
    for (const std::string& expected : strings) {
        const Result<std::string> text = reader.read_cstring(max_length + 1);
        ASSERT_EQ(text, expected);
        ASSERT_EQ(reader.remain(), remain - expected.size() - 1);
        remain = reader.remain();
    }
    ASSERT_EQ(reinterpret_cast<const unsigned char*>(reader.cursor()), region.edge());
    EXPECT_EQ(reader.read_cstring(max_length + 1), std::unexpected(Error::PageFault));
    EXPECT_EQ(reader.remain(), page_size());
}

TEST(CString, InfallibleReader) {
    constexpr std::array<std::uint8_t, 14> bytes{'p', 'a', 't', 'h', 0, 0, 0xff, 0x80, 0, 't', 'a', 'i', 'l', '!'};
    VmReader<Infallible> reader{std::span(bytes)};
    EXPECT_EQ(reader.read_cstring(5), std::string("path"));
    EXPECT_EQ(reader.remain(), 9U);
    EXPECT_EQ(reader.read_cstring(1), std::string());
    EXPECT_EQ(reader.read_cstring(2), std::unexpected(Error::TooLong));
    EXPECT_EQ(reader.read_cstring(3), std::string("\xff\x80"));
    EXPECT_EQ(reader.remain(), 5U);
    EXPECT_EQ(reader.read_cstring(5), std::unexpected(Error::TooLong));
    EXPECT_EQ(reader.read_cstring(6), std::unexpected(Error::InvalidArgs));
    EXPECT_EQ(reader.read_cstring(100), std::unexpected(Error::InvalidArgs));
    EXPECT_EQ(reader.remain(), 5U);
}

}  // namespace
}  // namespace vmio::test
