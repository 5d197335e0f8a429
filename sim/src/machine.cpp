#include "vmio/sim/machine.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "user_window.hpp"
#include "vmio/sim/vm_space.hpp"

namespace vmio::sim {
namespace {

std::atomic<bool> machine_exists{false};

}  // namespace

Machine::Machine(Config config) {
    if (machine_exists.exchange(true)) {
        throw std::logic_error("vmio-sim: only one Machine may exist at a time");
    }
    memory_ = PhysicalMemory::create(config.kernel_frames);
    const std::size_t window_size = config.user_pages * page_size;
    void* window = mmap(nullptr, window_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    truncated_file_ = memfd_create("vmio-sim-truncated", MFD_CLOEXEC);
    if (window == MAP_FAILED || truncated_file_ < 0) {
        const int error = errno;
        machine_exists = false;
        throw std::system_error(error, std::system_category(), "vmio-sim: user window");
    }
    const auto user_base = reinterpret_cast<std::uintptr_t>(window);
    const auto kernel_base = reinterpret_cast<std::uintptr_t>(memory_->base());
    layout_ = {user_base, user_base + window_size, kernel_base, kernel_base + memory_->size()};

    sigsegv_init(&dispatcher_);
    user_window_ticket_ = sigsegv_register(&dispatcher_, window, window_size, on_user_window_fault, this);
    install_fault_handler();
    prepare_thread();
    set_fault_resolver(this);
}

Machine::~Machine() {
    set_fault_resolver(nullptr);
    active_ = nullptr;
    sigsegv_unregister(&dispatcher_, user_window_ticket_);
    munmap(reinterpret_cast<void*>(layout_.user_base), layout_.user_end - layout_.user_base);
    close(truncated_file_);
    machine_exists = false;
}

void Machine::activate(VmSpace* space) {
    active_.store(nullptr, std::memory_order_release);  // a fault during the switch finds no space
    detail::reserve(layout_.user_base, layout_.user_end - layout_.user_base);
    if (space != nullptr) {
        space->install_all();
    }
    active_.store(space, std::memory_order_release);
}

FaultCounters Machine::counters() const noexcept {
    return {raised_.load(), resolved_.load(), fixed_up_.load()};
}

void Machine::reset_counters() noexcept {
    raised_ = 0;
    resolved_ = 0;
    fixed_up_ = 0;
}

}  // namespace vmio::sim
