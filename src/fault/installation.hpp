// The pieces of vmio's fault handling that are shared between files of src/fault/ (the
// design is described at the top of installation.cpp).
#pragma once

#include <csignal>

namespace vmio::detail {

/// vmio's SIGSEGV/SIGBUS handler (signal_handler.cpp).
void on_fault(int sig, siginfo_t* info, void* context);

/// The action vmio replaced when it last installed itself for `sig`: where foreign faults go.
/// SIG_DFL before the first install. Async-signal-safe.
[[nodiscard]] const struct sigaction& previous_action(int sig) noexcept;

/// Load-time set-up, run once by the library constructor (installation.cpp) before anything
/// else: the signal-mask mode from VMIO_SIGNAL_MASK_CHECK (signal_mask.cpp) and the
/// thread-exit hook that releases alternate stacks (thread_state.cpp).
void read_signal_mask_check_from_environment() noexcept;
void init_thread_preparation() noexcept;

}  // namespace vmio::detail
