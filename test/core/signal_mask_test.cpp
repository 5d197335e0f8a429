// Fallible operations with SIGSEGV/SIGBUS blocked, context by context (the table in
// vmio/signal_mask.hpp): exact counts where vmio covers the context, the caller's mask
// restored after, a clear message from the Diagnose mode where it does not.
#include <gtest/gtest.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "death_test_style.hpp"
#include "edge_region.hpp"
#include "vmio/copy.hpp"
#include "vmio/fault.hpp"
#include "vmio/signal_mask.hpp"

extern char** environ;

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

/// Whether a handler's sa_mask is in force while it runs, as on Linux. qemu-riscv64 7.2
/// (Debian 12) does not apply it, so a handler there never runs with SIGSEGV/SIGBUS blocked.
bool handler_sa_mask_applies() {
    static const bool applies = [] {
        static volatile sig_atomic_t seen = -1;
        struct sigaction sa {}, saved {};
        sa.sa_handler = [](int) { seen = blocked(SIGSEGV) && blocked(SIGBUS) ? 1 : 0; };
        sigfillset(&sa.sa_mask);
        sigaction(SIGUSR2, &sa, &saved);
        std::raise(SIGUSR2);
        sigaction(SIGUSR2, &saved, nullptr);
        return seen == 1;
    }();
    return applies;
}

#define SKIP_UNLESS_HANDLER_SA_MASK_APPLIES()                                                        \
    do {                                                                                             \
        if (!handler_sa_mask_applies()) {                                                            \
            GTEST_SKIP() << "this emulator runs signal handlers without their sa_mask (qemu-riscv64)"; \
        }                                                                                            \
    } while (false)

struct Outcome {
    std::size_t copied = 0;
    std::size_t set = 0;
    bool still_blocked = false;
};

/// A faulting copy (PROT_NONE, 10 bytes before the edge) and fill (truncated memfd, 20).
Outcome faulting_operations() {
    const EdgeRegion segv(BadPage::None);
    const EdgeRegion bus(BadPage::Truncated);
    unsigned char out[64];
    Outcome outcome;
    outcome.copied = memcpy_fallible(out, segv.edge() - 10, sizeof out);
    outcome.set = memset_fallible(bus.edge() - 20, 0, 64);
    outcome.still_blocked = blocked(SIGSEGV) && blocked(SIGBUS);
    return outcome;
}

TEST(SignalMask, DefaultModeIsCachedAndMakesNoPerCallCheck) { EXPECT_EQ(signal_mask_check(), SignalMaskCheck::Cached); }

TEST(SignalMask, ThreadThatBlockedThemBeforeItsFirstOperationGetsExactCounts) {
    // The "block everything, then start workers" server pattern: the mask is inherited.
    const sigset_t set = fault_signals();
    sigset_t saved;
    pthread_sigmask(SIG_BLOCK, &set, &saved);
    Outcome outcome;
    std::thread([&] { outcome = faulting_operations(); }).join();
    pthread_sigmask(SIG_SETMASK, &saved, nullptr);
    EXPECT_EQ(outcome.copied, 10U);
    EXPECT_EQ(outcome.set, 20U);
    EXPECT_TRUE(outcome.still_blocked);
}

Outcome handler_outcome;
bool handler_uses_scope = false;

void usr1_handler(int) {
    if (handler_uses_scope) {
        const FaultSignalsUnblocked unblocked;
        handler_outcome = faulting_operations();
    } else {
        handler_outcome = faulting_operations();
    }
}

/// Runs usr1_handler once with every signal blocked while it runs.
void raise_usr1(bool on_alt_stack, bool use_scope) {
    handler_outcome = {};
    handler_uses_scope = use_scope;
    struct sigaction sa {}, saved {};
    sa.sa_handler = usr1_handler;
    sa.sa_flags = on_alt_stack ? SA_ONSTACK : 0;
    sigfillset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, &saved);
    std::raise(SIGUSR1);
    sigaction(SIGUSR1, &saved, nullptr);
}

TEST(SignalMask, HandlerOnTheAlternateStackThatBlocksEverything) {
    SKIP_UNLESS_HANDLER_SA_MASK_APPLIES();
    prepare_thread();
    raise_usr1(/*on_alt_stack=*/true, /*use_scope=*/false);
    EXPECT_EQ(handler_outcome.copied, 10U);
    EXPECT_EQ(handler_outcome.set, 20U);
    EXPECT_TRUE(handler_outcome.still_blocked);
}

TEST(SignalMask, HandlerOnTheOrdinaryStackIsCoveredByTheScope) {
    prepare_thread();
    raise_usr1(/*on_alt_stack=*/false, /*use_scope=*/true);
    EXPECT_EQ(handler_outcome.copied, 10U);
    EXPECT_EQ(handler_outcome.set, 20U);
    EXPECT_FALSE(handler_outcome.still_blocked);  // inside the scope
}

TEST(SignalMask, EveryCallModeCoversAHandlerOnTheOrdinaryStack) {
    SKIP_UNLESS_HANDLER_SA_MASK_APPLIES();
    prepare_thread();
    set_signal_mask_check(SignalMaskCheck::EveryCall);
    raise_usr1(/*on_alt_stack=*/false, /*use_scope=*/false);
    set_signal_mask_check(SignalMaskCheck::Cached);
    EXPECT_EQ(handler_outcome.copied, 10U);
    EXPECT_EQ(handler_outcome.set, 20U);
    EXPECT_TRUE(handler_outcome.still_blocked);
}

