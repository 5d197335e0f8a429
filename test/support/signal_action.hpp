// Test helper: installing a program's own SIGSEGV/SIGBUS action, as the tests of vmio's
// handler order and chaining set them up before putting vmio on top.
#pragma once

#include <csignal>
#include <initializer_list>

namespace vmio::test {

namespace detail {

inline struct sigaction install_action(int sig, struct sigaction action, std::initializer_list<int> blocked) {
    sigemptyset(&action.sa_mask);
    for (const int other : blocked) {
        sigaddset(&action.sa_mask, other);
    }
    struct sigaction replaced {};
    sigaction(sig, &action, &replaced);
    return replaced;
}

}  // namespace detail

/// Sets `sig`'s action to `handler` (a function, SIG_DFL or SIG_IGN) with `flags`, blocking
/// `blocked` while it runs; returns the action it replaced.
inline struct sigaction set_action(int sig, void (*handler)(int), int flags = 0,
                                   std::initializer_list<int> blocked = {}) {
    struct sigaction action {};
    action.sa_handler = handler;
    action.sa_flags = flags;
    return detail::install_action(sig, action, blocked);
}

/// The same for an SA_SIGINFO handler (SA_SIGINFO is added to `flags`).
inline struct sigaction set_action(int sig, void (*handler)(int, siginfo_t*, void*), int flags = 0,
                                   std::initializer_list<int> blocked = {}) {
    struct sigaction action {};
    action.sa_sigaction = handler;
    action.sa_flags = flags | SA_SIGINFO;
    return detail::install_action(sig, action, blocked);
}

}  // namespace vmio::test
