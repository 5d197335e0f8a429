// Per-operation preparation shared by the C++ entry points (vmio/copy.hpp, vmio/atomic.hpp).
#pragma once

#include <atomic>
#include <optional>

#include "vmio/signal_mask.hpp"

namespace vmio::detail {

extern thread_local bool thread_prepared __attribute__((tls_model("initial-exec")));
extern constinit std::atomic<bool> signal_mask_check_enabled;
void prepare_thread_slow();

/// Held around one fallible operation: makes sure the thread has its alternate signal stack
/// and, when the mask check is on, that SIGSEGV/SIGBUS can be delivered.
class FallibleScope {
public:
    FallibleScope() noexcept {
        if (!thread_prepared) [[unlikely]] {
            prepare_thread_slow();
        }
        if (signal_mask_check_enabled.load(std::memory_order_relaxed)) {
            unblocked_.emplace();
        }
    }

private:
    std::optional<FaultSignalsUnblocked> unblocked_;
};

}  // namespace vmio::detail
