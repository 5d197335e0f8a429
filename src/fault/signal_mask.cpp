#include "vmio/signal_mask.hpp"

#include <pthread.h>

#include <atomic>

#include "vmio/detail/thread.hpp"

namespace vmio {
namespace detail {
constinit std::atomic<bool> signal_mask_check_enabled{true};
}  // namespace detail

void set_signal_mask_check(bool enabled) noexcept {
    detail::signal_mask_check_enabled.store(enabled, std::memory_order_relaxed);
}

bool signal_mask_check() noexcept {
    return detail::signal_mask_check_enabled.load(std::memory_order_relaxed);
}

FaultSignalsUnblocked::FaultSignalsUnblocked() noexcept {
    sigset_t fault_signals;
    sigemptyset(&fault_signals);
    sigaddset(&fault_signals, SIGSEGV);
    sigaddset(&fault_signals, SIGBUS);
    pthread_sigmask(SIG_UNBLOCK, &fault_signals, &saved_);
    was_blocked_ = sigismember(&saved_, SIGSEGV) == 1 || sigismember(&saved_, SIGBUS) == 1;
}

FaultSignalsUnblocked::~FaultSignalsUnblocked() {
    if (was_blocked_) {
        pthread_sigmask(SIG_SETMASK, &saved_, nullptr);
    }
}

}  // namespace vmio
