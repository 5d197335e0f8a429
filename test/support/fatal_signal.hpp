// Test helper: how a death test recognises a process ended by a fault signal. In a sanitizer
// build the sanitizer installed its SIGSEGV/SIGBUS handler before vmio's, so a signal that
// reaches the bottom of the chain gets the sanitizer's report and exit instead.
#pragma once

#include <sys/wait.h>

namespace vmio::test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool sanitizer_owns_fatal_signals = true;
#else
inline constexpr bool sanitizer_owns_fatal_signals = false;
#endif

/// Death by `sig` itself, or, in a sanitizer build, the sanitizer's report of it.
inline bool dies_of_fault_signal(int sig, int status) {
    if (sanitizer_owns_fatal_signals) {
        return WIFEXITED(status) && WEXITSTATUS(status) != 0;
    }
    return WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

/// What the dying process prints: the sanitizer's report, or nothing in particular.
inline const char* fatal_report() { return sanitizer_owns_fatal_signals ? "DEADLYSIGNAL" : ""; }

}  // namespace vmio::test
