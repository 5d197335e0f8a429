// Fallible operations while SIGSEGV/SIGBUS may be blocked.
//
// If a thread faults while SIGSEGV (or SIGBUS) is blocked, Linux does not deliver the signal:
// it resets the action to the default and kills the process. Reading a thread's mask is a
// system call, so the C++ API (vmio/copy.hpp, vmio/atomic.hpp and the readers, writers and VM
// objects built on them) does not read it on every operation. In the default mode, `Cached`:
//
//  context of the operation                                   covered   how
//  --------------------------------------------------------   -------   ---------------------
//  thread with both signals deliverable                        yes       nothing to do: no
//                                                                        system call
//  thread that had them blocked at its first fallible          yes       seen at preparation;
//  operation (inherited mask, "block everything" servers)                every operation then
//                                                                        reads the mask and
//                                                                        unblocks for its
//                                                                        duration (a system
//                                                                        call each)
//  signal handler running on the thread's alternate stack      yes       the stack pointer is
//  (SA_ONSTACK; vmio gives every prepared thread one)                    in that stack: same
//  any handler whose sa_mask holds neither signal              yes       nothing is blocked
//  handler vmio chained a foreign fault to, on a thread         yes       it runs on vmio's
//  prepared before the fault (otherwise: ordinary stack,                 alternate stack: same
//  with the mask its own sigaction asked for)
//  handler on the ordinary stack that blocks them (sa_mask     no        wrap the operations in
//  from sigfillset, a SIGSEGV handler without SA_NODEFER)                FaultSignalsUnblocked
//  thread that blocks them after its first fallible operation  no        same
//  raw C routines (vmio/fallible.h)                            no        the caller unblocks
//
// Where the caller must help, the `Diagnose` mode (environment: VMIO_SIGNAL_MASK_CHECK=diagnose)
// reads the mask on every operation and, if it finds a signal blocked in a context the default
// mode does not cover, prints what to do and aborts, instead of a silent death at the first
// fault. `EveryCall` (VMIO_SIGNAL_MASK_CHECK=every-call) covers every context at the price of
// one system call per operation.
#pragma once

#include "vmio/detail/language.hpp"

#include <atomic>
#include <csignal>
#include <cstdint>

namespace vmio {

/// How the C++ API makes sure SIGSEGV/SIGBUS can be delivered during a fallible operation.
enum class SignalMaskCheck : std::uint8_t {
    Cached,     ///< the default: no system call, except in the contexts the table above lists
    EveryCall,  ///< read the mask on every operation and unblock for its duration
    Diagnose,   ///< as EveryCall, and abort with a message where Cached would not be safe
};

/// Sets the mode of the calling thread, at once, and of every thread prepared afterwards;
/// threads prepared earlier keep the mode they were prepared in (the fast path reads only the
/// thread's own state). Set it before starting threads, or use the environment variable
/// VMIO_SIGNAL_MASK_CHECK (`cached`, `every-call` or `diagnose`; anything else is refused with
/// a message when the library loads), which sets the initial mode for every thread.
void set_signal_mask_check(SignalMaskCheck mode) noexcept;

/// The mode that threads are prepared in from now on.
[[nodiscard]] SignalMaskCheck signal_mask_check() noexcept;

/// Unblocks SIGSEGV and SIGBUS in the calling thread for the lifetime of the object, then
/// restores the thread's previous mask. Fallible operations inside the scope make no system
/// call (unless they run on the alternate signal stack). Async-signal-safe; prepares the
/// thread if it has not been prepared yet.
class FaultSignalsUnblocked {
public:
    FaultSignalsUnblocked() noexcept;
    ~FaultSignalsUnblocked();
    FaultSignalsUnblocked(const FaultSignalsUnblocked&) = delete;
    FaultSignalsUnblocked& operator=(const FaultSignalsUnblocked&) = delete;

    /// Whether SIGSEGV or SIGBUS was blocked when the object was created.
    [[nodiscard]] bool was_blocked() const noexcept { return was_blocked_; }

private:
    sigset_t saved_mask_;
    std::uintptr_t saved_care_begin_;
    std::uintptr_t saved_care_size_;
    bool was_blocked_;
};

}  // namespace vmio
