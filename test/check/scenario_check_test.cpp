// The checker on generated scenarios, alone and as tasks, and catching an expectation the
// model did not make.
#include <gtest/gtest.h>

#include <random>

#include "vmio/check/check.hpp"
#include "vmio/sim/sim.hpp"

namespace vmio::check::test {
namespace {

using namespace vmio::sim;

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

}  // namespace
}  // namespace vmio::check::test
