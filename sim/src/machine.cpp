#include "vmio/sim/machine.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <limits>
#include <stdexcept>
#include <system_error>

#include "area_dispatcher.hpp"
#include "user_window.hpp"
#include "vmio/sim/vm_space.hpp"

namespace vmio::sim {
namespace {

std::atomic<bool> machine_exists{false};
std::atomic<const Machine*> current_machine{nullptr};

constexpr int unknown_protection = -1;  // no PROT_* value: the next show() or activate() sets one

}  // namespace

Machine::Machine(Config config) {
    if (config.user_pages == 0 || config.user_pages > std::numeric_limits<std::size_t>::max() / page_size) {
        throw std::invalid_argument("vmio-sim: Machine::Config::user_pages must be in [1, SIZE_MAX / page_size]");
    }
    if (machine_exists.exchange(true)) {
        throw std::logic_error("vmio-sim: only one Machine may exist at a time");
    }
    try {
        memory_ = PhysicalMemory::create(config.kernel_frames);
    } catch (...) {
        machine_exists = false;
        throw;
    }
    const std::size_t window_size = config.user_pages * page_size;
    void* window = mmap(nullptr, window_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    truncated_file_ = memfd_create("vmio-sim-truncated", MFD_CLOEXEC);
    if (window == MAP_FAILED || truncated_file_ < 0) {
        const int error = errno;
        machine_exists = false;
        throw std::system_error(error, std::system_category(), "vmio-sim: user window");
    }
    window_ = std::make_unique<WindowPage[]>(config.user_pages);  // all PROT_NONE, nothing mapped
    const auto user_begin = reinterpret_cast<std::uintptr_t>(window);
    const auto kernel_begin = reinterpret_cast<std::uintptr_t>(memory_->base());
    layout_ = {user_begin, user_begin + window_size, kernel_begin, kernel_begin + memory_->size()};

    dispatcher_ = std::make_unique<AreaDispatcher>();
    sigsegv_init(&dispatcher_->dispatcher);
    dispatcher_->user_window_ticket =
        sigsegv_register(&dispatcher_->dispatcher, window, window_size, on_user_window_fault, this);
    install_fault_handler();
    prepare_thread();
    set_fault_resolver(this);

    // Asterinas' debug_asserts become strict: user space is the window, kernel space
    // everything else (the arena, but also the program's own stack and heap, which stand
    // for kernel memory).
    previous_address_layout_ = address_layout();
    set_address_layout({.strict = true, .user_begin = layout_.user_begin, .user_end = layout_.user_end});
    current_machine = this;
    safety::set_checker(check_claim);
}

Machine::~Machine() {
    safety::set_checker(nullptr);
    current_machine = nullptr;
    set_address_layout(previous_address_layout_);
    set_fault_resolver(nullptr);
    active_ = nullptr;
    sigsegv_unregister(&dispatcher_->dispatcher, dispatcher_->user_window_ticket);
    munmap(reinterpret_cast<void*>(layout_.user_begin), layout_.user_end - layout_.user_begin);
    close(truncated_file_);
    machine_exists = false;
}

// Only the pages whose mapping or protection differ are changed: switching between spaces that
// share most of their frames, or back to the same space, costs a few system calls, not one per
// page. Pages left without a frame keep whatever they mapped, inaccessible.
void Machine::activate(VmSpace* space) {
    active_.store(nullptr, std::memory_order_release);  // a fault during the switch finds no space
    if (space != nullptr) {
        space->install_all();
    } else {
        const std::size_t pages = layout_.user_pages();
        for (std::size_t index = 0; index < pages;) {  // runs of accessible pages: one mprotect each
            std::size_t end = index;
            while (end < pages && window_[end].prot.load(std::memory_order_relaxed) != PROT_NONE) {
                ++end;
            }
            if (end == index) {
                ++index;
                continue;
            }
            protect_run(index, end - index, PROT_NONE);
            index = end;
        }
    }
    active_.store(space, std::memory_order_release);
}

void Machine::protect_run(std::size_t index, std::size_t count, int prot) {
    if (mprotect(reinterpret_cast<void*>(layout_.user_begin + index * page_size), count * page_size, prot) != 0) {
        for (std::size_t i = index; i < index + count; ++i) {
            window_[i].prot.store(unknown_protection, std::memory_order_relaxed);
        }
        throw std::system_error(errno, std::system_category(), "vmio-sim: mprotect in the user window");
    }
    for (std::size_t i = index; i < index + count; ++i) {
        window_[i].prot.store(prot, std::memory_order_relaxed);
    }
}

void Machine::show(std::size_t index, int fd, off_t offset, int prot) {
    WindowPage& page = window_[index];
    const std::uintptr_t addr = layout_.user_begin + index * page_size;
    if (fd == -1 && prot == PROT_NONE) {
        fd = page.fd;  // nothing to show: whatever is mapped there, inaccessible
        offset = page.offset;
    }
    if (page.fd == fd && page.offset == offset) {
        if (page.prot.load(std::memory_order_relaxed) != prot) {
            if (!detail::protect_page(addr, prot)) {
                throw std::system_error(errno, std::system_category(), "vmio-sim: mprotect in the user window");
            }
            page.prot.store(prot, std::memory_order_relaxed);
        }
        return;
    }
    page.fd = -1;  // if the mmap throws, the page is unknown: mprotected or remapped next time
    page.prot.store(unknown_protection, std::memory_order_relaxed);
    if (fd == -1) {
        detail::reserve(addr, page_size);
    } else {
        detail::map_file_page(addr, fd, offset, prot);
    }
    page.fd = fd;
    page.offset = offset;
    page.prot.store(prot, std::memory_order_relaxed);
}

bool Machine::check_claim(const safety::Claim& claim) noexcept {
    const Machine* machine = current_machine.load();
    const AddressLayout layout = address_layout();
    const bool user = layout.in_user_space(claim.address, claim.length);
    bool kernel = layout.in_kernel_space(claim.address, claim.length);
    if (kernel && machine != nullptr && claim.length != 0) {
        // Kernel memory inside the arena is valid only while its frames are allocated.
        const Layout& sim = machine->layout_;
        const std::uintptr_t end = claim.address + claim.length;
        if (claim.address < sim.kernel_end && sim.kernel_begin < end) {
            kernel = claim.address >= sim.kernel_begin && end <= sim.kernel_end &&
                     machine->memory_->is_allocated(claim.address - sim.kernel_begin, claim.length);
        }
    }
    switch (claim.kind) {
    case safety::Kind::UserSpace: return user;
    case safety::Kind::ValidUse: return kernel;
    case safety::Kind::Memo: return user || kernel;
    }
    return false;
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
