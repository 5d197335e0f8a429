// The signal-mask policy of the C++ API (vmio/signal_mask.hpp): the slow entry path of a
// fallible operation, the explicit unblocking scope and the mode.
#include "vmio/signal_mask.hpp"

#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

#include "installation.hpp"
#include "signal_mask_mode.hpp"
#include "thread_state.hpp"
#include "vmio/detail/thread.hpp"

namespace vmio {
namespace detail {

constinit std::atomic<SignalMaskCheck> signal_mask_check_mode{SignalMaskCheck::Cached};

namespace {

sigset_t fault_signals() noexcept {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGSEGV);
    sigaddset(&set, SIGBUS);
    return set;
}

bool blocks_a_fault_signal(const sigset_t& mask) noexcept {
    return sigismember(&mask, SIGSEGV) == 1 || sigismember(&mask, SIGBUS) == 1;
}

void write_message(const char* text) noexcept { (void)!write(STDERR_FILENO, text, std::strlen(text)); }

[[noreturn]] void report_uncovered_blocked_mask() noexcept {
    write_message(
        "vmio: a fallible operation ran with SIGSEGV or SIGBUS blocked where the default signal-mask mode "
        "does not look (a signal handler on the ordinary stack whose mask blocks them, or a mask changed "
        "after the thread's first fallible operation): a fault there kills the process. Wrap the operation "
        "in vmio::FaultSignalsUnblocked, install the handler with SA_ONSTACK, or run with "
        "VMIO_SIGNAL_MASK_CHECK=every-call (see vmio/signal_mask.hpp).\n");
    std::abort();
}

}  // namespace

void read_signal_mask_check_from_environment() noexcept {
    const char* value = std::getenv("VMIO_SIGNAL_MASK_CHECK");
    if (value == nullptr || std::strcmp(value, "cached") == 0) {
        return;
    }
    if (std::strcmp(value, "every-call") == 0) {
        signal_mask_check_mode.store(SignalMaskCheck::EveryCall, std::memory_order_relaxed);
    } else if (std::strcmp(value, "diagnose") == 0) {
        signal_mask_check_mode.store(SignalMaskCheck::Diagnose, std::memory_order_relaxed);
    } else {
        write_message("vmio: VMIO_SIGNAL_MASK_CHECK must be cached, every-call or diagnose; got '");
        write_message(value);
        write_message("'\n");
        std::exit(2);
    }
}

SlowEntry::SlowEntry() noexcept {
    prepare_thread_now();
    const SignalMaskCheck mode = signal_mask_check_mode.load(std::memory_order_relaxed);
    const bool looks = cached_mode_looks(stack_pointer());
    if (mode == SignalMaskCheck::Cached && !looks) {
        return;  // the thread's first operation, on a thread that can take faults
    }
    const sigset_t set = fault_signals();
    pthread_sigmask(SIG_UNBLOCK, &set, &saved_mask_);
    if (!blocks_a_fault_signal(saved_mask_)) {
        return;
    }
    if (mode == SignalMaskCheck::Diagnose && !looks) {
        report_uncovered_blocked_mask();
    }
    restore_mask_ = true;
}

SlowEntry::~SlowEntry() {
    if (restore_mask_) {
        pthread_sigmask(SIG_SETMASK, &saved_mask_, nullptr);
    }
}

}  // namespace detail

void set_signal_mask_check(SignalMaskCheck mode) noexcept {
    detail::signal_mask_check_mode.store(mode, std::memory_order_relaxed);
    detail::refresh_care_range();
}

SignalMaskCheck signal_mask_check() noexcept {
    return detail::signal_mask_check_mode.load(std::memory_order_relaxed);
}

FaultSignalsUnblocked::FaultSignalsUnblocked() noexcept {
    detail::prepare_thread_now();
    const sigset_t set = detail::fault_signals();
    pthread_sigmask(SIG_UNBLOCK, &set, &saved_mask_);
    was_blocked_ = detail::blocks_a_fault_signal(saved_mask_);
    saved_care_begin_ = detail::thread_care_range.begin;
    saved_care_size_ = detail::thread_care_range.size;
    detail::thread_care_range = detail::thread_alt_stack;
}

FaultSignalsUnblocked::~FaultSignalsUnblocked() {
    detail::thread_care_range = {saved_care_begin_, saved_care_size_};
    if (was_blocked_) {
        pthread_sigmask(SIG_SETMASK, &saved_mask_, nullptr);
    }
}

}  // namespace vmio
