#include "vmio/testing/sim_fixture.hpp"

namespace vmio::testing {

void SimTest::lay_out(std::span<const sim::PageStatus> layout) {
    for (std::size_t i = 0; i < layout.size(); ++i) {
        space.set_pages(user(i * sim::page_size), 1, layout[i]);
    }
    std::vector<std::byte> pattern(sim::page_size);
    for (std::size_t i = 0; i < layout.size(); ++i) {
        if (layout[i].state == sim::PageState::DemandZero) {
            continue;  // its frame must stay zero until the first touch maps it in
        }
        for (std::size_t b = 0; b < pattern.size(); ++b) {
            pattern[b] = pattern_byte(i * sim::page_size + b);
        }
        space.poke(user(i * sim::page_size), pattern);  // pages without a frame are skipped
    }
    space.activate();
}

check::model::Expected SimTest::expect_copy_from_user(std::uintptr_t addr, std::span<const std::byte> kernel_before) const {
    return check::model::copy_from_user(space.page_table(), addr, space.peek(addr, kernel_before.size()), kernel_before);
}

check::model::Expected SimTest::expect_copy_to_user(std::uintptr_t addr, std::span<const std::byte> kernel) const {
    return check::model::copy_to_user(space.page_table(), addr, kernel, space.peek(addr, kernel.size()));
}

}  // namespace vmio::testing
