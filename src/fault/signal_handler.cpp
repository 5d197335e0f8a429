// vmio's SIGSEGV/SIGBUS handler (installed as described in installation.cpp).
//
// For a fault (si_code > 0): the resolver, if one is set, may make the access possible (the
// instruction then re-executes); otherwise a faulting instruction listed in the exception
// table resumes at its fixup with the fault recorded for the thread. Everything else — faults
// of other code, and signals sent with kill/raise/sigqueue/tkill (si_code <= 0) — is chained
// to the previous action, or gets the default action so that it ends the process with its
// own signal.
//
// Chaining cannot cycle. While vmio is calling the previous handler, the thread's chain
// record holds the fault being chained (signal, code, address, program counter) and the
// stack pointer of the chaining frame. If vmio is entered again, deeper on the stack, for
// that same fault, the previous handler has chained back to vmio: the default action ends
// the cycle. A previous handler that leaves by siglongjmp leaves a stale record behind; the
// next fault's handler frame is then not deeper than the recorded one (or the fault differs),
// so the stale record is never mistaken for a cycle.
//
// Everything reachable from on_fault() is async-signal-safe: it reads the ucontext, the
// sorted read-only table, the resolver pointer and the published previous actions, and writes
// only the calling thread's initial-exec TLS. It allocates nothing and takes no lock.
#include <atomic>
#include <cerrno>
#include <csignal>

#include "exception_table.hpp"
#include "installation.hpp"
#include "machine_context.hpp"
#include "thread_state.hpp"
#include "vmio/detail/thread.hpp"
#include "vmio/fault.hpp"

namespace vmio::detail {
namespace {

std::atomic<FaultResolver*> resolver{nullptr};

struct ChainRecord {
    bool active;
    int sig;
    int code;
    void* address;
    std::uintptr_t pc;
    std::uintptr_t sp;
};

thread_local ChainRecord chaining __attribute__((tls_model("initial-exec"))) = {};

bool is_cycle(const ChainRecord& record, int sig, const siginfo_t& info, std::uintptr_t faulting_pc,
              std::uintptr_t sp) noexcept {
    return record.active && record.sig == sig && record.code == info.si_code && record.address == info.si_addr &&
           record.pc == faulting_pc && sp < record.sp;
}

// Restores SIG_DFL: a real fault re-executes when the handlers return and the kernel ends the
// process with this signal; a sent signal is raised again.
void apply_default_action(int sig, const siginfo_t& info) noexcept {
    struct sigaction dfl{};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, nullptr);
    if (info.si_code <= 0) {
        raise(sig);
    }
}

// Hands a signal that is not ours to whoever had it before vmio, or applies the default action.
void chain(int sig, siginfo_t* info, void* context) noexcept {
    const struct sigaction previous = previous_action(sig);
    if ((previous.sa_flags & SA_SIGINFO) != 0) {
        previous.sa_sigaction(sig, info, context);
        return;
    }
    if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
        previous.sa_handler(sig);
        return;
    }
    if (info->si_code <= 0 && previous.sa_handler == SIG_IGN) {
        return;  // a kill()/raise() of an ignored signal: ignore it
    }
    apply_default_action(sig, *info);
}

void on_foreign(int sig, siginfo_t* info, ucontext_t* uc) noexcept {
    const std::uintptr_t faulting_pc = pc(*uc);
    const std::uintptr_t sp = stack_pointer();
    if (is_cycle(chaining, sig, *info, faulting_pc, sp)) {
        apply_default_action(sig, *info);
        return;
    }
    const ChainRecord outer = chaining;
    chaining = {.active = true, .sig = sig, .code = info->si_code, .address = info->si_addr, .pc = faulting_pc, .sp = sp};
    chain(sig, info, uc);
    chaining = outer;
}

}  // namespace

void on_fault(int sig, siginfo_t* info, void* context) {
    const int saved_errno = errno;
    auto* uc = static_cast<ucontext_t*>(context);
    if (info->si_code > 0) {  // <= 0: sent by kill/raise/sigqueue/tkill, never a fault
        const FaultInfo fault{info->si_addr, access_of(*uc), sig};
        if (FaultResolver* r = resolver.load(std::memory_order_acquire); r != nullptr && r->resolve(fault)) {
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
    on_foreign(sig, info, uc);
    errno = saved_errno;
}

}  // namespace vmio::detail

namespace vmio {

void set_fault_resolver(FaultResolver* resolver) noexcept {
    detail::resolver.store(resolver, std::memory_order_release);
}

FaultResolver* fault_resolver() noexcept { return detail::resolver.load(std::memory_order_acquire); }

}  // namespace vmio
