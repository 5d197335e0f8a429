// Per-thread fault state, touched by the signal handler, and thread preparation.
//
// Both live in initial-exec TLS: its address is a fixed offset from the thread pointer, so the
// handler never goes through __tls_get_addr, which may allocate on a thread's first touch
// (not async-signal-safe).
#pragma once

#include <cstdint>

#include "vmio/fault.hpp"

namespace vmio::detail {

struct ThreadFaultState {
    FaultRecord last;
    bool has_fault;
    std::uint64_t recovered;
};

// constinit: no dynamic initialisation, so no TLS init call (a weak-symbol check and a call through
// the PLT) in the signal handler.
extern constinit thread_local ThreadFaultState thread_fault_state __attribute__((tls_model("initial-exec")));

/// Prepares the calling thread unless it is prepared: alternate signal stack, care range
/// (vmio/detail/thread.hpp). Async-signal-safe.
void prepare_thread_now() noexcept;

/// Recomputes the calling thread's care range after a change of mode, if it is prepared.
void refresh_care_range() noexcept;

/// Whether the default mode reads the mask for an operation of the calling (prepared) thread
/// whose stack pointer is `sp`: it had SIGSEGV/SIGBUS blocked when prepared, or `sp` is on its
/// alternate signal stack.
[[nodiscard]] bool cached_mode_looks(std::uintptr_t sp) noexcept;

}  // namespace vmio::detail
