// The fuzzer's mutations: deterministic in the generator, every kind of edit happens, and
// inputs stay within max_fuzz_input bytes.
#include <gtest/gtest.h>

#include <algorithm>

#include "mutator.hpp"

namespace vmio::cli {
namespace {

TEST(Mutator, TheSameGeneratorGivesTheSameMutations) {
    const std::vector<Bytes> pool{Bytes(40, 1), Bytes(60, 2)};
    Bytes a(50, 7);
    Bytes b(50, 7);
    std::mt19937_64 ra(11);
    std::mt19937_64 rb(11);
    for (int i = 0; i < 500; ++i) {
        mutate(a, pool, ra);
        mutate(b, pool, rb);
        ASSERT_EQ(a, b);
    }
}

TEST(Mutator, GrowsShrinksSplicesAndChangesBytes) {
    const std::vector<Bytes> pool{Bytes(300, 0xee)};
    std::mt19937_64 random(5);
    bool grew = false;
    bool shrank = false;
    bool spliced = false;
    bool changed_in_place = false;
    for (int i = 0; i < 2000; ++i) {
        Bytes input(64, 0x11);
        const Bytes before = input;
        mutate(input, pool, random);
        grew |= input.size() > before.size();
        shrank |= input.size() < before.size();
        spliced |= std::ranges::find(input, 0xee) != input.end();
        changed_in_place |= input.size() == before.size() && input != before;
    }
    EXPECT_TRUE(grew);
    EXPECT_TRUE(shrank);
    EXPECT_TRUE(spliced);
    EXPECT_TRUE(changed_in_place);
}

TEST(Mutator, NeverGrowsAnInputPastTheLimitAndCopesWithEmptyOnes) {
    const std::vector<Bytes> pool{Bytes(max_fuzz_input, 3), Bytes{}};
    std::mt19937_64 random(9);
    Bytes input;
    for (int i = 0; i < 20000; ++i) {
        mutate(input, pool, random);
        ASSERT_LE(input.size(), max_fuzz_input);
    }
}

}  // namespace
}  // namespace vmio::cli
