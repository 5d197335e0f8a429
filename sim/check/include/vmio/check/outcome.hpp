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

/// The outcome of a copy or fill: its count, and its error if it stopped early.
[[nodiscard]] inline OperationOutcome outcome_of(const CopyResult& result) {
    if (result) {
        return {std::nullopt, *result, {}};
    }
    return {result.error().error, result.error().copied, {}};
}

}  // namespace vmio::check
