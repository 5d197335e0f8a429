// How vmio owns SIGSEGV and SIGBUS, per process and per thread.
//
// Installation and order. vmio installs its handler once, when the library is loaded (a
// constructor of the highest priority, before any other constructor of the program can run a
// fallible operation), and again only when the program asks: vmio::install_fault_handler() or
// vmio_install_fault_handler(). Nothing installs it implicitly later, so the order of
// handlers is the order of those calls:
//  * a handler installed before vmio's is vmio's "previous" action: faults that are not
//    vmio's are chained to it (SA_SIGINFO or plain), or get the default action;
//  * a handler installed after vmio's is on top: it sees every fault first. If it chains to
//    its previous action (as V8, Breakpad, Wasmtime and sanitizers do), vmio's faults are
//    recovered as usual; if it does not, they are not — call install_fault_handler() after
//    installing it to put vmio back on top, chaining to it.
// Each install remembers the action it replaces (the first for ever, the later ones' last
// 256 per signal), so that a signal coming back to vmio through a handler installed between
// two installs goes on to what the earlier install replaced (signal_handler.cpp); a handler
// on another thread never reads a half-written action. vmio's action carries SA_RESTART when
// the replaced one did or ignored the signal, so a sent signal does not interrupt system
// calls that the replaced action let restart (an ignored one, which the kernel discarded,
// still interrupts the calls that never restart, such as nanosleep and poll). Installs are
// serialised by a spin lock; the child of a fork during an install settles it (it counts if
// vmio's action was already on top) and resets the lock, so it can use and re-install vmio.
//
// Chaining cannot cycle: if a handler that vmio chained to chains back to vmio with the same
// signal, vmio recognises it and hands the signal on to the action below, ending in the
// default action (signal_handler.cpp).
//
// Threads (thread_state.cpp). A thread is prepared on its first C++ fallible operation, on
// vmio::prepare_thread() or vmio_prepare_thread(): an alternate signal stack (unless it has a
// large enough one) and a look at its signal mask (vmio/signal_mask.hpp). Preparation is
// async-signal-safe and fork-safe: system calls and initial-exec TLS only, no lock, no
// allocation, no thread_local with a destructor; the stack is released at thread exit by a
// pthread key destructor.
//
// Unloading. The shared library is linked with -z nodelete: dlclose() of a library that uses
// vmio never unmaps the handler, the exception table or the key destructor while they may
// still run. A static libvmio in a dlopen()ed plugin needs the plugin linked the same way;
// `pkg-config --static --libs vmio` says so.
#include <pthread.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <unistd.h>

#include "exception_table.hpp"
#include "installation.hpp"
#include "thread_state.hpp"
#include "vmio/fallible.h"
#include "vmio/fault.hpp"

namespace vmio::detail {
namespace {

constexpr int handled_signals[] = {SIGSEGV, SIGBUS};

// The action the first install replaced is kept for ever: it is the bottom of the chain (the
// default action, a sanitizer's or a crash reporter's handler). Of the later installs', the
// last 256 are remembered; a signal that comes back further down than that goes to the
// bottom.
constexpr unsigned remembered_installs = 256;

// The action one install replaced. `spent` is set when an SA_RESETHAND handler is handed out.
struct ReplacedAction {
    struct sigaction action;
    std::atomic<bool> spent;
};

// Install 0 replaced `first`, install k > 0 `later[(k - 1) % remembered_installs]`. An install
// writes its slot, sets `pending` to its count, puts vmio's action on top, and only then
// stores `installs`: a handler on another thread never reads a half-written action, and
// counts the pending install exactly when vmio's action is already in place.
struct InstallHistory {
    ReplacedAction first;
    ReplacedAction later[remembered_installs];
    std::atomic<unsigned> installs;
    std::atomic<unsigned> pending;  // installs + 1 while an install is under way, else 0

