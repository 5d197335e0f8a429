// Install test: a GoogleTest program using vmio-testing / vmio::testing: the SimTest fixture,
// with a plain test and a RapidCheck property (linked with gtest_main).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

#include <vmio/testing/sim_fixture.hpp>

namespace {

using vmio::sim::page;
using vmio::sim::page_size;
using vmio::sim::PageState;

// TEST_F and RC_GTEST_FIXTURE_PROP take an unqualified fixture name.
class ConsumerTest : public vmio::testing::SimTest {};

constexpr std::array readable_then_not{page(PageState::ReadWrite), page(PageState::Inaccessible)};

TEST_F(ConsumerTest, CopyStopsAtTheInaccessiblePage) {
    lay_out(readable_then_not);
    std::array<std::byte, 8> got{};
    const auto r = space.copy_from_user(user(page_size - 3), got);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().error, vmio::Error::PageFault);
    EXPECT_EQ(r.error().copied, 3u);
    EXPECT_EQ(got[0], pattern_byte(page_size - 3));
}

RC_GTEST_FIXTURE_PROP(ConsumerTest, CopiesThePatternUpToTheFault, ()) {
    const auto start = *rc::gen::inRange<std::size_t>(0, page_size);
    lay_out(readable_then_not);
    std::vector<std::byte> got(64);
    const auto r = space.copy_from_user(user(start), got);
    const std::size_t expected = std::min<std::size_t>(got.size(), page_size - start);
    const std::size_t copied = r ? *r : r.error().copied;
    RC_ASSERT(copied == expected);
    for (std::size_t i = 0; i < copied; ++i) {
        RC_ASSERT(got[i] == pattern_byte(start + i));
    }
}

}  // namespace
