// Per-thread preparation and fault records (the design is described in installation.cpp).
//
// Preparing a thread gives it an alternate signal stack, so that the handler never runs on a
// nearly full stack or a small fiber stack, and records where fallible operations must look
// at the signal mask (vmio/detail/thread.hpp). It may run inside a signal handler or in a
// forked child: it makes system calls (sigaltstack, mmap, mprotect, rt_sigprocmask) and
// writes initial-exec TLS, nothing else. The stack it maps is released at thread exit by the
// destructor of a pthread key created at load time; glibc keeps the values of its first 32
// keys inside the thread descriptor, so pthread_setspecific() neither allocates nor locks. A
// key created after the process already had 32 (libvmio dlopen()ed late by a program with
// many) lives in a block glibc allocates on each thread's first pthread_setspecific(): there,
// a thread's first preparation allocates, and a thread must be prepared outside signal
// handlers before a handler on it uses vmio (the README says so).
#include "thread_state.hpp"

#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdlib>

#include "installation.hpp"
#include "signal_mask_mode.hpp"
#include "vmio/detail/thread.hpp"
#include "vmio/fallible.h"

namespace vmio::detail {

constinit thread_local ThreadFaultState thread_fault_state __attribute__((tls_model("initial-exec"))) = {};
constinit thread_local CareRange thread_care_range __attribute__((tls_model("initial-exec"))) = {0, UINTPTR_MAX};
constinit thread_local CareRange thread_alt_stack __attribute__((tls_model("initial-exec"))) = {0, 0};

namespace {

thread_local bool thread_prepared __attribute__((tls_model("initial-exec"))) = false;
thread_local bool blocked_at_preparation __attribute__((tls_model("initial-exec"))) = false;
constexpr CareRange everywhere{0, UINTPTR_MAX};

// Room for vmio's handler, a handler it chains to and the kernel's signal frame, which holds
// the whole vector state (several KiB with AVX-512).
constexpr std::size_t handler_stack_size = 64 * 1024;

// Set at load time (sysconf may not be async-signal-safe).
std::size_t page_size = 4096;
std::size_t required_alt_stack_size = handler_stack_size;  // the smallest alt stack vmio keeps
std::size_t alt_mapping_size = 0;                          // vmio's own: guard page + stack
pthread_key_t alt_stack_key;

[[noreturn]] void fail(const char* text) noexcept {
    (void)!write(STDERR_FILENO, text, __builtin_strlen(text));
    std::abort();
}

// Thread exit: unmaps the stack vmio gave the thread (`base` is the mapping, guard page first).
void release_alt_stack(void* base) noexcept {
    stack_t current{};
    if (sigaltstack(nullptr, &current) == 0 && current.ss_sp == static_cast<char*>(base) + page_size) {
        const stack_t off{.ss_sp = nullptr, .ss_flags = SS_DISABLE, .ss_size = 0};
        sigaltstack(&off, nullptr);
    }
    munmap(base, alt_mapping_size);
    // A fallible operation in a later destructor of this thread prepares it again.
    thread_prepared = false;
    thread_alt_stack = {0, 0};
    thread_care_range = everywhere;
}

CareRange give_alt_stack() noexcept {
    stack_t current{};
    sigaltstack(nullptr, &current);
    const bool has_one = (current.ss_flags & SS_DISABLE) == 0;
    // Keep an alternate stack that is large enough, and any stack the thread is running on.
    if (has_one && (current.ss_size >= required_alt_stack_size || (current.ss_flags & SS_ONSTACK) != 0)) {
        return {reinterpret_cast<std::uintptr_t>(current.ss_sp), current.ss_size};
    }
    void* base = mmap(nullptr, alt_mapping_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) {
        fail("vmio: cannot map an alternate signal stack\n");
    }
    mprotect(base, page_size, PROT_NONE);  // guard page: an overflow faults instead of corrupting
    char* const stack = static_cast<char*>(base) + page_size;
    const stack_t ss{.ss_sp = stack, .ss_flags = 0, .ss_size = alt_mapping_size - page_size};
    if (sigaltstack(&ss, nullptr) != 0) {
        fail("vmio: sigaltstack failed\n");
    }
    pthread_setspecific(alt_stack_key, base);
    return {reinterpret_cast<std::uintptr_t>(stack), alt_mapping_size - page_size};
}

CareRange care_range_now() noexcept {
    const bool every_operation = blocked_at_preparation ||
                                 signal_mask_check_mode.load(std::memory_order_relaxed) != SignalMaskCheck::Cached;
    return every_operation ? everywhere : thread_alt_stack;
}

bool fault_signals_blocked() noexcept {
    sigset_t mask;
    pthread_sigmask(SIG_BLOCK, nullptr, &mask);
    return sigismember(&mask, SIGSEGV) == 1 || sigismember(&mask, SIGBUS) == 1;
}

}  // namespace

void init_thread_preparation() noexcept {
    page_size = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    // _SC_SIGSTKSZ accounts for the largest signal frame of this CPU (AT_MINSIGSTKSZ).
    required_alt_stack_size = static_cast<std::size_t>(std::max(sysconf(_SC_SIGSTKSZ), long{MINSIGSTKSZ}));
    const std::size_t stack = std::max(handler_stack_size, required_alt_stack_size);
    alt_mapping_size = (stack + page_size - 1) / page_size * page_size + page_size;
    if (pthread_key_create(&alt_stack_key, release_alt_stack) != 0) {
        fail("vmio: cannot create the thread-exit key\n");
    }
}

void prepare_thread_now() noexcept {
    if (thread_prepared) {
        return;
    }
    thread_alt_stack = give_alt_stack();
    blocked_at_preparation = fault_signals_blocked();
    thread_care_range = care_range_now();
    thread_fault_state.has_fault = false;
    thread_prepared = true;
}

void refresh_care_range() noexcept {
    if (thread_prepared) {
        thread_care_range = care_range_now();
    }
}

bool cached_mode_looks(std::uintptr_t sp) noexcept {
    return blocked_at_preparation || sp - thread_alt_stack.begin < thread_alt_stack.size;
}

}  // namespace vmio::detail

extern "C" void vmio_prepare_thread(void) { vmio::detail::prepare_thread_now(); }

namespace vmio {

void prepare_thread() noexcept { detail::prepare_thread_now(); }

std::optional<FaultRecord> last_fault() noexcept {
    const auto& state = detail::thread_fault_state;
    return state.has_fault ? std::optional(state.last) : std::nullopt;
}

void clear_last_fault() noexcept { detail::thread_fault_state.has_fault = false; }

std::uint64_t recovered_fault_count() noexcept { return detail::thread_fault_state.recovered; }

}  // namespace vmio
