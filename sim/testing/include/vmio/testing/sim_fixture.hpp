// A GoogleTest fixture that owns a simulated machine with one active user space, for tests
// and RapidCheck properties (RC_GTEST_FIXTURE_PROP gives every generated case a fresh one).
// Header-only: a program that uses it links GoogleTest itself (vmio-testing.pc says so).
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "vmio/check/model.hpp"
#include "vmio/sim/sim.hpp"
#include "vmio/testing/pattern.hpp"

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
    void lay_out(std::span<const sim::PageStatus> layout) {
        std::vector<std::byte> pattern(layout.size() * sim::page_size);
        for (std::size_t i = 0; i < pattern.size(); ++i) {
            pattern[i] = pattern_byte(i);
        }
        space.lay_out(user(), layout, pattern);
        space.activate();
    }

    /// The byte that lay_out() puts at `offset` of the user window.
    [[nodiscard]] static std::byte pattern_byte(std::size_t offset) noexcept { return vmio::testing::pattern_byte(offset); }

    /// The model's expectation for a copy of [addr, addr + length) into a kernel buffer that
    /// holds `kernel_before`, given the space as it is now.
    [[nodiscard]] check::model::Expected expect_copy_from_user(std::uintptr_t addr,
                                                             std::span<const std::byte> kernel_before) const {
        return check::model::copy_from_user(space.page_table(), addr, space.peek(addr, kernel_before.size()),
                                            kernel_before);
    }

    /// The model's expectation for a copy of `kernel` to [addr, addr + kernel.size()).
    [[nodiscard]] check::model::Expected expect_copy_to_user(std::uintptr_t addr, std::span<const std::byte> kernel) const {
        return check::model::copy_to_user(space.page_table(), addr, kernel, space.peek(addr, kernel.size()));
    }
};

}  // namespace vmio::testing
