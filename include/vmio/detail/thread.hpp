// The per-operation entry check of the C++ entry points (vmio/copy.hpp, vmio/atomic.hpp and
// everything built on them); the policy it implements is described in vmio/signal_mask.hpp.
//
// The fast path reads the stack pointer, two initial-exec TLS words and one global: no call,
// no system call. It takes the slow path when the stack pointer lies in the thread's care
// range, which is the whole address space until the thread is prepared, then the thread's
// alternate signal stack (a handler running there may have SIGSEGV/SIGBUS blocked), or again
// the whole address space for a thread that had them blocked when it was prepared; and in
// every mode other than the default one.
#pragma once

#include <atomic>
#include <csignal>
#include <cstdint>

#include "vmio/signal_mask.hpp"

namespace vmio::detail {

/// Where the calling thread's fallible operations must look at the signal mask: stack
/// pointers in [begin, begin + size). Initial-exec TLS with no destructor, so signal handlers
/// and forked children can read and write it.
struct CareRange {
    std::uintptr_t begin;
    std::uintptr_t size;
};

extern thread_local CareRange thread_care_range __attribute__((tls_model("initial-exec")));
/// The calling thread's alternate signal stack as recorded when it was prepared.
extern thread_local CareRange thread_alt_stack __attribute__((tls_model("initial-exec")));
extern constinit std::atomic<SignalMaskCheck> signal_mask_check_mode;

[[nodiscard]] inline std::uintptr_t stack_pointer() noexcept {
    std::uintptr_t sp;
#if defined(__x86_64__)
    asm volatile("mov %%rsp, %0" : "=r"(sp));
#elif defined(__aarch64__)
    asm volatile("mov %0, sp" : "=r"(sp));
#elif defined(__riscv)
    asm volatile("mv %0, sp" : "=r"(sp));
#else
    sp = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
#endif
    return sp;
}

/// Whether an operation starting now must take the slow entry path.
[[nodiscard]] inline bool needs_slow_entry() noexcept {
    const CareRange range = thread_care_range;
    return stack_pointer() - range.begin < range.size ||
           signal_mask_check_mode.load(std::memory_order_relaxed) != SignalMaskCheck::Cached;
}

/// Held around one fallible operation: prepares the thread on its first operation and makes
/// sure SIGSEGV/SIGBUS can be delivered where the policy says they might not be.
class FallibleScope {
public:
    FallibleScope() noexcept {
        if (needs_slow_entry()) [[unlikely]] {
            enter_slow();
        }
    }
    ~FallibleScope() {
        if (restore_mask_) [[unlikely]] {
            leave_slow();
        }
    }
    FallibleScope(const FallibleScope&) = delete;
    FallibleScope& operator=(const FallibleScope&) = delete;

private:
    // src/fault/signal_mask.cpp
    void enter_slow() noexcept;
    void leave_slow() noexcept;

    sigset_t saved_mask_;
    bool restore_mask_ = false;
};

}  // namespace vmio::detail
