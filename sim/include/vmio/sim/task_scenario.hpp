// Scenarios run as tasks: two user processes, each with its own space running its own
// scenario one operation per time slice, and a kernel thread that checks that no user space is
// reachable while it runs, interleaved by the seeded Scheduler.
#pragma once

#include <cstdint>

#include "vmio/sim/scenario.hpp"
#include "vmio/sim/scenario_check.hpp"

namespace vmio::sim {

class Machine;

/// The two processes' reports merged; a violation names the task it happened in.
[[nodiscard]] CheckReport check_tasks(Machine& machine, const Scenario& first, const Scenario& second,
                                      std::uint64_t schedule_seed);

}  // namespace vmio::sim
