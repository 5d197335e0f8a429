// The per-operation entry check of the C++ entry points (vmio/copy.hpp, vmio/atomic.hpp and
// everything built on them); the policy it implements is described in vmio/signal_mask.hpp.
//
// The fast path reads the stack pointer and the thread's care range (two initial-exec TLS
// words): no call, no system call, no shared variable. It takes the slow path when the stack
// pointer lies in the care range, which is the whole address space until the thread is
// prepared; after that it is the thread's alternate signal stack (a handler running there may
// have SIGSEGV/SIGBUS blocked), or the whole address space again for a thread that had them
// blocked when it was prepared or in a mode other than the default.
#pragma once

#include "vmio/detail/language.hpp"

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

extern constinit thread_local CareRange thread_care_range __attribute__((tls_model("initial-exec")));
/// The calling thread's alternate signal stack as recorded when it was prepared.
extern constinit thread_local CareRange thread_alt_stack __attribute__((tls_model("initial-exec")));

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
    return stack_pointer() - range.begin < range.size;
}

/// The slow entry path: prepares the thread on its first operation and, where the policy says
/// SIGSEGV/SIGBUS might be blocked, unblocks them until it is destroyed (src/fault/signal_mask.cpp).
class SlowEntry {
public:
    SlowEntry() noexcept;
    ~SlowEntry();
    SlowEntry(const SlowEntry&) = delete;
    SlowEntry& operator=(const SlowEntry&) = delete;

private:
    sigset_t saved_mask_;
    bool restore_mask_ = false;
};

template <auto Routine, typename... Args>
[[gnu::noinline, gnu::cold]] auto call_after_slow_entry(Args... args) noexcept {
    const SlowEntry entry;
    return Routine(args...);
}

/// Calls a raw fallible routine (vmio/fallible.h) behind the entry check. The slow path is a
/// function of its own that takes the same arguments, so the fast path keeps them in registers
/// and needs no stack space for a saved mask.
template <auto Routine, typename... Args>
[[gnu::always_inline]] inline auto call_fallible(Args... args) noexcept {
    if (needs_slow_entry()) [[unlikely]] {
        return call_after_slow_entry<Routine>(args...);
    }
    return Routine(args...);
}

/// Runs a fallible body that is more than one raw routine (a callable) behind the entry check.
template <typename Body>
[[gnu::always_inline]] inline auto run_fallible(Body&& body) noexcept {
    if (needs_slow_entry()) [[unlikely]] {
        const SlowEntry entry;
        return body();
    }
    return body();
}

}  // namespace vmio::detail
