// The scenario decoder: total (every byte string is a scenario within bounds), deterministic
// and drawing every operation; the content it starts from; the ByteSource it reads with; the
// SplitMix64 generator seeds become bytes through.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "vmio/check/check.hpp"
#include "vmio/sim/sim.hpp"

namespace vmio::check::test {
namespace {

using namespace vmio::sim;

std::string describe_all(const Scenario& s) {
    std::string text = describe_layout(s);
    for (const Operation& op : s.operations) {
        text += "\n" + describe(op);
    }
    return text;
}

TEST(ScenarioDecoder, EveryByteStringDecodesToAScenarioWithinBounds) {
    std::mt19937_64 random(7);
    for (int i = 0; i < 3000; ++i) {
        std::vector<std::uint8_t> bytes(random() % 600);
        for (auto& b : bytes) {
            b = static_cast<std::uint8_t>(random());
        }
        const Scenario s = decode_scenario(bytes);
        ASSERT_GE(s.pages.size(), 1U);
        ASSERT_LE(s.pages.size(), 4U);
        ASSERT_GE(s.kernel_size, 1U);
        ASSERT_GE(s.operations.size(), 4U);  // the four cursors are always opened first
        for (const PageStatus& p : s.pages) {
            ASSERT_TRUE(p.state != PageState::FaultOnTouch || p.failing_touch >= 1);
        }
        for (const Operation& op : s.operations) {
            if (op.kind == Operation::Kind::OpenKernelReader || op.kind == Operation::Kind::OpenKernelWriter) {
                ASSERT_LE(op.offset + op.length, s.kernel_size);
            }
            if (op.kind == Operation::Kind::Raw) {
                ASSERT_LE(op.offset + op.length, s.area_size());
                ASSERT_LE(op.length, s.kernel_size);
            }
        }
    }
}

TEST(ScenarioDecoder, EmptyInputIsAValidScenario) {
    const Scenario s = decode_scenario({});
    EXPECT_EQ(s.pages.size(), 1U);
    EXPECT_EQ(s.operations.size(), 4U);
}

TEST(ScenarioDecoder, SameBytesSameScenarioAndSameSeedSameBytes) {
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
        const auto bytes = generate_bytes(seed);
        ASSERT_EQ(bytes, generate_bytes(seed));
        ASSERT_EQ(describe_all(decode_scenario(bytes)), describe_all(decode_scenario(bytes)));
    }
    EXPECT_NE(generate_bytes(1), generate_bytes(2));
}

TEST(ScenarioDecoder, GeneratedScenariosDrawEveryOperationKind) {
    std::set<Operation::Kind> drawn;
    for (std::uint64_t seed = 0; seed < 100; ++seed) {
        for (const Operation& op : decode_scenario(generate_bytes(seed)).operations) {
            drawn.insert(op.kind);
        }
    }
    EXPECT_EQ(drawn.size(), all_operation_kinds.size());
}

TEST(SplitMix64, NthIsTheDrawOfTheStreamAtThatPlace) {
    SplitMix64 stream(42);
    for (std::uint64_t n = 0; n < 100; ++n) {
        EXPECT_EQ(SplitMix64::nth(42, n), stream()) << "draw " << n;
    }
}

TEST(ScenarioContent, HasNulsForCStringsAtADensityTheSeedChooses) {
    const std::size_t mean_gaps[] = {0, 16, 128, 1024};  // by content_seed % 4; 0: no NUL
    for (std::uint32_t seed = 0; seed < 8; ++seed) {
        const Scenario s{.pages = std::vector(4, page(PageState::ReadWrite)), .content_seed = seed, .kernel_size = 1,
                         .operations = {}};
        const std::vector<std::byte> all = s.user_content();
        const std::span content = std::span(all).first(s.pages.size() * page_size);  // not the unmapped page
        const auto nuls = static_cast<std::size_t>(std::ranges::count(content, std::byte{0}));
        const std::size_t gap = mean_gaps[seed % 4];
        if (gap == 0) {
            EXPECT_EQ(nuls, 0U) << "seed " << seed;
        } else {
            EXPECT_GT(nuls, content.size() / gap / 2) << "seed " << seed;
            EXPECT_LT(nuls, content.size() / gap * 2) << "seed " << seed;
        }
    }
}

TEST(ScenarioContent, APageMayStartWithANulSoThatAStringCanEndAtThePageEdge) {
    std::size_t starting_with_nul = 0;
    for (std::uint32_t seed = 1; seed < 4 * 256; seed += 4) {  // a NUL every 16 bytes or so
        const Scenario s{.pages = {page(PageState::ReadWrite), page(PageState::ReadWrite)}, .content_seed = seed,
                         .kernel_size = 1, .operations = {}};
        const std::vector<std::byte> content = s.user_content();
        starting_with_nul += (content[0] == std::byte{0} ? 1 : 0) + (content[page_size] == std::byte{0} ? 1 : 0);
    }
    EXPECT_GT(starting_with_nul, 4U);  // about one page in 32: 16 of these 512
    EXPECT_LT(starting_with_nul, 48U);
}

TEST(ScenarioContent, APagesBytesDependOnTheSeedAndItsPlaceNotOnTheOtherPages) {
    const auto content_of = [](std::vector<PageStatus> pages) {
        return Scenario{.pages = std::move(pages), .content_seed = 7, .kernel_size = 1, .operations = {}}.user_content();
    };
    const std::vector<std::byte> all = content_of({page(PageState::ReadWrite), page(PageState::ReadOnly),
                                                   page(PageState::ReadWrite)});
    const std::vector<std::byte> gap = content_of({page(PageState::ReadWrite), page(PageState::DemandZero),
                                                   page(PageState::ReadWrite)});
    const auto page_of = [](const std::vector<std::byte>& bytes, std::size_t i) {
        return std::vector(bytes.begin() + static_cast<std::ptrdiff_t>(i * page_size),
                           bytes.begin() + static_cast<std::ptrdiff_t>((i + 1) * page_size));
    };
    EXPECT_EQ(page_of(gap, 0), page_of(all, 0));
    EXPECT_EQ(page_of(gap, 1), std::vector<std::byte>(page_size));  // demand-zero: zeros
    EXPECT_EQ(page_of(gap, 2), page_of(all, 2));
    EXPECT_NE(page_of(all, 0), page_of(all, 2));
    EXPECT_EQ(page_of(all, 3), std::vector<std::byte>(page_size));  // the unmapped page after
}

TEST(ByteSource, TakesAsFewBytesAsTheBoundNeedsAndZerosOnceExhausted) {
    const std::vector<std::uint8_t> bytes{0x07, 0x01, 0x02, 0xff, 0x10, 0x20, 0x30, 0x40, 0x50};
    ByteSource in(bytes);
    EXPECT_EQ(in.below(1), 0U);  // one value: no byte taken
    EXPECT_EQ(in.below(256), 0x07U);
    EXPECT_EQ(in.below(257), 0x0102U % 257);  // two bytes, big-endian, reduced
    EXPECT_EQ(in.in_range(10, 12), 10U + 0xffU % 3);
    EXPECT_EQ(in.word(4), 0x40302010U);  // little-endian
    EXPECT_FALSE(in.empty());
    EXPECT_EQ(in.byte(), 0x50U);
    EXPECT_TRUE(in.empty());
    EXPECT_EQ(in.byte(), 0U);
    EXPECT_EQ(in.word(), 0U);
    EXPECT_EQ(in.below(1000), 0U);
}

TEST(ByteSource, PicksFromATableByIndex) {
    const std::vector<std::uint8_t> bytes{2, 5, 1};
    ByteSource in(bytes);
    EXPECT_EQ(in.pick(all_page_states), PageState::ReadOnly);
    EXPECT_EQ(in.pick(all_page_states), PageState::FaultOnTouch);
    EXPECT_EQ(in.pick(atomic_value_types), ValueType::U64);
    EXPECT_EQ(in.pick(all_raw_ops), RawOp::CopyFromUser);  // exhausted: the first
}

}  // namespace
}  // namespace vmio::check::test
