// fork() while another thread is inside vmio's installation must leave a child that can run
// fallible operations and install vmio again. The test binary interposes sigaction() so that
// it can hold an install at the moment it replaces the action.
#include <gtest/gtest.h>
#include <dlfcn.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

#include "edge_region.hpp"
#include "valgrind.hpp"
#include "vmio/copy.hpp"
#include "vmio/fallible.h"
#include "vmio/fault.hpp"

namespace {

std::atomic<bool> hold_installs{false};
std::atomic<bool> install_held{false};
std::atomic<bool> release_install{false};

}  // namespace

extern "C" int sigaction(int sig, const struct sigaction* act, struct sigaction* old) noexcept {
    using Sigaction = int (*)(int, const struct sigaction*, struct sigaction*);
    static const auto real = reinterpret_cast<Sigaction>(dlsym(RTLD_NEXT, "sigaction"));
    if (act != nullptr && hold_installs.load()) {
        install_held = true;
        while (!release_install.load()) {
            sched_yield();
        }
    }
    return real(sig, act, old);
}

namespace vmio::test {
namespace {

struct sigaction replaced{};

// Chains to what it replaced (vmio), so vmio's faults are recovered under it.
void chaining_handler(int sig, siginfo_t* info, void* context) { replaced.sa_sigaction(sig, info, context); }

bool faulting_copy_is_exact() {
    const EdgeRegion region(BadPage::None);
    unsigned char out[32];
    return memcpy_fallible(out, region.edge() - 8, sizeof out) == 8;
}

/// Waits up to `seconds` for the child; kills it and reports -1 if it does not finish.
int wait_with_deadline(pid_t child, int seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    int status = 0;
    while (waitpid(child, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
            return -1;
        }
        usleep(1000);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

TEST(Fork, ChildOfAForkDuringAnInstallCanUseAndReinstallVmio) {
    struct sigaction ours {};
    ours.sa_sigaction = chaining_handler;
    ours.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&ours.sa_mask);
    sigaction(SIGSEGV, &ours, &replaced);  // vmio no longer on top, so an install has work to do

    hold_installs = true;
    std::thread installer([] { install_fault_handler(); });
    while (!install_held) {
        sched_yield();
    }
    int child_status = 0;
    std::thread([&] {  // a fresh thread: it never ran a fallible operation before the fork
        const pid_t child = fork();
        if (child == 0) {
            hold_installs = false;
            if (!faulting_copy_is_exact()) {  // this thread's first operation, in the child
                _exit(3);
            }
            vmio_install_fault_handler();
            _exit(faulting_copy_is_exact() ? 0 : 4);
        }
        child_status = wait_with_deadline(child, 20);
    }).join();
    release_install = true;
    installer.join();
    hold_installs = false;
    EXPECT_EQ(child_status, 0) << "-1: the child hung";
    EXPECT_TRUE(faulting_copy_is_exact());
}

TEST(Fork, ForksFromFreshThreadsWhileAnotherThreadInstalls) {
    std::atomic<bool> stop{false};
    // Under valgrind (one thread at a time) the installer yields after each install: a busy
    // loop there can keep the forking thread waiting for minutes.
    const bool yield = under_valgrind();
    std::thread installer([&] {
        while (!stop) {
            install_fault_handler();
            if (yield) {
                sched_yield();
            }
        }
    });
    int failures = 0;
    for (int i = 0; i < (yield ? 10 : 50); ++i) {
        std::thread([&] {
            const pid_t child = fork();
            if (child == 0) {
                vmio_install_fault_handler();
                _exit(faulting_copy_is_exact() ? 0 : 3);
            }
            failures += wait_with_deadline(child, 20) != 0;
        }).join();
    }
    stop = true;
    installer.join();
    EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace vmio::test