    ReplacedAction& slot(unsigned install) noexcept {
        return install == 0 ? first : later[(install - 1) % remembered_installs];
    }
};

InstallHistory segv_history{};
InstallHistory bus_history{};

InstallHistory& history_of(int sig) noexcept { return sig == SIGBUS ? bus_history : segv_history; }

std::atomic_flag install_lock = ATOMIC_FLAG_INIT;

bool is_ours(const struct sigaction& action) noexcept {
    return (action.sa_flags & SA_SIGINFO) != 0 && action.sa_sigaction == on_fault;
}

bool on_top(int sig) noexcept {
    struct sigaction current{};
    sigaction(sig, nullptr, &current);
    return is_ours(current);
}

// The child of a fork during an install: that install either had put vmio on top (it counts)
// or had not (it never happened); then installs may go on.
void settle_installs_in_child() noexcept {
    for (const int sig : handled_signals) {
        InstallHistory& history = history_of(sig);
        const unsigned pending = history.pending.load(std::memory_order_relaxed);
        if (pending != 0 && on_top(sig)) {
            history.installs.store(pending, std::memory_order_relaxed);
        }
        history.pending.store(0, std::memory_order_relaxed);
    }
    install_lock.clear(std::memory_order_relaxed);
}

void write_message(const char* text) noexcept { (void)!write(STDERR_FILENO, text, __builtin_strlen(text)); }

void install_locked() noexcept {
    for (const int sig : handled_signals) {
        struct sigaction current{};
        sigaction(sig, nullptr, &current);
        if (is_ours(current)) {
            continue;  // already on top: keep the action it chains to
        }
        InstallHistory& history = history_of(sig);
        const unsigned install = history.installs.load(std::memory_order_relaxed);
        ReplacedAction& slot = history.slot(install);
        slot.action = current;
        slot.spent.store(false, std::memory_order_relaxed);
        history.pending.store(install + 1, std::memory_order_release);
        // A sent signal that vmio chains to a handler must not interrupt system calls that
        // the replaced action let restart (nor, where it can be helped, that an ignored
        // signal never interrupted).
        struct sigaction ours{};
        ours.sa_sigaction = on_fault;
        ours.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
        if ((current.sa_flags & SA_RESTART) != 0 || current.sa_handler == SIG_IGN) {
            ours.sa_flags |= SA_RESTART;
        }
        sigemptyset(&ours.sa_mask);
        if (sigaction(sig, &ours, nullptr) != 0) {
            write_message("vmio: cannot install the fault handler\n");
            std::abort();
        }
        history.installs.store(install + 1, std::memory_order_release);
        history.pending.store(0, std::memory_order_release);
    }
}

}  // namespace

unsigned installs_of(int sig) noexcept {
    const InstallHistory& history = history_of(sig);
    const unsigned pending = history.pending.load(std::memory_order_acquire);
    const unsigned installs = history.installs.load(std::memory_order_acquire);
    return pending == installs + 1 && on_top(sig) ? pending : installs;
}

struct sigaction take_replaced_action(int sig, unsigned install) noexcept {
    struct sigaction none{};  // SIG_DFL
    InstallHistory& history = history_of(sig);
    const unsigned installs = history.installs.load(std::memory_order_acquire);
    if (install >= installs) {
        return none;
    }
    if (installs - install > remembered_installs) {
        install = 0;  // forgotten: the bottom of the chain
    }
    ReplacedAction& slot = history.slot(install);
    if ((slot.action.sa_flags & SA_RESETHAND) != 0 && is_handler(slot.action) &&
        slot.spent.exchange(true, std::memory_order_acq_rel)) {
        return none;
    }
    return slot.action;
}

}  // namespace vmio::detail

extern "C" void vmio_install_fault_handler(void) {
    while (vmio::detail::install_lock.test_and_set(std::memory_order_acquire)) {
        sched_yield();
    }
    vmio::detail::install_locked();
    vmio::detail::install_lock.clear(std::memory_order_release);
}

namespace vmio {

void install_fault_handler() { vmio_install_fault_handler(); }

}  // namespace vmio

// Everything a fault or a fallible operation needs is ready before any other constructor
// runs: the configuration, the table (sorted once, before the handler can search it), the
// thread-exit hook and the handler itself.
[[gnu::constructor(101)]] static void vmio_load() {
    vmio::detail::read_signal_mask_check_from_environment();
    vmio::detail::sort_exception_table();
    vmio::detail::init_thread_preparation();
    pthread_atfork(nullptr, nullptr, vmio::detail::settle_installs_in_child);
    vmio_install_fault_handler();
}
