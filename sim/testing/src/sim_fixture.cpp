#include "vmio/testing/sim_fixture.hpp"

namespace vmio::testing {

void SimTest::lay_out(std::span<const sim::PageStatus> layout) {
    std::vector<std::byte> pattern(layout.size() * sim::page_size);
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        pattern[i] = pattern_byte(i);
    }
    space.lay_out(user(), layout, pattern);
    space.activate();
}

check::model::Expected SimTest::expect_copy_from_user(std::uintptr_t addr, std::span<const std::byte> kernel_before) const {
    return check::model::copy_from_user(space.page_table(), addr, space.peek(addr, kernel_before.size()), kernel_before);
}

check::model::Expected SimTest::expect_copy_to_user(std::uintptr_t addr, std::span<const std::byte> kernel) const {
    return check::model::copy_to_user(space.page_table(), addr, kernel, space.peek(addr, kernel.size()));
}

}  // namespace vmio::testing
