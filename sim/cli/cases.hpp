// The cases that vmio-sim runs: a seed (or a byte string) decoded into a scenario and checked
// against the model, every eighth seed as two scheduled processes and a kernel thread. A
// failure is minimised before it is reported, with the command lines that reproduce it.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "campaign.hpp"

namespace vmio::sim {
class Machine;
}

namespace vmio::cli {

/// This process's Machine, made on first use (so, in a campaign, in each worker).
[[nodiscard]] sim::Machine& process_machine();

/// Whether the case of this seed runs as tasks.
[[nodiscard]] bool runs_as_tasks(std::uint64_t seed) noexcept;

/// Runs the case of `seed`; on failure, minimises it and writes the minimised bytes to a file.
[[nodiscard]] CaseOutcome run_seed_case(std::uint64_t seed);
/// Runs the scenario decoded from `bytes`; on failure, minimises it and writes it to a file in
/// `failure_dir` (named after its contents), mentioned in the failure message.
[[nodiscard]] CaseOutcome run_bytes_case(std::span<const std::uint8_t> bytes, const std::string& failure_dir);

/// Runs one case printing every operation and its outcome; true if no invariant failed.
bool replay_seed(std::uint64_t seed);
bool replay_bytes(std::span<const std::uint8_t> bytes);

}  // namespace vmio::cli
