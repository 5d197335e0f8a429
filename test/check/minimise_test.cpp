// The minimiser keeps a failure while it shrinks the input.
#include <gtest/gtest.h>

#include <random>

#include "vmio/check/check.hpp"
#include "vmio/sim/sim.hpp"

namespace vmio::check::test {
namespace {

using namespace vmio::sim;

TEST(Minimise, KeepsTheFailureAndShrinks) {
    // A stand-in failure: "some operation is a raw fill".
    const auto has_fill = [](std::span<const std::uint8_t> bytes) {
        for (const Operation& op : decode_scenario(bytes).operations) {
            if (op.kind == Operation::Kind::Raw && op.raw == RawOp::FillUser) {
                return true;
            }
        }
        return false;
    };
    std::uint64_t seed = 0;
    while (!has_fill(generate_bytes(seed))) {
        ++seed;
    }
    const std::vector<std::uint8_t> input = generate_bytes(seed);
    const auto smallest = minimise(input, has_fill);
    EXPECT_TRUE(has_fill(smallest));
    EXPECT_LT(smallest.size(), std::min<std::size_t>(40, input.size()));  // the header and the four opens need ~25
}

}  // namespace
}  // namespace vmio::check::test
