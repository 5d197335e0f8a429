// The pieces of vmio's fault handling that are shared between files of src/fault/ (the
// design is described at the top of installation.cpp).
#pragma once

#include <csignal>

namespace vmio::detail {

/// vmio's SIGSEGV/SIGBUS handler (signal_handler.cpp).
void on_fault(int sig, siginfo_t* info, void* context);

/// Whether `action` calls a function (neither SIG_DFL nor SIG_IGN, whatever its flags say).
[[nodiscard]] inline bool is_handler(const struct sigaction& action) noexcept {
    return action.sa_handler != SIG_DFL && action.sa_handler != SIG_IGN;
}

/// How many times vmio has put its handler for `sig` on top of another action. Install k
/// (from 0) replaced the action take_replaced_action(sig, k) hands out. Async-signal-safe.
[[nodiscard]] unsigned installs_of(int sig) noexcept;

/// Where vmio hands a signal that is not its own: the action its install number `install`
/// replaced. A signal starts at the latest install; one that comes back to vmio from a handler
/// chaining to its previous action (vmio installed, then that handler, then vmio on top again)
/// goes on to the install before. SIG_DFL when there is no such install; the first install's
/// action when `install` is too old to be remembered (the first is kept for ever). An
/// SA_RESETHAND handler is handed out once, as the kernel delivers it once; SIG_DFL after
/// that. Async-signal-safe.
[[nodiscard]] struct sigaction take_replaced_action(int sig, unsigned install) noexcept;

/// Load-time set-up, run once by the library constructor (installation.cpp) before anything
/// else: the signal-mask mode from VMIO_SIGNAL_MASK_CHECK (signal_mask.cpp) and the
/// thread-exit hook that releases alternate stacks (thread_state.cpp).
void read_signal_mask_check_from_environment() noexcept;
void init_thread_preparation() noexcept;

}  // namespace vmio::detail
