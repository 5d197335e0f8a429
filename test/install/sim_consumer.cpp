// Install test: a C++ program using the simulator (vmio-sim / vmio::sim): a Machine, a
// VmSpace with a readable page before an inaccessible one, and a copy across the boundary.
#include <array>
#include <cstddef>
#include <cstdio>

#include <vmio/sim/sim.hpp>

int main() {
    using namespace vmio::sim;
    Machine machine;
    const std::uintptr_t base = machine.layout().user_begin;
    VmSpace space(machine);
    space.set_pages(base, 1, page(PageState::ReadWrite));
    space.set_pages(base + page_size, 1, page(PageState::Inaccessible));
    const std::array<std::byte, 4> hello{std::byte{'v'}, std::byte{'m'}, std::byte{'i'}, std::byte{'o'}};
    space.poke(base + page_size - hello.size(), hello);
    space.activate();

    std::array<std::byte, 16> got{};
    const auto r = space.copy_from_user(base + page_size - hello.size(), got);
    if (r || r.error().error != vmio::Error::PageFault || r.error().copied != hello.size() || got[0] != hello[0] ||
        got[3] != hello[3]) {
        std::fprintf(stderr, "copy_from_user did not stop after exactly 4 bytes\n");
        return 1;
    }
    const auto whole = space.copy_from_user(base, std::span(got).first(8));
    if (!whole || *whole != 8) {
        std::fprintf(stderr, "copy_from_user of a read-write page failed\n");
        return 1;
    }
    std::printf("simulator consumer: copy stopped after %zu bytes at the inaccessible page\n", r.error().copied);
    return 0;
}
