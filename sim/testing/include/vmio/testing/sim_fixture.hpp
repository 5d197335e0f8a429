// A GoogleTest fixture that owns a simulated machine with one active user space, for tests
// and RapidCheck properties (RC_GTEST_FIXTURE_PROP gives every generated case a fresh one).
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "vmio/check/model.hpp"
#include "vmio/sim/sim.hpp"

namespace vmio::testing {

class SimTest : public ::testing::Test {
protected:
    sim::Machine machine;
    sim::VmSpace space{machine};

    /// The address `offset` bytes into the user window.
    [[nodiscard]] std::uintptr_t user(std::size_t offset = 0) const noexcept {
        return machine.layout().user_begin + offset;
    }

    /// Gives the pages from the start of the user window the states of `layout`, fills every
    /// page that has a frame (but demand-zero ones) with a recognisable pattern (byte i of
    /// the window holds `pattern_byte(i)`), and activates the space.
    void lay_out(std::span<const sim::PageStatus> layout);

    /// The byte that lay_out() puts at `offset` of the user window.
    [[nodiscard]] static std::byte pattern_byte(std::size_t offset) noexcept {
        return static_cast<std::byte>((offset * 131 + offset / 251) & 0xff);
    }

    /// The model's expectation for a copy of [addr, addr + length) into a kernel buffer that
    /// holds `kernel_before`, given the space as it is now.
    [[nodiscard]] check::model::Expected expect_copy_from_user(std::uintptr_t addr,
                                                             std::span<const std::byte> kernel_before) const;

    /// The model's expectation for a copy of `kernel` to [addr, addr + kernel.size()).
    [[nodiscard]] check::model::Expected expect_copy_to_user(std::uintptr_t addr, std::span<const std::byte> kernel) const;
};

}  // namespace vmio::testing
