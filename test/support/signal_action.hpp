// Test helper: installing a program's own SIGSEGV/SIGBUS action, as the tests of vmio's
// handler order and chaining set them up before putting vmio on top.
#pragma once

#include <csignal>
#include <initializer_list>

namespace vmio::test {

/// Sets `sig`'s action to `handler` (a function, SIG_DFL or SIG_IGN) with `flags`, blocking
/// `blocked` while it runs.
inline void set_action(int sig, void (*handler)(int), int flags = 0, std::initializer_list<int> blocked = {}) {
    struct sigaction action {};
    action.sa_handler = handler;
    action.sa_flags = flags;
    sigemptyset(&action.sa_mask);
    for (const int other : blocked) {
        sigaddset(&action.sa_mask, other);
    }
    sigaction(sig, &action, nullptr);
}

/// The same for an SA_SIGINFO handler (SA_SIGINFO is added to `flags`).
inline void set_action(int sig, void (*handler)(int, siginfo_t*, void*), int flags = 0,
                       std::initializer_list<int> blocked = {}) {
    struct sigaction action {};
    action.sa_sigaction = handler;
    action.sa_flags = flags | SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    for (const int other : blocked) {
        sigaddset(&action.sa_mask, other);
    }
    sigaction(sig, &action, nullptr);
}

}  // namespace vmio::test
