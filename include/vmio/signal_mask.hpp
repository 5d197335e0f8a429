// Fallible operations while SIGSEGV/SIGBUS are blocked.
//
// If a thread faults while SIGSEGV (or SIGBUS) is blocked, Linux does not deliver the
// signal: it resets it to the default action and kills the process. That is the situation
// inside a signal handler whose sa_mask holds them, or in a thread that blocked every
// signal. vmio's policy is to unblock them for the duration of the operation:
//
//  * The C++ API (vmio/copy.hpp, the readers, writers and VM objects built on it) checks
//    the mask on every fallible operation by default. The check is one system call
//    (rt_sigprocmask); a thread that finds the signals blocked unblocks them, runs the
//    operation and restores its mask.
//  * Programs that never run fallible operations with those signals blocked can switch the
//    check off (set_signal_mask_check(false)) and pay no system call at all, as the raw C
//    routines in vmio/fallible.h never do.
//  * FaultSignalsUnblocked does the same for any scope, e.g. around raw C calls made from a
//    signal handler.
#pragma once

#include <csignal>

namespace vmio {

/// Turns the per-operation mask check of the C++ API on (the default) or off, process-wide.
void set_signal_mask_check(bool enabled) noexcept;

/// Whether the C++ API checks the signal mask on each fallible operation.
[[nodiscard]] bool signal_mask_check() noexcept;

/// Unblocks SIGSEGV and SIGBUS in the calling thread for the lifetime of the object and
/// then restores the thread's previous mask. Async-signal-safe.
class FaultSignalsUnblocked {
public:
    FaultSignalsUnblocked() noexcept;
    ~FaultSignalsUnblocked();
    FaultSignalsUnblocked(const FaultSignalsUnblocked&) = delete;
    FaultSignalsUnblocked& operator=(const FaultSignalsUnblocked&) = delete;

    /// Whether SIGSEGV or SIGBUS was blocked when the object was created.
    [[nodiscard]] bool was_blocked() const noexcept { return was_blocked_; }

private:
    sigset_t saved_;
    bool was_blocked_;
};

}  // namespace vmio
