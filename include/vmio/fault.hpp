// Fault recovery: the process-wide SIGSEGV/SIGBUS handler, per-thread fault records and
// the resolver hook that lets a simulated kernel resolve faults before they are fixed up.
//
// Data path: a fallible routine (vmio/fallible.h) touches a bad page -> the kernel raises
// SIGSEGV or SIGBUS -> vmio's handler (src/fault/signal_handler.cpp) asks the resolver, if
// one is set, whether the fault can be resolved (then the instruction simply re-executes);
// otherwise it looks the faulting instruction up in the exception table
// (src/fault/exception_table.cpp), records the fault for the calling thread and resumes at
// the routine's fixup, which returns the exact count. Faults of any other instruction, and
// signals sent by kill/raise, go to the handler that was installed before vmio's, or to
// the default action, so they still kill the process with their own signal.
#pragma once

#include "vmio/detail/language.hpp"

#include <csignal>
#include <cstdint>
#include <optional>

#include "vmio/access.hpp"

namespace vmio {

/// What vmio knows about one fault.
///
/// `access` says whether the faulting access loaded or stored: from the page-fault error code
/// on x86_64 and the ESR record of the signal frame on aarch64. It is empty where the kernel
/// does not tell: always on riscv64, and on aarch64 when the frame has no ESR record
/// (qemu-user).
struct FaultRecord {
    std::uintptr_t address;         ///< the first inaccessible byte the CPU reported (`si_addr`)
    std::optional<Access> access;   ///< load or store, if known
    int signal;                     ///< SIGSEGV or SIGBUS
    std::uintptr_t pc;              ///< the faulting instruction

    friend constexpr bool operator==(const FaultRecord&, const FaultRecord&) = default;
};

/// The last fault recovered through the exception table on the calling thread, if any.
[[nodiscard]] std::optional<FaultRecord> last_fault() noexcept;

/// Forgets the calling thread's last fault.
void clear_last_fault() noexcept;

/// Number of faults recovered through the exception table on the calling thread.
[[nodiscard]] std::uint64_t recovered_fault_count() noexcept;

/// Installs vmio's SIGSEGV and SIGBUS handler (SA_SIGINFO | SA_ONSTACK | SA_NODEFER, and
/// SA_RESTART if the replaced action had it) on top of whatever is installed now, which
/// becomes the action vmio chains foreign faults to, as the kernel would deliver them to it.
///
/// The library installs it once when it is loaded and never again by itself, so an explicit
/// call is only needed by a program that installs a handler of its own afterwards and wants
/// vmio on top (the order is described in src/fault/installation.cpp and the README). A
/// no-op if vmio is already on top. Thread-safe and fork-safe; not for use inside a signal
/// handler. The C ABI has the same function: vmio_install_fault_handler().
void install_fault_handler();

/// Prepares the calling thread: an alternate signal stack (unless it has one of at least
/// sysconf(_SC_SIGSTKSZ) bytes) so that the handler never runs on a nearly full stack or a
/// small fiber stack, released when the thread exits, and a look at the thread's signal mask
/// (vmio/signal_mask.hpp). The C++ API does this on a thread's first fallible operation; raw C
/// callers may call vmio_prepare_thread(). Async-signal-safe; idempotent.
void prepare_thread() noexcept;

/// A fault as seen by a resolver.
struct FaultInfo {
    void* address;
    std::optional<Access> access;  ///< as in `FaultRecord`
    int signal;
};

/// A resolver runs inside the signal handler before the exception table is consulted,
/// for every fault, as a kernel's page-fault handler does. `resolve` returns true if it made
/// the access possible: the instruction then re-executes and the caller never sees the
/// fault; false sends the fault on to the exception table (or, if no vmio routine faulted, to
/// the previous handler). It may instead leave the handler for good — the simulator's
/// sigsetjmp engine does, through libsigsegv's sigsegv_leave_handler() and siglongjmp() —
/// in which case vmio neither records the fault nor restores errno. It must be
/// async-signal-safe: no allocation, no lock held elsewhere, no stdio.
class FaultResolver {
public:
    virtual bool resolve(const FaultInfo& fault) noexcept = 0;

protected:
    ~FaultResolver() = default;
};

/// Sets (or, with nullptr, clears) the process-wide resolver. The caller keeps it alive
/// until it is replaced and no fault can still be running it. Not for use from a handler.
void set_fault_resolver(FaultResolver* resolver) noexcept;

/// The current resolver, or nullptr.
[[nodiscard]] FaultResolver* fault_resolver() noexcept;

}  // namespace vmio