TEST(SignalMask, ScopeUnblocksAndRestores) {
    const sigset_t set = fault_signals();
    sigset_t saved;
    pthread_sigmask(SIG_BLOCK, &set, &saved);
    {
        const FaultSignalsUnblocked unblocked;
        EXPECT_TRUE(unblocked.was_blocked());
        EXPECT_FALSE(blocked(SIGSEGV));
        EXPECT_FALSE(blocked(SIGBUS));
    }
    EXPECT_TRUE(blocked(SIGSEGV));
    EXPECT_TRUE(blocked(SIGBUS));
    pthread_sigmask(SIG_SETMASK, &saved, nullptr);
}

class SignalMaskDeathTest : public testing::Test {
protected:
    void SetUp() override { use_fresh_process_death_tests(); }
};

TEST_F(SignalMaskDeathTest, RawRoutineWithSigsegvBlockedIsKilledByTheKernel) {
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

TEST_F(SignalMaskDeathTest, DefaultModeDoesNotLookInAHandlerOnTheOrdinaryStack) {
    SKIP_UNLESS_HANDLER_SA_MASK_APPLIES();
    // The documented boundary of the default mode: this context needs the caller's help.
    EXPECT_EXIT(
        {
            prepare_thread();
            raise_usr1(/*on_alt_stack=*/false, /*use_scope=*/false);
        },
        testing::KilledBySignal(SIGSEGV), "");
}

TEST_F(SignalMaskDeathTest, DiagnoseModeNamesTheRemedyInsteadOfASilentDeath) {
    SKIP_UNLESS_HANDLER_SA_MASK_APPLIES();
    EXPECT_EXIT(
        {
            prepare_thread();
            set_signal_mask_check(SignalMaskCheck::Diagnose);
            raise_usr1(/*on_alt_stack=*/false, /*use_scope=*/false);
        },
        testing::KilledBySignal(SIGABRT), "blocked.*FaultSignalsUnblocked");
}

TEST_F(SignalMaskDeathTest, DiagnoseModeCatchesAMaskBlockedAfterTheFirstOperation) {
    EXPECT_EXIT(
        {
            set_signal_mask_check(SignalMaskCheck::Diagnose);
            unsigned char a[8] = {};
            unsigned char b[8];
            (void)memcpy_fallible(b, a, sizeof b);  // prepares the thread, nothing blocked
            const sigset_t set = fault_signals();
            pthread_sigmask(SIG_BLOCK, &set, nullptr);
            (void)memcpy_fallible(b, a, sizeof b);
        },
        testing::KilledBySignal(SIGABRT), "mask changed after the thread's first fallible operation");
}

TEST_F(SignalMaskDeathTest, DiagnoseModeIsQuietWhereTheDefaultModeLooks) {
    EXPECT_EXIT(
        {
            set_signal_mask_check(SignalMaskCheck::Diagnose);
            prepare_thread();
            raise_usr1(/*on_alt_stack=*/true, /*use_scope=*/false);
            std::_Exit(handler_outcome.copied == 10 && handler_outcome.set == 20 ? 0 : 1);
        },
        testing::ExitedWithCode(0), "");
}

/// Runs this test binary with `VMIO_SIGNAL_MASK_CHECK=value`, listing its tests only.
int exit_status_with_mode(const char* value, bool* signaled) {
    std::string variable = std::string("VMIO_SIGNAL_MASK_CHECK=") + value;
    std::vector<char*> env;
    for (char** e = environ; *e != nullptr; ++e) {
        env.push_back(*e);
    }
    env.push_back(variable.data());
    env.push_back(nullptr);
    // The binary's own path: under valgrind, /proc/self/exe names valgrind's tool, which
    // refuses to run directly, while readlink() of it gives the client's path.
    char self[4096] = {};
    if (readlink("/proc/self/exe", self, sizeof self - 1) <= 0) {
        return -1;
    }
    char list[] = "--gtest_list_tests";
    char* argv[] = {self, list, nullptr};
    pid_t child = 0;
    if (posix_spawn(&child, self, nullptr, nullptr, argv, env.data()) != 0) {
        return -1;
    }
    int status = 0;
    waitpid(child, &status, 0);
    *signaled = WIFSIGNALED(status);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(SignalMaskEnvironment, ModesAreReadAtLoadAndAnUnknownOneIsRefused) {
    if (std::getenv("GTEST_DEATH_TEST_STYLE") != nullptr) {
        GTEST_SKIP() << "the test binary cannot re-execute itself here (qemu-user)";
    }
    bool signaled = false;
    EXPECT_EQ(exit_status_with_mode("every-call", &signaled), 0);
    EXPECT_EQ(exit_status_with_mode("diagnose", &signaled), 0);
    EXPECT_EQ(exit_status_with_mode("everycall", &signaled), 2);
    EXPECT_FALSE(signaled);
}

}  // namespace
}  // namespace vmio::test
