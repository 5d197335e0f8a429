// Test helper: a row of user pages in given states, one operation across them, and the two
// things to compare: what the simulator did and what the reference model says it must do.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <span>
#include <vector>

#include "vmio/check/describe.hpp"
#include "vmio/check/model.hpp"
#include "vmio/sim/sim.hpp"
#include "vmio/vmio.hpp"

namespace vmio::sim {

inline void PrintTo(const PageStatus& status, std::ostream* out) {
    *out << describe(status);
}

}  // namespace vmio::sim

namespace vmio::sim::test {

using check::RawOp;

inline constexpr std::byte fill_value{0x5a};

/// Pages from the first page of the user window, an operation of `len` bytes at `offset`.
struct Scenario {
    std::vector<PageStatus> pages;
    RawOp op;
    std::size_t offset;
    std::size_t len;
};

inline std::ostream& operator<<(std::ostream& out, const Scenario& s) {
    out << check::to_string(s.op) << " offset " << s.offset << " len " << s.len << " pages [";
    for (const PageStatus& p : s.pages) {
        out << ' ' << describe(p);
    }
    return out << " ]";
}

/// The observable outcome of an operation, shaped like the model's.
struct Outcome {
    CopyResult result;
    std::vector<std::byte> destination;
    PageTable pages;

    friend bool operator==(const Outcome&, const Outcome&) = default;
};

inline Outcome from(const check::model::Expected& expected) {
    return {expected.result, expected.destination, expected.pages};
}

inline std::ostream& operator<<(std::ostream& out, const Outcome& o) {
    if (o.result) {
        out << "copied " << *o.result;
    } else {
        out << to_string(o.result.error().error) << " after " << o.result.error().copied;
    }
    return out << ", " << o.pages.size() << " pages not inaccessible";
}

inline std::vector<std::byte> pattern(std::size_t len, unsigned seed) {
    std::vector<std::byte> bytes(len);
    for (std::size_t i = 0; i < len; ++i) {
        bytes[i] = static_cast<std::byte>((i * 7 + seed) | 1);  // never 0: zero-fill shows
    }
    return bytes;
}

/// Sets the space's first pages to the scenario's states, with a known pattern in every frame.
inline void lay_out(VmSpace& space, const Scenario& s) {
    space.lay_out(space.layout().user_begin, s.pages, pattern(s.pages.size() * page_size, 3));
}

/// Lays the scenario out in the (active) space, runs it with `engine` and reports the outcome.
inline Outcome run(VmSpace& space, Engine engine, const Scenario& s) {
    lay_out(space, s);
    const std::uintptr_t addr = space.layout().user_begin + s.offset;
    std::byte* user = space.user_range(addr, s.len).value().data();
    std::vector<std::byte> kernel = pattern(s.len, 11);
    switch (s.op) {
    case RawOp::CopyFromUser: {
        const std::size_t done = copy_bytes(engine, kernel.data(), user, s.len);
        return {copy_result(done, s.len), kernel, space.page_table()};
    }
    case RawOp::CopyToUser: {
        const std::size_t done = copy_bytes(engine, user, kernel.data(), s.len);
        return {copy_result(done, s.len), space.peek(addr, s.len), space.page_table()};
    }
    case RawOp::FillUser: {
        const std::size_t done = fill_bytes(engine, user, std::to_integer<std::uint8_t>(fill_value), s.len);
        return {copy_result(done, s.len), space.peek(addr, s.len), space.page_table()};
    }
    }
    return {};
}

/// Lays the scenario out and asks the model what running it must give.
inline Outcome expect(VmSpace& space, const Scenario& s) {
    lay_out(space, s);
    const std::uintptr_t addr = space.layout().user_begin + s.offset;
    const PageTable pages = space.page_table();
    const std::vector<std::byte> user = space.peek(addr, s.len);
    const std::vector<std::byte> kernel = pattern(s.len, 11);
    switch (s.op) {
    case RawOp::CopyFromUser: return from(check::model::copy_from_user(pages, addr, user, kernel));
    case RawOp::CopyToUser: return from(check::model::copy_to_user(pages, addr, kernel, user));
    case RawOp::FillUser: return from(check::model::fill_user(pages, addr, fill_value, user));
    }
    return {};
}

}  // namespace vmio::sim::test
