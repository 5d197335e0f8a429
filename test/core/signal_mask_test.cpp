// Fallible operations with SIGSEGV/SIGBUS blocked: the C++ API unblocks them for the
// duration and restores the caller's mask; the raw routines document that they cannot.
#include <gtest/gtest.h>
#include <pthread.h>

#include <csignal>

#include "death_test_style.hpp"
#include "edge_region.hpp"
#include "vmio/copy.hpp"
#include "vmio/fault.hpp"
#include "vmio/signal_mask.hpp"

namespace vmio::test {
namespace {

sigset_t fault_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGSEGV);
    sigaddset(&set, SIGBUS);
    return set;
}

bool blocked(int sig) {
    sigset_t current;
    pthread_sigmask(SIG_BLOCK, nullptr, &current);
    return sigismember(&current, sig) == 1;
}

TEST(SignalMask, CopyWithFaultSignalsBlockedIsExactAndRestoresTheMask) {
    ASSERT_TRUE(signal_mask_check());
    const EdgeRegion segv(BadPage::None);
    const EdgeRegion bus(BadPage::Truncated);
    const sigset_t set = fault_signals();
    sigset_t saved;
    pthread_sigmask(SIG_BLOCK, &set, &saved);
    unsigned char out[64];
    const std::size_t copied_segv = memcpy_fallible(out, segv.edge() - 10, sizeof out);
    const std::size_t set_bus = memset_fallible(bus.edge() - 20, 0, 64);
    const bool still_blocked = blocked(SIGSEGV) && blocked(SIGBUS);
    pthread_sigmask(SIG_SETMASK, &saved, nullptr);
    EXPECT_EQ(copied_segv, 10U);
    EXPECT_EQ(set_bus, 20U);
    EXPECT_TRUE(still_blocked);
}

unsigned char* handler_target = nullptr;
std::size_t handler_result = 0;

void usr1_handler(int) {
    unsigned char out[32];
    handler_result = memcpy_fallible(out, handler_target, sizeof out);
}

TEST(SignalMask, CopyInsideAHandlerThatBlocksEverything) {
    const EdgeRegion region(BadPage::None);
    handler_target = region.edge() - 5;
    struct sigaction sa {}, saved {};
    sa.sa_handler = usr1_handler;
    sigfillset(&sa.sa_mask);  // SIGSEGV and SIGBUS are blocked while the handler runs
    sigaction(SIGUSR1, &sa, &saved);
    std::raise(SIGUSR1);
    sigaction(SIGUSR1, &saved, nullptr);
    EXPECT_EQ(handler_result, 5U);
}

TEST(SignalMask, GuardUnblocksAndRestores) {
    const sigset_t set = fault_signals();
    sigset_t saved;
    pthread_sigmask(SIG_BLOCK, &set, &saved);
    {
        const FaultSignalsUnblocked guard;
        EXPECT_TRUE(guard.was_blocked());
        EXPECT_FALSE(blocked(SIGSEGV));
        EXPECT_FALSE(blocked(SIGBUS));
    }
    EXPECT_TRUE(blocked(SIGSEGV));
    pthread_sigmask(SIG_SETMASK, &saved, nullptr);
}

TEST(SignalMaskDeathTest, RawRoutineWithSigsegvBlockedIsKilledByTheKernel) {
    // The documented hazard the C++ API's check exists for.
    use_fresh_process_death_tests();
    EXPECT_EXIT(
        {
            const EdgeRegion region(BadPage::None);
            const sigset_t set = fault_signals();
            pthread_sigmask(SIG_BLOCK, &set, nullptr);
            unsigned char out[8];
            (void)vmio_memcpy_fallible(out, region.edge(), sizeof out);
        },
        testing::KilledBySignal(SIGSEGV), "");
}

TEST(SignalMaskDeathTest, CheckSwitchedOffBehavesLikeTheRawRoutine) {
    use_fresh_process_death_tests();
    EXPECT_EXIT(
        {
            set_signal_mask_check(false);
            const EdgeRegion region(BadPage::None);
            const sigset_t set = fault_signals();
            pthread_sigmask(SIG_BLOCK, &set, nullptr);
            unsigned char out[8];
            (void)memcpy_fallible(out, region.edge(), sizeof out);
        },
        testing::KilledBySignal(SIGSEGV), "");
}

}  // namespace
}  // namespace vmio::test
