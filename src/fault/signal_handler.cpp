// vmio's SIGSEGV/SIGBUS handler (installed as described in installation.cpp).
//
// For a fault (si_code > 0): the resolver, if one is set, may make the access possible (the
// instruction then re-executes); otherwise a faulting instruction listed in the exception
// table resumes at its fixup with the fault recorded for the thread. Everything else — faults
// of other code, and signals sent with kill/raise/sigqueue/tkill (si_code <= 0) — is chained
// to the previous action, or gets the default action so that it ends the process with its
// own signal.
//
// Chaining follows the order of installs and cannot cycle. While vmio is calling a handler,
// the thread's chain record holds the signal's siginfo and context pointers, the stack
// pointer of the chaining frame and the depth of the install whose replaced action it is
// calling. If vmio is entered again, deeper on the stack, with the same siginfo and context,
// that handler has chained back to vmio — an earlier install of vmio, which replaced the
// action one install further down: the signal goes there, and to the default action when
// there is none. A handler that passes copies instead is not recognised: the chain then
// recurses until the alternate stack overflows and the kernel ends the process with SIGSEGV.
// The called handler runs with its sa_mask blocked, except SIGSEGV and SIGBUS, which stay
// deliverable so that fallible operations inside it are still recovered; an SA_RESETHAND
// handler is called once.
//
// Everything reachable from on_fault() is async-signal-safe: it reads the ucontext, the
// sorted read-only table, the resolver pointer and the published previous actions, and writes
// only the calling thread's initial-exec TLS. It allocates nothing and takes no lock.
#include <pthread.h>

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
    const siginfo_t* info;
    const void* context;
    std::uintptr_t sp;
    unsigned depth;  // of the install whose replaced action is being called
};

thread_local ChainRecord chaining __attribute__((tls_model("initial-exec"))) = {};

// Whether the signal vmio is chaining on this thread has come back: a handler it called has
// chained to its own previous action, which is vmio again, passing the kernel's siginfo and
// context through, from deeper on the stack. A record left behind by a handler that left by
// siglongjmp never matches a later signal: one whose frame holds its siginfo and context at
// the same addresses was delivered at the same place, so its handler is not deeper.
bool came_back(const ChainRecord& record, int sig, const siginfo_t* info, const void* context,
               std::uintptr_t sp) noexcept {
    return record.active && record.sig == sig && record.info == info && record.context == context && sp < record.sp;
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

// Calls `handler` as the kernel would have, with the signals of its sa_mask blocked — except
// SIGSEGV and SIGBUS, which stay deliverable (whatever its mask and SA_NODEFER say) so that a
// fallible operation inside it is still recovered.
void call_handler(const struct sigaction& handler, int sig, siginfo_t* info, void* context) noexcept {
    sigset_t extra = handler.sa_mask;
    sigdelset(&extra, SIGSEGV);
    sigdelset(&extra, SIGBUS);
    sigset_t saved;
    const bool masks = sigisemptyset(&extra) == 0 && pthread_sigmask(SIG_BLOCK, &extra, &saved) == 0;
    if ((handler.sa_flags & SA_SIGINFO) != 0) {
        handler.sa_sigaction(sig, info, context);
    } else {
        handler.sa_handler(sig);
    }
    if (masks) {
        pthread_sigmask(SIG_SETMASK, &saved, nullptr);
    }
}

// Hands a signal that is not ours to the action the install at `depth` replaced, or applies
// the default action.
void chain(int sig, siginfo_t* info, void* context, unsigned depth) noexcept {
    const struct sigaction target = take_replaced_action(sig, depth);
    if (is_handler(target)) {
        call_handler(target, sig, info, context);
    } else if (info->si_code > 0 || target.sa_handler == SIG_DFL) {  // a sent, ignored signal is ignored
        apply_default_action(sig, *info);
    }
}

void on_foreign(int sig, siginfo_t* info, ucontext_t* uc) noexcept {
    const std::uintptr_t sp = stack_pointer();
    const unsigned depth = came_back(chaining, sig, info, uc, sp) ? chaining.depth + 1 : 0;
    const ChainRecord outer = chaining;
    chaining = {.active = true, .sig = sig, .info = info, .context = uc, .sp = sp, .depth = depth};
    chain(sig, info, uc, depth);
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
