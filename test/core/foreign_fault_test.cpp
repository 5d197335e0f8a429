// Faults that are not vmio's must never be swallowed: they reach the handler installed
// before vmio's, or kill the process with their own signal.
#include <gtest/gtest.h>

#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <thread>
#include <vector>

#include "death_test_style.hpp"
#include "edge_region.hpp"
#include "fatal_signal.hpp"
#include "signal_action.hpp"
#include "vmio/copy.hpp"
#include "vmio/fault.hpp"

namespace vmio::test {
namespace {

volatile int* volatile null_pointer = nullptr;

// Not inlined: every store before the call is done before the fault, not moved past it.
[[gnu::noinline]] void dereference_null() { *null_pointer = 1; }

/// A faulting vmio copy, to show that vmio itself still works in the same process.
void faulting_copy_is_recovered() {
    const EdgeRegion region(BadPage::None);
    unsigned char out[32];
    if (memcpy_fallible(out, region.edge() - 8, sizeof out) != 8) {
        std::_Exit(3);
    }
}

void write_message(const char* text) { (void)!write(STDERR_FILENO, text, __builtin_strlen(text)); }

void siginfo_handler_exits(int sig, siginfo_t* info, void*) {
    write_message(info->si_code > 0 ? "previous siginfo handler: fault\n" : "previous siginfo handler: sent\n");
    std::_Exit(40 + sig);
}

void plain_handler_exits(int sig) {
    write_message("previous plain handler\n");
    std::_Exit(60 + sig);
}

void install_previous(int sig, bool siginfo) {
    if (siginfo) {
        set_action(sig, siginfo_handler_exits);
    } else {
        set_action(sig, plain_handler_exits);
    }
}

class ForeignFaultDeathTest : public testing::Test {
protected:
    void SetUp() override { use_fresh_process_death_tests(); }
};

TEST_F(ForeignFaultDeathTest, NullDereferenceStillKillsWithSigsegv) {
    EXPECT_EXIT(
        {
            faulting_copy_is_recovered();
            dereference_null();
        },
        [](int status) { return dies_of_fault_signal(SIGSEGV, status); }, fatal_report());
}

TEST_F(ForeignFaultDeathTest, TruncatedMappingOutsideTheRoutinesKillsWithSigbus) {
    EXPECT_EXIT(
        {
            const EdgeRegion region(BadPage::Truncated);
            faulting_copy_is_recovered();
            *reinterpret_cast<volatile unsigned char*>(region.edge()) = 1;
        },
        [](int status) { return dies_of_fault_signal(SIGBUS, status); }, fatal_report());
}

TEST_F(ForeignFaultDeathTest, PreviousSiginfoHandlerIsCalledForForeignFaults) {
    EXPECT_EXIT(
        {
            install_previous(SIGSEGV, true);
            install_fault_handler();  // vmio on top, chaining to the handler above
            faulting_copy_is_recovered();
            dereference_null();
        },
        testing::ExitedWithCode(40 + SIGSEGV), "previous siginfo handler: fault");
}

TEST_F(ForeignFaultDeathTest, PreviousPlainHandlerIsCalledForForeignFaults) {
    EXPECT_EXIT(
        {
            install_previous(SIGBUS, false);
            install_fault_handler();
            const EdgeRegion region(BadPage::Truncated);
            faulting_copy_is_recovered();
            (void)*reinterpret_cast<volatile unsigned char*>(region.edge());
        },
        testing::ExitedWithCode(60 + SIGBUS), "previous plain handler");
}

TEST_F(ForeignFaultDeathTest, RaisedSigsegvIsNotAFaultAndKills) {
    EXPECT_EXIT(
        {
            faulting_copy_is_recovered();
            std::raise(SIGSEGV);
            std::_Exit(0);  // not reached: the default action must run
        },
        [](int status) { return dies_of_fault_signal(SIGSEGV, status); }, fatal_report());
}

TEST_F(ForeignFaultDeathTest, RaisedSigsegvGoesToThePreviousHandlerAsSent) {
    EXPECT_EXIT(
        {
            install_previous(SIGSEGV, true);
            install_fault_handler();
            std::raise(SIGSEGV);
        },
        testing::ExitedWithCode(40 + SIGSEGV), "previous siginfo handler: sent");
}

// The previous SA_SIGINFO handler gets the kernel's siginfo and context, not a plain call.
unsigned char* protected_page = nullptr;

void siginfo_handler_checks_its_arguments(int sig, siginfo_t* info, void* context) {
    const auto* uc = static_cast<const ucontext_t*>(context);
    const bool real = sig == SIGSEGV && info != nullptr && info->si_signo == SIGSEGV &&
                      info->si_code == SEGV_ACCERR && info->si_addr == protected_page && uc != nullptr;
    write_message(real ? "previous handler: real siginfo and context\n" : "previous handler: wrong arguments\n");
    std::_Exit(real ? 50 : 51);
}

TEST_F(ForeignFaultDeathTest, PreviousSiginfoHandlerGetsTheRealSiginfoAndContext) {
    EXPECT_EXIT(
        {
            const EdgeRegion region(BadPage::None);
            protected_page = region.edge();
            set_action(SIGSEGV, siginfo_handler_checks_its_arguments);
            install_fault_handler();
            *reinterpret_cast<volatile unsigned char*>(protected_page) = 1;
        },
        testing::ExitedWithCode(50), "real siginfo and context");
}

// SIGSEGV and SIGBUS sent with tgkill or sigqueue while fallible routines run (si_code < 0)
// are not faults: the copies stay complete, and the previous handler gets every one as sent.
std::atomic<int> sent_seen{0};
std::atomic<int> faults_seen{0};

void count_sent_signals(int, siginfo_t* info, void*) {
    if (info->si_code <= 0) {
        sent_seen.fetch_add(1, std::memory_order_relaxed);
    } else {
        faults_seen.fetch_add(1, std::memory_order_relaxed);
    }
}

TEST_F(ForeignFaultDeathTest, SignalsSentWithTgkillOrSigqueueDuringARoutineAreNotFaults) {
    EXPECT_EXIT(
        {
            for (const int sig : {SIGSEGV, SIGBUS}) {
                set_action(sig, count_sent_signals);
            }
            install_fault_handler();
            std::atomic<bool> done{false};
            std::atomic<pid_t> copier_tid{0};
            bool complete = true;
            std::uint64_t recovered = 0;
            std::thread copier([&] {
                std::vector<unsigned char> src(1 << 20, 7);
                std::vector<unsigned char> dst(1 << 20);
                copier_tid = gettid();
                for (int i = 0; i < 4000; ++i) {
                    complete &= memcpy_fallible(dst.data(), src.data(), dst.size()) == dst.size();
                    complete &= memset_fallible(dst.data(), 1, dst.size()) == dst.size();
                }
                recovered = recovered_fault_count();
                done = true;
            });
            while (copier_tid == 0) {
            }
            int sent = 0;
            const union sigval value {.sival_int = 0};
            while (!done) {
                const int sig = sent % 2 == 0 ? SIGSEGV : SIGBUS;
                if (sent % 4 < 2) {
                    syscall(SYS_tgkill, getpid(), copier_tid.load(), sig);
                } else {
                    sigqueue(getpid(), sig, value);  // to the process: any thread may take it
                }
                ++sent;
                usleep(50);
            }
            copier.join();
            const bool ok = complete && recovered == 0 && faults_seen == 0 && sent_seen > 0 && sent > 100;
            std::_Exit(ok ? 0 : 1);
        },
        testing::ExitedWithCode(0), "");
}

// An SA_RESETHAND handler is called once, as the kernel calls it: when it returns, the fault
// re-executes with the default action and ends the process with its own signal.
std::atomic<int> one_shot_calls{0};

void one_shot_handler_returns(int) {
    write_message("one-shot handler\n");
    if (one_shot_calls.fetch_add(1) > 0) {
        std::_Exit(2);  // called a second time
    }
}

TEST_F(ForeignFaultDeathTest, PreviousOneShotHandlerIsCalledOnceThenTheFaultKills) {
    EXPECT_EXIT(
        {
            set_action(SIGSEGV, one_shot_handler_returns, SA_RESETHAND);
            install_fault_handler();
            faulting_copy_is_recovered();
            dereference_null();
        },
        testing::KilledBySignal(SIGSEGV), "one-shot handler");
}

// SIG_IGN (or SIG_DFL) with SA_SIGINFO set, as the kernel leaves an SA_RESETHAND action once
// it fired: there is no function to call, whatever the flag says.
TEST_F(ForeignFaultDeathTest, SentSignalOfAnIgnoringActionFlaggedSiginfoIsIgnored) {
    EXPECT_EXIT(
        {
            set_action(SIGBUS, SIG_IGN, SA_SIGINFO);
            install_fault_handler();
            std::raise(SIGBUS);
            std::_Exit(0);
        },
        testing::ExitedWithCode(0), "");
}

// The handler vmio chains to runs as the kernel would run it: its sa_mask blocked, and the
// signal itself unless it has SA_NODEFER. On a prepared thread it runs on vmio's alternate
// stack, where a fallible operation unblocks the fault signals for its duration.
void handler_checks_its_mask(int, siginfo_t*, void*) {
    sigset_t now;
    pthread_sigmask(SIG_BLOCK, nullptr, &now);
    const bool as_asked = sigismember(&now, SIGUSR1) == 1 && sigismember(&now, SIGSEGV) == 1;
    faulting_copy_is_recovered();
    write_message(as_asked ? "mask as asked\n" : "wrong mask\n");
    std::_Exit(as_asked ? 50 : 51);
}

TEST_F(ForeignFaultDeathTest, PreviousHandlerRunsWithTheMaskTheKernelWouldGiveIt) {
    EXPECT_EXIT(
        {
            set_action(SIGSEGV, handler_checks_its_mask, 0, {SIGUSR1});  // no SA_NODEFER
            install_fault_handler();
            prepare_thread();
            dereference_null();
        },
        testing::ExitedWithCode(50), "mask as asked");
}

// A handler without SA_NODEFER that faults itself: the kernel ends the process at that fault
// (the signal is blocked), instead of entering the handler again.
std::atomic<int> entries{0};

void handler_faults_itself(int) {
    write_message("handler entered\n");
    if (entries.fetch_add(1) > 0) {
        std::_Exit(2);  // entered again
    }
    dereference_null();
}

TEST_F(ForeignFaultDeathTest, PreviousHandlerThatFaultsWithItsSignalBlockedEndsTheProcess) {
    EXPECT_EXIT(
        {
            set_action(SIGSEGV, handler_faults_itself);
            install_fault_handler();
            dereference_null();
        },
        testing::KilledBySignal(SIGSEGV), "handler entered");
}

// A signal sent to a thread blocked in read() restarts the call when the action vmio replaced
// had SA_RESTART, and an ignored one never interrupted it: vmio on top changes neither.
TEST_F(ForeignFaultDeathTest, SentSignalsDoNotInterruptASystemCallThatThePreviousActionsRestart) {
    if (std::getenv("VMIO_UNDER_EMULATOR") != nullptr) {
        GTEST_SKIP() << "qemu-user does not restart read() after an SA_RESTART handler, with or without vmio";
    }
    EXPECT_EXIT(
        {
            set_action(SIGBUS, +[](int) {}, SA_RESTART);
            set_action(SIGSEGV, SIG_IGN);
            install_fault_handler();
            int fds[2];
            if (pipe(fds) != 0) {
                std::_Exit(3);
            }
            const pthread_t reader = pthread_self();
            std::thread sender([&] {
                for (int i = 0; i < 6; ++i) {
                    usleep(20'000);
                    pthread_kill(reader, i % 2 == 0 ? SIGBUS : SIGSEGV);
                }
                (void)!write(fds[1], "x", 1);
            });
            char byte = 0;
            const ssize_t got = read(fds[0], &byte, 1);
            sender.join();
            std::_Exit(got == 1 ? 0 : 1);
        },
        testing::ExitedWithCode(0), "");
}

TEST(ForeignFault, RaisedSignalOfAnIgnoringPreviousActionIsIgnored) {
    // Runs in this process: vmio on top of SIG_IGN must ignore a sent SIGBUS, and must not
    // count it as a recovered fault.
    struct sigaction ignore {}, saved {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGBUS, &ignore, &saved);
    install_fault_handler();
    const auto before = recovered_fault_count();
    std::raise(SIGBUS);
    EXPECT_EQ(recovered_fault_count(), before);
    sigaction(SIGBUS, &saved, nullptr);
    install_fault_handler();
}

}  // namespace
}  // namespace vmio::test
