// The cases that vmio-sim runs: a seed (or a byte string) decoded into a scenario and checked
// against the model, every eighth seed as two scheduled processes and a kernel thread. A
// failure is minimised before it is reported: its input is the smallest byte string found that
// breaks the same invariant (the campaign writes it to a failure file).
#pragma once

#include <cstdint>
#include <span>

#include "campaign.hpp"

namespace vmio::sim {
class Machine;
}

namespace vmio::cli {

/// This process's Machine, made on first use (so, in a campaign, in each worker).
[[nodiscard]] sim::Machine& process_machine();

/// Whether the case of this seed runs as tasks.
[[nodiscard]] bool runs_as_tasks(std::uint64_t seed) noexcept;

/// Runs the case of `seed` (`vmio-sim replay SEED` reproduces it).
[[nodiscard]] CaseOutcome run_seed_case(std::uint64_t seed);
/// Runs the scenario decoded from `bytes` (`vmio-sim replay FILE` reproduces it).
[[nodiscard]] CaseOutcome run_bytes_case(std::span<const std::uint8_t> bytes);

/// Runs one case printing every operation and its outcome; true if no invariant failed.
bool replay_seed(std::uint64_t seed);
bool replay_bytes(std::span<const std::uint8_t> bytes);

}  // namespace vmio::cli
