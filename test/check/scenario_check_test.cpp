// The checker on generated scenarios, alone and as tasks, catching an expectation the model
// did not make, and catching a write no operation should make before a later one hides it.
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

// Operation 4 (opening, limiting or skipping a cursor, or a read) is made to flip the first
// byte of the user area or of the kernel buffer, which transfer 5 then overwrites with what the
// model expects: the narrowed comparison must look at that byte after operation 4 already.
TEST_F(ScenarioCheck, AWrongWriteIsCaughtBeforeALaterOperationHidesIt) {
    using Kind = Operation::Kind;
    const std::vector<Operation> quiet = {
        {.kind = Kind::OpenKernelWriter, .length = 16},
        {.kind = Kind::Limit, .cursor = CursorId::UserWriter, .length = 16},
        {.kind = Kind::Skip, .cursor = CursorId::KernelReader, .length = 0},
        {.kind = Kind::ReadVal, .type = ValueType::U8},
    };
    for (const Operation& op : quiet) {
        for (const bool kernel : {false, true}) {
            const Scenario s{.pages = {page(PageState::ReadWrite)},
                             .content_seed = 1,
                             .kernel_size = 16,
                             .operations = {{.kind = Kind::OpenUserReader, .length = 16},
                                            {.kind = Kind::OpenUserWriter, .length = 16},
                                            {.kind = Kind::OpenKernelReader, .length = 16},
                                            {.kind = Kind::OpenKernelWriter, .length = 16},
                                            op,
                                            {.kind = Kind::Transfer,
                                             .transfer = kernel ? Transfer::UserToKernel : Transfer::KernelToUser}}};
            CheckHooks hooks;
            hooks.plant = [&](std::size_t index, std::uintptr_t area, std::uintptr_t kernel_buffer) {
                if (index == 4) {
                    auto* byte = reinterpret_cast<volatile std::uint8_t*>(kernel ? kernel_buffer : area);
                    *byte = static_cast<std::uint8_t>(~*byte);
                }
            };
            const CheckReport report = check_scenario(machine, s, hooks);
            ASSERT_TRUE(report.violation) << describe(op) << (kernel ? ", kernel buffer" : ", user area");
            EXPECT_EQ(report.violation->invariant, kernel ? "kernel-memory" : "user-memory");
            EXPECT_EQ(report.violation->operation, 4U);
        }
    }
}

}  // namespace
}  // namespace vmio::check::test
