// The simulated kernel's page-fault path, run inside vmio's signal handler before the
// exception table: Machine::resolve -> libsigsegv's area dispatcher -> the user window's
// handler -> the active VmSpace's page table. Async-signal-safe throughout: atomics,
// mprotect, and a tree that is only changed while no Machine is being built or destroyed.
#include <sys/mman.h>

#include "area_dispatcher.hpp"
#include "sigsetjmp_recovery.hpp"
#include "user_window.hpp"
#include "vmio/sim/machine.hpp"
#include "vmio/sim/vm_space.hpp"

namespace vmio::sim {

bool Machine::resolve(const FaultInfo& fault) noexcept {
    const auto address = reinterpret_cast<std::uintptr_t>(fault.address);
    if (layout_.is_user(address)) {
        raised_.fetch_add(1, std::memory_order_relaxed);
        if (sigsegv_dispatch(&dispatcher_->dispatcher, fault.address) != 0) {
            resolved_.fetch_add(1, std::memory_order_relaxed);
            return true;
        }
        fixed_up_.fetch_add(1, std::memory_order_relaxed);
    }
    detail::leave_to_sigsetjmp_engine(address);  // returns only if that engine is not copying there
    return false;
}

bool Machine::protect(std::size_t index, int prot) noexcept {
    if (!detail::protect_page(layout_.user_begin + index * page_size, prot)) {
        return false;
    }
    window_[index].prot.store(prot, std::memory_order_relaxed);
    return true;
}

int Machine::on_user_window_fault(void* address, void* machine) noexcept {
    VmSpace* space = static_cast<Machine*>(machine)->active_space();
    return space != nullptr && space->handle_page_fault(reinterpret_cast<std::uintptr_t>(address)) ? 1 : 0;
}

bool VmSpace::handle_page_fault(std::uintptr_t addr) noexcept {
    const std::size_t index = (addr - page_address(0)) / page_size;
    PageEntry& entry = entries_[index];
    entry.faults.fetch_add(1, std::memory_order_relaxed);
    switch (entry.state.load(std::memory_order_acquire)) {
    case PageState::DemandZero:  // its zeroed frame is mapped already, inaccessible
        entry.state.store(PageState::ReadWrite, std::memory_order_release);
        return machine_.protect(index, PROT_READ | PROT_WRITE);
    case PageState::FaultOnTouch:
        if (entry.touches.fetch_add(1) + 1 < entry.failing_touch.load()) {
            entry.resident.store(true, std::memory_order_release);
            return machine_.protect(index, PROT_READ | PROT_WRITE);
        }
        entry.state.store(PageState::Inaccessible, std::memory_order_release);
        return false;
    case PageState::Inaccessible:
    case PageState::ReadWrite:
    case PageState::ReadOnly:
    case PageState::Truncated:
        break;
    }
    return false;
}

}  // namespace vmio::sim
