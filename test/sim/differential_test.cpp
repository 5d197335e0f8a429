// The two recovery engines on the same randomised scenarios: identical counts, memory and page
// states, and both equal to the reference model.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <random>

#include "scenario.hpp"

namespace vmio::sim::test {
namespace {

Scenario random_scenario(std::mt19937_64& random) {
    constexpr PageStatus choices[] = {
        page(PageState::Inaccessible), page(PageState::ReadWrite), page(PageState::ReadWrite),
        page(PageState::ReadOnly),     page(PageState::DemandZero), page(PageState::Truncated),
        fault_on_touch(1),             fault_on_touch(2),
    };
    constexpr std::size_t pages = 4;
    Scenario s{{}, check::all_raw_ops[random() % check::all_raw_ops.size()], 0, 0};
    for (std::size_t i = 0; i < pages; ++i) {
        s.pages.push_back(choices[random() % std::size(choices)]);
    }
    // Mostly near a page edge, where the interesting things happen.
    const std::size_t edge = (1 + random() % (pages - 1)) * page_size;
    s.offset = random() % 4 == 0 ? random() % (pages * page_size) : edge - std::min<std::size_t>(edge, random() % 80);
    const std::size_t room = pages * page_size - s.offset;
    s.len = std::min<std::size_t>(room, random() % 2 == 0 ? random() % 160 : random() % (2 * page_size + 100));
    return s;
}

TEST(Differential, ExceptionTableAndSigsetjmpEnginesAgreeWithEachOtherAndTheModel) {
    Machine machine;
    VmSpace space(machine);
    space.activate();
    std::mt19937_64 random(20240601);
    constexpr int cases = 10000;
    for (int i = 0; i < cases; ++i) {
        const Scenario s = random_scenario(random);
        const Outcome asm_engine = run(space, Engine::ExceptionTable, s);
        const Outcome jump_engine = run(space, Engine::Sigsetjmp, s);
        ASSERT_EQ(asm_engine, jump_engine) << "case " << i << ": " << s;
        ASSERT_EQ(asm_engine, expect(space, s)) << "case " << i << ": " << s;
    }
}

TEST(Differential, SigsetjmpEngineDoesNotTouchTheSignalMask) {
    Machine machine;
    VmSpace space(machine);
    space.activate();
    sigset_t before;
    sigset_t after;
    pthread_sigmask(SIG_SETMASK, nullptr, &before);
    std::byte buffer[8];
    EXPECT_EQ(copy_bytes(Engine::Sigsetjmp, buffer, reinterpret_cast<const void*>(machine.layout().user_begin), 8), 0U);
    pthread_sigmask(SIG_SETMASK, nullptr, &after);
    EXPECT_EQ(sigismember(&before, SIGSEGV), sigismember(&after, SIGSEGV));
    EXPECT_EQ(machine.counters().fixed_up, 1U);
}

// A handler installed above vmio's without SA_NODEFER (libFuzzer's, for one) keeps SIGSEGV
// blocked while vmio's runs under it; leaving by siglongjmp must not leave it blocked, or the
// next fault ends the process.
struct sigaction vmio_action;

void upstream_without_nodefer(int sig, siginfo_t* info, void* context) {
    vmio_action.sa_sigaction(sig, info, context);
}

TEST(Differential, SigsetjmpEngineRecoversUnderAHandlerThatBlocksSigsegv) {
    Machine machine;
    VmSpace space(machine);
    space.activate();
    const auto under_upstream = [&] {
        struct sigaction upstream{};
        upstream.sa_sigaction = upstream_without_nodefer;
        upstream.sa_flags = SA_SIGINFO;  // no SA_NODEFER: SIGSEGV blocked while it runs
        sigemptyset(&upstream.sa_mask);
        sigaction(SIGSEGV, &upstream, &vmio_action);
        std::byte buffer[8];
        for (int i = 0; i < 3; ++i) {  // a fault after a fault
            if (copy_bytes(Engine::Sigsetjmp, buffer, reinterpret_cast<const void*>(machine.layout().user_begin), 8) != 0) {
                std::_Exit(1);
            }
        }
        sigset_t mask;
        pthread_sigmask(SIG_SETMASK, nullptr, &mask);
        std::_Exit(sigismember(&mask, SIGSEGV) == 1 ? 2 : 0);
    };
    EXPECT_EXIT(under_upstream(), testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace vmio::sim::test
