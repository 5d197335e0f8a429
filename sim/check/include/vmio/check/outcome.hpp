// What one operation of a scenario gives: the error it failed with, if any, the bytes it
// transferred and the value it read. The executor reports one, the reference model predicts one.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "vmio/error.hpp"

namespace vmio::check {

struct OperationOutcome {
    std::optional<Error> error;    ///< none: success
    std::size_t count = 0;         ///< bytes transferred (for a PageFault, those before the fault)
    std::vector<std::byte> value;  ///< what it read, if anything

    friend bool operator==(const OperationOutcome&, const OperationOutcome&) = default;
};

/// A failure that reports no count (read_val, collect, atomics, opening a cursor).
[[nodiscard]] inline OperationOutcome failed(Error error) { return {error, 0, {}}; }

}  // namespace vmio::check
