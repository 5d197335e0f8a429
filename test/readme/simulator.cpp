// The README's "Simulator" example, run.
#include <cassert>
#include <cstdio>

#include "vmio/sim/sim.hpp"

int main() {
    // README:begin
    using namespace vmio::sim;
    Machine machine;                                    // user window + kernel arena + fault handler
    const std::uintptr_t base = machine.layout().user_begin;
    VmSpace space(machine);
    space.set_pages(base, 1, page(PageState::ReadWrite));
    space.set_pages(base + page_size, 1, page(PageState::Inaccessible));
    space.activate();

    std::byte got[2];
    auto r = space.copy_from_user(base + page_size - 1, got);   // PageFault after exactly 1 byte
    assert((!r && r.error() == vmio::CopyError{vmio::Error::PageFault, 1}));

    Scheduler scheduler(machine, /*seed=*/42);          // same seed, same interleaving
    scheduler.spawn_process("reader", space, [&] { /* copies; scheduler.yield(); ... */ });
    scheduler.spawn_kernel_thread("kthread", [&] { /* no user space: user copies fault */ });
    scheduler.run();                                    // scheduler.trace(): who ran each slice
    // README:end
    assert(!r && r.error().copied == 1);
    std::puts("ok");
}
