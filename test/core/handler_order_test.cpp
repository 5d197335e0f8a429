// The order of SIGSEGV/SIGBUS handlers is the order of the install calls, and chaining
// between vmio and another handler that chains back cannot cycle (src/fault/installation.cpp).
#include <gtest/gtest.h>
#include <ucontext.h>
#include <unistd.h>

#include <atomic>
#include <csetjmp>
#include <csignal>
#include <cstdlib>
#include <thread>

#include "death_test_style.hpp"
#include "edge_region.hpp"
#include "fatal_signal.hpp"
#include "signal_action.hpp"
#include "vmio/copy.hpp"
#include "vmio/fault.hpp"

namespace vmio::test {
namespace {

volatile int* volatile null_pointer = nullptr;

// A foreign fault. Not inlined: every store before the call (a handler's replaced action) is
// done before the fault, not moved past it.
[[gnu::noinline]] void touch_null() { *null_pointer = 1; }

void write_message(const char* text) { (void)!write(STDERR_FILENO, text, __builtin_strlen(text)); }

bool on_top(int sig, void (*handler)(int, siginfo_t*, void*)) {
    struct sigaction current {};
    sigaction(sig, nullptr, &current);
    return (current.sa_flags & SA_SIGINFO) != 0 && current.sa_sigaction == handler;
}

// A program's handler that chains to whatever it replaced, as V8, Breakpad and Wasmtime do.
struct sigaction replaced_by_program{};
int program_handler_depth = 0;

void program_handler_chains(int sig, siginfo_t* info, void* context) {
    if (++program_handler_depth > 2) {
        write_message("program handler re-entered: chaining cycles\n");
        std::_Exit(99);
    }
    if ((replaced_by_program.sa_flags & SA_SIGINFO) != 0) {
        replaced_by_program.sa_sigaction(sig, info, context);
    } else if (replaced_by_program.sa_handler != SIG_DFL && replaced_by_program.sa_handler != SIG_IGN) {
        replaced_by_program.sa_handler(sig);
    } else {
        signal(sig, SIG_DFL);
    }
    --program_handler_depth;
}

void install_program_handler(int sig) { replaced_by_program = set_action(sig, program_handler_chains, SA_NODEFER); }

/// A faulting vmio copy whose count must be exact.
bool faulting_copy_is_exact() {
    const EdgeRegion region(BadPage::None);
    unsigned char out[32];
    return memcpy_fallible(out, region.edge() - 8, sizeof out) == 8;
}

TEST(HandlerOrder, FirstOperationOfAThreadLeavesAProgramHandlerOnTop) {
    struct sigaction saved {};
    sigaction(SIGSEGV, nullptr, &saved);
    install_program_handler(SIGSEGV);
    bool exact = false;
    std::thread([&] { exact = faulting_copy_is_exact(); }).join();  // a fresh thread's first call
    const bool program_still_on_top = on_top(SIGSEGV, program_handler_chains);
    sigaction(SIGSEGV, &saved, nullptr);
    EXPECT_TRUE(program_still_on_top);
    EXPECT_TRUE(exact);  // reached vmio through the program handler's chaining
}

class HandlerOrderDeathTest : public testing::Test {
protected:
    void SetUp() override { use_fresh_process_death_tests(); }
};

TEST_F(HandlerOrderDeathTest, ExplicitInstallPutsVmioOnTopOnlyOnce) {
    // In a fresh process: it changes what vmio chains to.
    EXPECT_EXIT(
        {
            install_program_handler(SIGSEGV);
            install_fault_handler();
            struct sigaction first {};
            sigaction(SIGSEGV, nullptr, &first);
            install_fault_handler();  // already on top: a no-op, the chain target stays
            struct sigaction second {};
            sigaction(SIGSEGV, nullptr, &second);
            const bool ok = first.sa_sigaction == second.sa_sigaction &&
                            first.sa_sigaction != program_handler_chains && faulting_copy_is_exact();
            std::_Exit(ok ? 0 : 1);
        },
        testing::ExitedWithCode(0), "");
}

TEST_F(HandlerOrderDeathTest, ChainingBackToVmioEndsAtTheBottomOfTheChainNotInACycle) {
    // vmio -> program handler -> vmio again for the same fault -> what vmio replaced when the
    // library was loaded: the default action (or a sanitizer's handler).
    EXPECT_EXIT(
        {
            install_program_handler(SIGSEGV);  // chains to vmio
            install_fault_handler();           // vmio on top, chaining to the program handler
            if (!faulting_copy_is_exact()) {
                std::_Exit(3);
            }
            touch_null();
        },
        [](int status) { return dies_of_fault_signal(SIGSEGV, status); }, fatal_report());
}

TEST_F(HandlerOrderDeathTest, SentSignalThatComesBackEndsAtTheBottomOfTheChain) {
    EXPECT_EXIT(
        {
            install_program_handler(SIGBUS);
            install_fault_handler();
            std::raise(SIGBUS);
            std::_Exit(0);
        },
        [](int status) { return dies_of_fault_signal(SIGBUS, status); }, fatal_report());
}

// A crash reporter, then vmio, then a runtime that chains to what it replaced (vmio), then
// vmio on top again, as the README advises: a foreign fault goes from vmio to the runtime,
// back to vmio, and on to the crash reporter, as it would without the second install.
void crash_reporter_exits(int) {
    write_message("crash reporter\n");
    std::_Exit(7);
}

/// A crash reporter with vmio on top of it, chaining foreign faults to it.
void put_vmio_on_a_crash_reporter() {
    set_action(SIGSEGV, crash_reporter_exits);
    install_fault_handler();
}

TEST_F(HandlerOrderDeathTest, PuttingVmioBackOnTopKeepsTheHandlersBelowInTheChain) {
    EXPECT_EXIT(
        {
            put_vmio_on_a_crash_reporter();
            install_program_handler(SIGSEGV);
            install_fault_handler();
            if (!faulting_copy_is_exact()) {
                std::_Exit(3);
            }
            touch_null();
        },
        testing::ExitedWithCode(7), "crash reporter");
}

// The same through a runtime that chains with copies of the siginfo and context, as some do.
struct sigaction replaced_by_copier{};

void handler_chains_copies(int sig, siginfo_t* info, void* context) {
    siginfo_t info_copy = *info;
    ucontext_t context_copy = *static_cast<ucontext_t*>(context);
    if ((replaced_by_copier.sa_flags & SA_SIGINFO) != 0) {
        replaced_by_copier.sa_sigaction(sig, &info_copy, &context_copy);
    }
}

TEST_F(HandlerOrderDeathTest, AHandlerChainingBackWithCopiesStillReachesTheHandlersBelow) {
    EXPECT_EXIT(
        {
            put_vmio_on_a_crash_reporter();
            replaced_by_copier = set_action(SIGSEGV, handler_chains_copies, SA_NODEFER);
            install_fault_handler();
            touch_null();
        },
        testing::ExitedWithCode(7), "crash reporter");
}

// A plain handler installed above vmio can only chain with no siginfo and no context: vmio
// takes that for a foreign signal and hands it on.
struct sigaction replaced_by_plain_handler{};

void plain_handler_chains_without_siginfo(int sig) {
    if ((replaced_by_plain_handler.sa_flags & SA_SIGINFO) != 0) {
        replaced_by_plain_handler.sa_sigaction(sig, nullptr, nullptr);
    }
}

TEST_F(HandlerOrderDeathTest, AHandlerChainingWithoutSiginfoOrContextReachesTheHandlerBelow) {
    EXPECT_EXIT(
        {
            put_vmio_on_a_crash_reporter();
            replaced_by_plain_handler = set_action(SIGSEGV, plain_handler_chains_without_siginfo, SA_NODEFER);
            touch_null();
        },
        testing::ExitedWithCode(7), "crash reporter");
}

// A handler that recovers foreign faults by siglongjmp leaves vmio's chain record behind;
// the next identical fault must still reach it, not be taken for a cycle.
sigjmp_buf recovery_point;

void program_handler_longjmps(int, siginfo_t*, void*) { siglongjmp(recovery_point, 1); }

TEST_F(HandlerOrderDeathTest, HandlerThatLeavesBySiglongjmpStillSeesTheNextSameFault) {
    EXPECT_EXIT(
        {
            set_action(SIGSEGV, program_handler_longjmps, SA_NODEFER);
            install_fault_handler();  // vmio on top, chaining to the longjmp handler
            prepare_thread();         // both faults' handlers start at the same stack position
            int recovered = 0;
            for (int i = 0; i < 3; ++i) {
                if (sigsetjmp(recovery_point, 1) == 0) {
                    touch_null();
                } else {
                    ++recovered;
                }
            }
            std::_Exit(recovered == 3 ? 0 : 1);
        },
        testing::ExitedWithCode(0), "");
}

// The same on a thread that was never prepared: the handlers run on the thread's own stack,
// and the later faults' handlers are deeper than the first one's.
[[gnu::noinline]] int recovered_at_depth(int depth) {
    volatile char frame[256];
    frame[0] = static_cast<char>(depth);
    if (depth > 0) {
        return recovered_at_depth(depth - 1) + frame[0] - depth;
    }
    if (sigsetjmp(recovery_point, 1) == 0) {
        touch_null();
        return 0;
    }
    return 1;
}

TEST_F(HandlerOrderDeathTest, HandlerThatLeavesBySiglongjmpOnTheThreadsStackStillSeesTheNextSameFault) {
    EXPECT_EXIT(
        {
            set_action(SIGSEGV, program_handler_longjmps, SA_NODEFER);
            install_fault_handler();
            int recovered = 0;
            std::thread([&] { recovered = recovered_at_depth(0) + recovered_at_depth(40) + recovered_at_depth(80); })
                .join();
            std::_Exit(recovered == 3 ? 0 : 1);
        },
        testing::ExitedWithCode(0), "");
}

// A record left by siglongjmp, then a runtime installed above vmio that chains to it: the
// next fault comes to vmio through the runtime, deeper on the stack, and must still reach the
// longjmp handler, not be taken for the first one coming back.
TEST_F(HandlerOrderDeathTest, AfterASiglongjmpAFaultThroughAHandlerAboveStillReachesTheHandlerBelow) {
    EXPECT_EXIT(
        {
            set_action(SIGSEGV, program_handler_longjmps, SA_NODEFER);
            install_fault_handler();
            const int first = recovered_at_depth(0);
            install_program_handler(SIGSEGV);  // above vmio, chaining to it
            const int second = recovered_at_depth(0);
            std::_Exit(first + second == 2 ? 0 : 1);
        },
        testing::ExitedWithCode(0), "");
}

// vmio chains a fault to a runtime's handler; while that handler runs, another thread installs
// a second runtime and vmio on top of it again (a plugin being loaded). When the first
// handler chains back to vmio, the fault goes on below it, as at the time of the fault.
struct sigaction replaced_by_waiter{};
std::atomic<bool> waiter_entered{false};
std::atomic<bool> other_installs_done{false};
std::atomic<int> waiter_calls{0};

void handler_waits_then_chains(int sig, siginfo_t* info, void* context) {
    if (waiter_calls.fetch_add(1) > 0) {
        write_message("waiting handler called twice\n");
        std::_Exit(2);
    }
    waiter_entered = true;
    while (!other_installs_done) {
    }
    replaced_by_waiter.sa_sigaction(sig, info, context);
}

TEST_F(HandlerOrderDeathTest, AnInstallWhileAChainedHandlerRunsDoesNotChangeWhereItsSignalGoesNext) {
    EXPECT_EXIT(
        {
            put_vmio_on_a_crash_reporter();
            replaced_by_waiter = set_action(SIGSEGV, handler_waits_then_chains, SA_NODEFER);
            install_fault_handler();
            std::thread installer([] {
                while (!waiter_entered) {
                }
                install_program_handler(SIGSEGV);
                install_fault_handler();
                other_installs_done = true;
            });
            installer.detach();
            touch_null();
        },
        testing::ExitedWithCode(7), "crash reporter");
}

}  // namespace
}  // namespace vmio::test
