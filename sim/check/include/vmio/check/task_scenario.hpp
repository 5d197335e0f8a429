// Scenarios run as tasks: two user processes, each with its own space running its own
// scenario one operation per time slice, and a kernel thread that checks that no user space is
// reachable while it runs, interleaved by the seeded Scheduler.
#pragma once

#include <cstdint>

#include "vmio/check/scenario.hpp"
#include "vmio/check/scenario_check.hpp"

namespace vmio::sim {
class Machine;
}  // namespace vmio::sim

namespace vmio::check {

/// The two processes' reports merged; a violation names the task it happened in.
[[nodiscard]] CheckReport check_tasks(sim::Machine& machine, const Scenario& first, const Scenario& second,
                                      std::uint64_t schedule_seed);

}  // namespace vmio::check
