// The fault explorer on small bodies whose every run is known in advance: exact run counts
// per class, the order of the points, what each class means, budgets, replay, and the errors
// for subjects it cannot explore.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "vmio/sim/sim.hpp"
#include "vmio/testing/explorer.hpp"
#include "vmio/testing/pattern.hpp"
#include "vmio/testing/syscall.hpp"

namespace vmio::testing {
namespace {

constexpr std::size_t buffer_size = 100;

// Copies the first `take` bytes of buffer "in" into kernel memory, as copy_from_user does:
// the count copied, or -EFAULT if nothing was.
Subject copy_in(std::size_t take, std::vector<std::byte>* kernel) {
    return {
        .name = "copy-in",
        .buffers = {{.name = "in", .size = buffer_size}},
        .body = [take, kernel](RunContext& run) -> std::int64_t {
            kernel->assign(take, std::byte{0});
            const CopyResult copied = run.space().copy_from_user(run.address("in"), *kernel);
            const std::size_t done = copied ? *copied : copied.error().copied;
            return done == 0 && take != 0 ? -EFAULT : static_cast<std::int64_t>(done);
        },
        .check = [kernel](RunContext& run, std::int64_t result) {
            const std::size_t got = result < 0 ? 0 : static_cast<std::size_t>(result);
            bool same = true;
            for (std::size_t i = 0; i < got; ++i) {
                same = same && (*kernel)[i] == pattern_byte(i);
            }
            run.expect(same, "the kernel received the buffer's first bytes");
        },
    };
}

TEST(Explorer, BodyThatTouchesNoUserMemoryEndsAfterOneRun) {
    int calls = 0;
    const Report report = explore({
        .name = "no-touch",
        .buffers = {{.name = "unused", .size = 64}},
        .body = [&](RunContext&) -> std::int64_t { ++calls; return 0; },
    });
    EXPECT_EQ(report.runs, 1u) << report;
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(report.count(RunClass::NotReached), 1u);
    EXPECT_EQ(report.touched_pages, 0u);
    EXPECT_TRUE(report.passed());
    EXPECT_EQ(report.stopped_by, StoppedBy::Complete);
}

TEST(Explorer, CorrectCopyIsExploredToTheFirstByteItDoesNotReach) {
    constexpr std::size_t take = 10;
    std::vector<std::byte> kernel;
    const Report report = explore(copy_in(take, &kernel));
    // first-touch + none; page 0 of "in" x 3 kinds (read-only never reached by loads);
    // bytes: not-present and truncated reach n = 0..9 and stop at n = 10, read-only stops at 0.
    EXPECT_TRUE(report.passed()) << report;
    EXPECT_EQ(report.touched_pages, 1u);
    EXPECT_EQ(report.runs, 2u + 3u + (take + 1) + 1 + (take + 1)) << report;
    EXPECT_EQ(report.count(RunClass::Resolved), 1u);
    EXPECT_EQ(report.count(RunClass::NotReached), 1u + 1 + 3) << report;  // none, page read-only, 3 byte ends
    EXPECT_EQ(report.count(RunClass::Surfaced), 2u + 2 * take) << report;
    EXPECT_EQ(report.fault_free_result, static_cast<std::int64_t>(take));
}

TEST(Explorer, BodyThatSwallowsAFaultIsMissed) {
    const Report report = explore({
        .name = "swallow",
        .buffers = {{.name = "in", .size = 16}},
        .body = [](RunContext& run) -> std::int64_t {
            std::vector<std::byte> kernel(16);
            (void)run.space().copy_from_user(run.address("in"), kernel);
            return 16;  // whatever happened
        },
    });
    EXPECT_FALSE(report.passed());
    // Every reached point: page 0 (not-present, truncated) and bytes 0..15 of both kinds.
    EXPECT_EQ(report.count(RunClass::Missed), 2u + 2 * 16) << report;
    ASSERT_FALSE(report.first_findings.empty());
    EXPECT_EQ(report.first_findings[0].run_class, RunClass::Missed);
    EXPECT_EQ(report.first_findings[0].point, "page:in:0:not-present");
    EXPECT_EQ(report.first_findings[0].result, 16);
}

TEST(Explorer, ValueReturnedAfterAFaultIsMissedEvenIfSmaller) {
    const Report report = explore({
        .name = "value",
        .buffers = {{.name = "in", .size = 8}},
        .returns = Returns::Value,
        .body = [](RunContext& run) -> std::int64_t {
            std::vector<std::byte> kernel(8);
            return run.space().copy_from_user(run.address("in"), kernel) ? 7 : 3;
        },
    });
    EXPECT_EQ(report.count(RunClass::Missed), report.runs - report.count(RunClass::Resolved) -
                                                  report.count(RunClass::NotReached))
        << report;
    EXPECT_GT(report.count(RunClass::Missed), 0u);
}

TEST(Explorer, ErrorOtherThanEfaultAfterAFaultIsWrong) {
    const Report report = explore({
        .name = "einval",
        .buffers = {{.name = "in", .size = 8}},
        .body = [](RunContext& run) -> std::int64_t {
            std::vector<std::byte> kernel(8);
            return run.space().copy_from_user(run.address("in"), kernel) ? 8 : -EINVAL;
        },
    });
    EXPECT_EQ(report.count(RunClass::WrongError), 2u + 2 * 8) << report;
    ASSERT_FALSE(report.first_findings.empty());
    EXPECT_NE(report.first_findings[0].detail.find("-EINVAL"), std::string::npos) << report;
}

TEST(Explorer, WritesReachReadOnlyPages) {
    const Report report = explore({
        .name = "copy-out",
        .buffers = {{.name = "out", .size = 5}},
        .body = [](RunContext& run) -> std::int64_t {
            const std::vector<std::byte> kernel(5, std::byte{0x5a});
            const CopyResult copied = run.space().copy_to_user(run.address("out"), kernel);
            const std::size_t done = copied ? *copied : copied.error().copied;
            return done == 0 ? -EFAULT : static_cast<std::int64_t>(done);
        },
    });
    EXPECT_TRUE(report.passed()) << report;
    // page 0 x 3 kinds all reached; bytes 0..4 of each kind reached, byte 5 does not exist.
    EXPECT_EQ(report.runs, 2u + 3 + 3 * 5) << report;
    EXPECT_EQ(report.count(RunClass::Surfaced), 3u + 3 * 5) << report;
}

TEST(Explorer, BrokenInvariantIsAFindingWithTheInvariantNamed) {
    std::vector<std::byte> kernel;
    Subject subject = copy_in(4, &kernel);
    subject.check = [](RunContext& run, std::int64_t result) { run.expect(result == 4, "all four bytes arrive"); };
    const Report report = explore(subject);
    EXPECT_EQ(report.count(RunClass::Broken), 2u + 2 * 4) << report;
    ASSERT_EQ(report.first_findings.size(), 1u);
    EXPECT_EQ(report.first_findings[0].broken, std::vector<std::string>{"all four bytes arrive"});
}

TEST(Explorer, TouchOutsideTheDeclaredBuffersIsReportedAndEndsTheExploration) {
    const Report report = explore({
        .name = "overrun",
        .buffers = {{.name = "in", .size = 32}},
        .body = [](RunContext& run) -> std::int64_t {
            std::vector<std::byte> kernel(33);  // one byte more than declared
            const CopyResult copied = run.space().copy_from_user(run.address("in"), kernel);
            return copied ? 33 : -EFAULT;
        },
    });
    EXPECT_EQ(report.runs, 2u) << report;
    EXPECT_EQ(report.count(RunClass::Undeclared), 2u) << report;
    EXPECT_EQ(report.stopped_by, StoppedBy::Finding);
    ASSERT_FALSE(report.first_findings.empty());
    EXPECT_NE(report.first_findings[0].detail.find("0 B after the end of buffer 'in'"), std::string::npos) << report;
}

TEST(Explorer, OutcomeThatDependsOnResolvedFaultsIsVisible) {
    int calls = 0;  // the first-touch run is the first call
    const Report report = explore({
        .name = "unstable",
        .buffers = {{.name = "in", .size = 8}},
        .body = [&](RunContext& run) -> std::int64_t {
            std::vector<std::byte> kernel(8);
            const CopyResult copied = run.space().copy_from_user(run.address("in"), kernel);
            return !copied ? -EFAULT : calls++ == 0 ? 7 : 8;
        },
    });
    EXPECT_EQ(report.count(RunClass::ResolvedVisible), 1u) << report;
    ASSERT_FALSE(report.first_findings.empty());
    EXPECT_EQ(report.first_findings[0].point, "first-touch");
}

TEST(Explorer, ReportsAreDeterministic) {
    std::vector<std::byte> kernel;
    const Subject subject = copy_in(30, &kernel);
    const Report first = explore(subject);
    const Report second = explore(subject);
    EXPECT_EQ(first.runs, second.runs);
    EXPECT_EQ(first.by_class, second.by_class);
}

TEST(Explorer, BudgetsStopTheExploration) {
    std::vector<std::byte> kernel;
    const Report runs = explore(copy_in(30, &kernel), {.max_runs = 5});
    EXPECT_EQ(runs.runs, 5u);
    EXPECT_EQ(runs.stopped_by, StoppedBy::Runs);
    const Report one = explore(copy_in(30, &kernel), {.max_runs = 1});
    EXPECT_EQ(one.runs, 1u);
    EXPECT_EQ(one.stopped_by, StoppedBy::Runs);
    const Report time = explore(copy_in(30, &kernel), {.max_time = std::chrono::nanoseconds(1)});
    EXPECT_EQ(time.stopped_by, StoppedBy::Time);
    EXPECT_LT(time.runs, runs.runs + 10);
}

TEST(Explorer, ProgressCallbackSeesEveryRunAndCanStopTheExploration) {
    std::vector<std::byte> kernel;
    std::vector<std::size_t> seen;
    const Report report = explore(copy_in(30, &kernel), {.on_run = [&](const Report& so_far) {
                                      seen.push_back(so_far.runs);
                                      return so_far.runs < 4;
                                  }});
    EXPECT_EQ(seen, (std::vector<std::size_t>{1, 2, 3, 4}));
    EXPECT_EQ(report.runs, 4u);
    EXPECT_EQ(report.stopped_by, StoppedBy::Caller);
}

TEST(Explorer, StopsAtTheFirstFindingWhenAsked) {
    std::vector<std::byte> kernel;
    Subject subject = copy_in(4, &kernel);
    subject.check = [](RunContext& run, std::int64_t result) { run.expect(result == 4, "all four bytes arrive"); };
    const Report report = explore(subject, {.stop_at_first_finding = true});
    EXPECT_EQ(report.findings, 1u);
    EXPECT_EQ(report.runs, 3u);  // first-touch, none, page:in:0:not-present
    EXPECT_EQ(report.stopped_by, StoppedBy::Finding);
}

TEST(Explorer, ReplayRunsThePointAloneAndFindsTheSame) {
    std::vector<std::byte> kernel;
    Subject subject = copy_in(20, &kernel);
    subject.check = [](RunContext& run, std::int64_t result) { run.expect(result != 13, "never 13"); };
    const Report full = explore(subject);
    ASSERT_EQ(full.first_findings.size(), 1u) << full;
    EXPECT_EQ(full.first_findings[0].point, "byte:in:13:not-present");
    EXPECT_NE(full.first_findings[0].replay.find("VMIO_EXPLORE_POINT=copy-in/byte:in:13:not-present"), std::string::npos)
        << full.first_findings[0].replay;

    const Report alone = explore(subject, {.only = "byte:in:13:not-present"});
    EXPECT_EQ(alone.runs, 3u);
    ASSERT_EQ(alone.first_findings.size(), 1u);
    EXPECT_EQ(alone.first_findings[0].point, "byte:in:13:not-present");

    ::setenv("VMIO_EXPLORE_POINT", "copy-in/byte:in:13:truncated", 1);
    const Report from_environment = explore(subject);
    ::setenv("VMIO_EXPLORE_POINT", "another-subject/byte:x:1:truncated", 1);
    const Report other_subject = explore(subject);
    ::unsetenv("VMIO_EXPLORE_POINT");
    EXPECT_EQ(from_environment.runs, 3u);
    ASSERT_EQ(from_environment.first_findings.size(), 1u);
    EXPECT_EQ(from_environment.first_findings[0].point, "byte:in:13:truncated");
    EXPECT_EQ(other_subject.runs, full.runs);
}

TEST(Explorer, LayoutOfAFindingSaysWhichBytesAreAccessible) {
    std::vector<std::byte> kernel;
    Subject subject = copy_in(20, &kernel);
    subject.check = [](RunContext& run, std::int64_t result) { run.expect(result != 13, "never 13"); };
    const Report report = explore(subject);
    ASSERT_EQ(report.first_findings.size(), 1u);
    ASSERT_EQ(report.first_findings[0].layout.size(), 1u);
    const std::string& line = report.first_findings[0].layout[0];
    EXPECT_NE(line.find("in: 100 B at 0x"), std::string::npos) << line;
    EXPECT_NE(line.find("bytes [0, 13) read-write, [13, 100) not-present"), std::string::npos) << line;
}

TEST(Explorer, PointsParseAndPrint) {
    const Subject subject{.name = "s", .buffers = {{.name = "buf", .size = 5000}}, .body = [](RunContext&) { return 0L; }};
    for (const std::string text : {"none", "first-touch", "page:buf:1:truncated", "byte:buf:4999:read-only"}) {
        EXPECT_EQ(to_string(parse_fault_point(text, subject), subject), text);
    }
    for (const std::string text : {"", "page", "page:buf:2:truncated", "byte:buf:5000:read-only", "byte:nope:1:read-only",
                                   "byte:buf:1:absent", "byte:buf:x:read-only", "byte:buf:1:read-only:extra"}) {
        EXPECT_THROW((void)parse_fault_point(text, subject), std::invalid_argument) << text;
    }
}

TEST(Explorer, SubjectsItCannotExploreAreRefusedWithTheReason) {
    const auto refused = [](const Subject& subject) {
        try {
            (void)explore(subject);
        } catch (const std::invalid_argument& error) {
            return std::string(error.what());
        }
        return std::string("explored");
    };
    const auto body = [](RunContext&) -> std::int64_t { return 0; };
    EXPECT_NE(refused({.name = "s"}).find("has no body"), std::string::npos);
    EXPECT_NE(refused({.name = "", .body = body}).find("needs a name"), std::string::npos);
    EXPECT_NE(refused({.name = "s", .buffers = {{.name = "a b"}}, .body = body}).find("'a b'"), std::string::npos);
    EXPECT_NE(refused({.name = "s", .buffers = {{.name = "a"}, {.name = "a"}}, .body = body}).find("twice"),
              std::string::npos);
    Subject subject{.name = "s", .buffers = {{.name = "a", .size = 4}}, .body = body};
    EXPECT_THROW((void)explore(subject, {.only = "byte:b:0:read-only"}), std::invalid_argument);
}

TEST(Explorer, RefusesToRunBesideAnotherMachine) {
    sim::Machine machine;
    EXPECT_THROW((void)explore({.name = "s", .body = [](RunContext&) -> std::int64_t { return 0; }}), std::logic_error);
}

}  // namespace
}  // namespace vmio::testing
