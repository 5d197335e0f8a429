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

/// Where vmio hands a signal that is not its own: the action one of vmio's installs for `sig`
/// replaced. Depth 0 is the latest install's; depth d is what the install d installs earlier
/// replaced, where a signal goes that came back to vmio d times from handlers chaining to
/// their previous action (vmio installed, then another handler, then vmio on top again).
/// SIG_DFL when vmio never installed that deep or no longer remembers it. An SA_RESETHAND
/// handler is handed out once, as the kernel delivers it once; SIG_DFL after that.
/// Async-signal-safe.
[[nodiscard]] struct sigaction take_replaced_action(int sig, unsigned depth) noexcept;

/// Load-time set-up, run once by the library constructor (installation.cpp) before anything
/// else: the signal-mask mode from VMIO_SIGNAL_MASK_CHECK (signal_mask.cpp) and the
/// thread-exit hook that releases alternate stacks (thread_state.cpp).
void read_signal_mask_check_from_environment() noexcept;
void init_thread_preparation() noexcept;

}  // namespace vmio::detail
