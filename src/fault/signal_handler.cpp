// vmio's SIGSEGV/SIGBUS handler (installed as described in installation.cpp).
//
// For a fault (si_code > 0): the resolver, if one is set, may make the access possible (the
// instruction then re-executes); otherwise a faulting instruction listed in the exception
// table resumes at its fixup with the fault recorded for the thread. Everything else — faults
// of other code, and signals sent with kill/raise/sigqueue/tkill (si_code <= 0) — is chained
// to the previous action, or gets the default action so that it ends the process with its
// own signal.
//
// Chaining follows the order of installs and cannot cycle. Starting a chain, vmio marks the
// signal's context with a value of its own and records, per thread, the mark, the stack
// pointer of the chaining frame and the install whose replaced action it calls (the latest).
// If vmio is entered again, deeper on the stack, with that mark, the handler it called has
// chained back to vmio — an earlier install of vmio, which replaced the action one install
// further down: the signal goes there, and to the default action below the first. The
// handler it calls runs as the kernel would run it: its sa_mask blocked, and the signal
// itself unless it has SA_NODEFER; an SA_RESETHAND handler once.
//
// Everything reachable from on_fault() is async-signal-safe: it reads the ucontext, the
// sorted read-only table, the resolver pointer and the published previous actions, and writes
// only the calling thread's initial-exec TLS, a foreign signal's context (uc_link, put back)
// and the signal mask while it calls another handler. It allocates nothing and takes no lock.
#include <pthread.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>

#include "exception_table.hpp"
#include "installation.hpp"
#include "machine_context.hpp"
#include "thread_state.hpp"
#include "vmio/detail/thread.hpp"
#include "vmio/fault.hpp"

namespace vmio::detail {
namespace {

std::atomic<FaultResolver*> resolver{nullptr};

// A chain's mark travels in the signal context's uc_link, which the kernel (and qemu-user)
// sets to null in every signal frame it builds and which sigreturn does not read: a handler
// that chains back passes the mark along with the context, or with a copy of it, and no later
// signal carries it. vmio puts the field back when the chain returns.
using Mark = std::uintptr_t;

Mark mark_of(const ucontext_t* uc) noexcept { return uc == nullptr ? 0 : reinterpret_cast<Mark>(uc->uc_link); }

struct ChainRecord {
    bool active;
    int sig;
    Mark mark;
    std::uintptr_t sp;
    // Whose replaced action is being called. Below install 0 the number wraps past every
    // install, for which take_replaced_action hands out the default action.
    unsigned install;
};

thread_local ChainRecord chaining __attribute__((tls_model("initial-exec"))) = {};
thread_local Mark marks_made __attribute__((tls_model("initial-exec"))) = 0;

// A mark no other chain of this thread had: odd, so never null nor a real context's address.
Mark new_mark() noexcept { return static_cast<Mark>(++marks_made * 0x9e3779b97f4a7c15ULL) | 1; }

// Whether the signal vmio is chaining on this thread has come back: a handler it called has
// chained to its own previous action, which is vmio again, with the chain's mark, from deeper
// on the stack. A record left behind by a handler that left by siglongjmp never matches: a
// later signal comes in a fresh frame. A handler that chains with no context cannot carry the
// mark: its signal starts a chain of its own (so vmio on top of such a handler would hand it
// round until the alternate stack overflows and the kernel ends the process with SIGSEGV).
bool came_back(const ChainRecord& record, int sig, const ucontext_t* uc, std::uintptr_t sp) noexcept {
    return record.active && record.sig == sig && mark_of(uc) == record.mark && sp < record.sp;
}

// Restores SIG_DFL: a real fault re-executes when the handlers return and the kernel ends the
// process with this signal; a sent signal is raised again.
void apply_default_action(int sig, bool sent) noexcept {
    struct sigaction dfl{};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, nullptr);
    if (sent) {
        raise(sig);
    }
}

// Sent by kill/raise/sigqueue/tkill (si_code <= 0), or passed on by a handler without its
// siginfo: never a fault vmio can recover.
bool is_sent(const siginfo_t* info) noexcept { return info == nullptr || info->si_code <= 0; }

// Calls `handler` as the kernel would have: with its sa_mask blocked, and the signal itself
// unless it has SA_NODEFER.
void call_handler(const struct sigaction& handler, int sig, siginfo_t* info, void* context) noexcept {
    sigset_t blocked = handler.sa_mask;
    if ((handler.sa_flags & SA_NODEFER) == 0) {
        sigaddset(&blocked, sig);
    }
    sigset_t saved;
    const bool masks = sigisemptyset(&blocked) == 0 && pthread_sigmask(SIG_BLOCK, &blocked, &saved) == 0;
    if ((handler.sa_flags & SA_SIGINFO) != 0) {
        handler.sa_sigaction(sig, info, context);
    } else {
        handler.sa_handler(sig);
    }
    if (masks) {
        pthread_sigmask(SIG_SETMASK, &saved, nullptr);
    }
}

// Hands a signal that is not ours to the action install `install` replaced, or applies the
// default action.
void chain(int sig, siginfo_t* info, void* context, unsigned install) noexcept {
    const struct sigaction target = take_replaced_action(sig, install);
    if (is_handler(target)) {
        call_handler(target, sig, info, context);
    } else if (!is_sent(info) || target.sa_handler == SIG_DFL) {  // a sent, ignored signal is ignored
        apply_default_action(sig, is_sent(info));
    }
}

void on_foreign(int sig, siginfo_t* info, ucontext_t* uc) noexcept {
    const std::uintptr_t sp = stack_pointer();
    const ChainRecord outer = chaining;
    ucontext_t* const link = uc == nullptr ? nullptr : uc->uc_link;
    if (came_back(outer, sig, uc, sp)) {
        chaining = {.active = true, .sig = sig, .mark = outer.mark, .sp = sp, .install = outer.install - 1};
    } else {
        chaining = {.active = true, .sig = sig, .mark = uc == nullptr ? 0 : new_mark(), .sp = sp,
                    .install = installs_of(sig) - 1};
        if (uc != nullptr) {
            uc->uc_link = reinterpret_cast<ucontext_t*>(chaining.mark);
        }
    }
    chain(sig, info, uc, chaining.install);
    if (uc != nullptr) {
        uc->uc_link = link;
    }
    chaining = outer;
}

}  // namespace

void on_fault(int sig, siginfo_t* info, void* context) {
    const int saved_errno = errno;
    auto* uc = static_cast<ucontext_t*>(context);
    if (!is_sent(info) && uc != nullptr) {
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
