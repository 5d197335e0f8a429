// The scenario decoder (total and deterministic), the checker on generated scenarios, and the
// checker catching an expectation that the model did not make.
#include <gtest/gtest.h>

#include <random>

#include "vmio/check/check.hpp"
#include "vmio/sim/sim.hpp"

namespace vmio::check::test {
using namespace vmio::sim;

namespace {

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

class ScenarioCheck : public ::testing::Test {
protected:
    Machine machine{Machine::Config{.user_pages = 16, .kernel_frames = 256}};
};

TEST_F(ScenarioCheck, GeneratedScenariosAgreeWithTheModel) {
    std::size_t faults = 0;
    for (std::uint64_t seed = 0; seed < 300; ++seed) {
        const CheckReport report = check_scenario(machine, decode_scenario(generate_bytes(seed)));
        ASSERT_FALSE(report.violation) << "seed " << seed << ": " << report.violation->description;
        faults += report.stats.faults;
    }
    EXPECT_GT(faults, 0U);
}

TEST_F(ScenarioCheck, TasksAgreeWithTheModel) {
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        const CheckReport report = check_tasks(machine, decode_scenario(generate_bytes(seed)),
                                               decode_scenario(generate_bytes(seed + 1000)), seed);
        ASSERT_FALSE(report.violation) << "seed " << seed << ": " << report.violation->description;
    }
}

TEST_F(ScenarioCheck, AWrongExpectationIsReportedWithTheOperation) {
    const Scenario s = decode_scenario(generate_bytes(3));
    const std::size_t wrong = s.operations.size() - 1;
    CheckHooks hooks;
    hooks.alter_expectation = [&](std::size_t index, OperationOutcome& expected) {
        if (index == wrong) {
            ++expected.count;  // as if the model expected one byte more
        }
    };
    const CheckReport report = check_scenario(machine, s, hooks);
    ASSERT_TRUE(report.violation);
    EXPECT_EQ(report.violation->invariant, "result");
    EXPECT_EQ(report.violation->operation, wrong);
    EXPECT_NE(report.violation->description.find(describe(s.operations[wrong])), std::string::npos);
}

TEST_F(ScenarioCheck, MinimisingKeepsTheFailureAndShrinks) {
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
