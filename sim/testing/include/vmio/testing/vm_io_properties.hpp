// Properties every VmIo object must have, for use inside RapidCheck properties
// (RC_GTEST_PROP) about your own VM objects:
//
//   RC_GTEST_PROP(MyObject, BehavesAsAVmIoObject, ()) {
//       MyObject object(4096);
//       vmio::testing::check_vm_io_object(object, 4096);
//   }
#pragma once

#include <rapidcheck.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "vmio/testing/generators.hpp"
#include "vmio/vm_io_pointer.hpp"

namespace vmio::testing {

/// Checks, on ranges drawn by RapidCheck, that an object of `size` bytes (or a pointer to one):
/// reads back what was written; rejects ranges past the end with InvalidArgs and offsets
/// that overflow with Overflow or InvalidArgs, without writing anything; and places
/// `write_vals` values at `align`-rounded offsets, returning how many fit.
template <VmIoObject O>
void check_vm_io_object(O& object_or_pointer, std::size_t size) {
    auto& object = deref_vm_io(object_or_pointer);
    const Range range = *gen::range_in(size, size);
    const std::vector<std::byte> data = *gen::bytes(range.length);
    RC_ASSERT(object.write_bytes(range.offset, data).has_value());
    std::vector<std::byte> back(range.length);
    RC_ASSERT(object.read_bytes(range.offset, back).has_value());
    RC_ASSERT(back == data);

    // Past the end: an error, and nothing written.
    const std::size_t overhang = *rc::gen::inRange<std::size_t>(1, 64);
    const std::size_t start = size - std::min(size, range.length);
    std::vector<std::byte> snapshot(size);
    RC_ASSERT(object.read_bytes(0, snapshot).has_value());
    RC_ASSERT((object.write_bytes(start, std::vector<std::byte>(size - start + overhang, std::byte{0x77})).error() ==
               Error::InvalidArgs));
    const auto overflowing = object.template read_val<std::uint32_t>(std::numeric_limits<std::size_t>::max() - 1);
    RC_ASSERT((overflowing.error() == Error::Overflow || overflowing.error() == Error::InvalidArgs));
    std::vector<std::byte> after(size);
    RC_ASSERT(object.read_bytes(0, after).has_value());
    RC_ASSERT(after == snapshot);

    // write_vals: values at align-rounded offsets, as many as fit.
    const std::size_t align = *rc::gen::element<std::size_t>(0, 1, 2, 4, 8, 16);
    const std::size_t count = *rc::gen::inRange<std::size_t>(1, 32);
    const std::vector<std::uint16_t> values(count, 0xa5a5);
    const std::size_t step = align > 1 ? (sizeof(std::uint16_t) + align - 1) / align * align : sizeof(std::uint16_t);
    const std::size_t first = align > 1 ? (range.offset + align - 1) / align * align : range.offset;
    const std::size_t fit = first + sizeof(std::uint16_t) <= size ? 1 + (size - first - sizeof(std::uint16_t)) / step : 0;
    const auto written = object.write_vals(range.offset, values, align);
    if (fit == 0) {
        RC_ASSERT(!written.has_value());
    } else {
        RC_ASSERT((written == std::min(count, fit)));
    }
}

}  // namespace vmio::testing
