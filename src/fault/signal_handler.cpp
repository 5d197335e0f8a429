// vmio's SIGSEGV/SIGBUS handler. Everything reachable from on_fault() is async-signal-safe:
// it reads the ucontext, a sorted read-only table, a resolver pointer and the previously
// installed actions (all written before the handler is installed), and writes only the
// calling thread's initial-exec TLS record. It allocates nothing and takes no lock.
#include <pthread.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "exception_table.hpp"
#include "machine_context.hpp"
#include "thread_state.hpp"
#include "vmio/fault.hpp"

namespace vmio::detail {
namespace {

constexpr int handled_signals[] = {SIGSEGV, SIGBUS};

// The actions that were in place when vmio installed itself; foreign faults go there.
struct sigaction previous_segv{};
struct sigaction previous_bus{};

struct sigaction& previous_action(int sig) noexcept {
    return sig == SIGBUS ? previous_bus : previous_segv;
}

std::atomic<FaultResolver*> resolver{nullptr};

// Hands a signal that is not ours to whoever had it before, or applies the default action.
void chain(int sig, siginfo_t* info, void* context) noexcept {
    const struct sigaction& prev = previous_action(sig);
    if ((prev.sa_flags & SA_SIGINFO) != 0) {
        prev.sa_sigaction(sig, info, context);
        return;
    }
    if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN) {
        prev.sa_handler(sig);
        return;
    }
    const bool sent = info->si_code <= 0;
    if (sent && prev.sa_handler == SIG_IGN) {
        return;  // a kill()/raise() of an ignored signal: ignore it
    }
    // Default action. Restore SIG_DFL; a real fault re-executes on return and the kernel
    // kills the process with this signal; a sent signal is raised again.
    struct sigaction dfl{};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, nullptr);
    if (sent) {
        raise(sig);
    }
}

void on_fault(int sig, siginfo_t* info, void* context) {
    const int saved_errno = errno;
    auto* uc = static_cast<ucontext_t*>(context);
    if (info->si_code > 0) {  // <= 0: sent by kill/raise/sigqueue, never a fault
        const FaultInfo fault{info->si_addr, access_of(*uc), sig};
        if (FaultResolver* r = resolver.load(std::memory_order_acquire);
            r != nullptr && r->resolve(fault)) {
            errno = saved_errno;
            return;  // resolved: the access re-executes and succeeds
        }
        const std::uintptr_t faulting_pc = pc(*uc);
        if (const std::uintptr_t fixup = find_fixup(faulting_pc); fixup != 0) {
            auto& state = thread_fault_state;
            state.last = {reinterpret_cast<std::uintptr_t>(fault.address), fault.access, sig, faulting_pc};
            state.has_fault = true;
            ++state.recovered;
            enter_fixup(*uc, fixup, reinterpret_cast<std::uintptr_t>(fault.address));
            errno = saved_errno;
            return;
        }
    }
    chain(sig, info, context);
    errno = saved_errno;
}

std::mutex install_mutex;

void install_locked() {
    struct sigaction ours{};
    ours.sa_sigaction = on_fault;
    ours.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&ours.sa_mask);
    for (const int sig : handled_signals) {
        struct sigaction current{};
        sigaction(sig, nullptr, &current);
        if ((current.sa_flags & SA_SIGINFO) != 0 && current.sa_sigaction == on_fault) {
            continue;  // already on top
        }
        // Record what we chain to before we become reachable. No fault of ours can be in
        // flight for this signal here, since our handler is not the current one.
        previous_action(sig) = current;
        if (sigaction(sig, &ours, nullptr) != 0) {
            std::perror("vmio: cannot install the fault handler");
            std::abort();
        }
    }
}

}  // namespace
}  // namespace vmio::detail

namespace vmio {

void install_fault_handler() {
    static std::once_flag sorted;
    std::call_once(sorted, detail::sort_exception_table);
    const std::lock_guard lock(detail::install_mutex);
    detail::install_locked();
}

void set_fault_resolver(FaultResolver* resolver) noexcept {
    detail::resolver.store(resolver, std::memory_order_release);
}

FaultResolver* fault_resolver() noexcept { return detail::resolver.load(std::memory_order_acquire); }

}  // namespace vmio

// The handler is in place before main() and before any fallible operation.
[[gnu::constructor]] static void vmio_install_at_load() { vmio::install_fault_handler(); }
