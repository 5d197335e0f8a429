// The exception table is found, sorted and searched exactly.
#include <gtest/gtest.h>

#include <cstdint>

#include "edge_region.hpp"
#include "exception_table.hpp"
#include "vmio/fallible.h"
#include "vmio/fault.hpp"

namespace vmio::test {
namespace {

TEST(ExceptionTable, KnownInstructionsHaveFixupsAndOthersDoNot) {
    install_fault_handler();
    // A fault in the single faulting instruction of the atomic load gives a one-instruction
    // entry: the neighbouring addresses must not match, nor must a routine's entry point.
    const EdgeRegion region(BadPage::None);
    std::uint32_t value = 0;
    EXPECT_EQ(vmio_atomic_load_u32_fallible(reinterpret_cast<const std::uint32_t*>(region.edge()), &value),
              VMIO_FAULTED);
    const auto fault = last_fault();
    ASSERT_TRUE(fault.has_value());
    EXPECT_NE(detail::find_fixup(fault->pc), 0U);
    EXPECT_EQ(detail::find_fixup(fault->pc - 1), 0U);
    EXPECT_EQ(detail::find_fixup(fault->pc + 1), 0U);
    EXPECT_EQ(detail::find_fixup(reinterpret_cast<std::uintptr_t>(&vmio_memcpy_fallible)), 0U);
    EXPECT_EQ(detail::find_fixup(0), 0U);
    EXPECT_EQ(detail::find_fixup(~std::uintptr_t{0}), 0U);
}

}  // namespace
}  // namespace vmio::test
