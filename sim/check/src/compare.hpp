// The checker's comparisons: an operation's outcome and the whole observable state, as the
// simulator shows them, against the reference model's. The first difference is reported with
// the invariant it breaks: "result", "cursor", "user-memory", "kernel-memory", "page-states".
#pragma once

#include <optional>
#include <string>

#include "vmio/check/outcome.hpp"
#include "vmio/check/scenario_state.hpp"

namespace vmio::check {

struct Mismatch {
    std::string invariant;
    std::string detail;
};

/// operator== of two outcomes, comparing the values with memcmp (std::byte vectors compare a
/// byte at a time).
[[nodiscard]] bool same_outcome(const OperationOutcome& a, const OperationOutcome& b) noexcept;
[[nodiscard]] std::optional<Mismatch> compare_outcomes(const OperationOutcome& observed, const OperationOutcome& expected);
[[nodiscard]] std::optional<Mismatch> compare_states(const ScenarioState& observed, const ScenarioState& expected);

}  // namespace vmio::check
