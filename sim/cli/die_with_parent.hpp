// Child processes that must not outlive vmio-sim (campaign workers, vmio-bench): however
// vmio-sim ends — SIGTERM from a job's timeout, a closed terminal, SIGKILL — the kernel kills
// them too, instead of leaving them running under init.
#pragma once

#include <sys/types.h>

namespace vmio::cli {

/// Called in a child right after fork(), with the parent's pid taken before the fork: asks
/// the kernel for SIGKILL when the parent ends (it survives exec), and exits at once if the
/// parent already has. Async-signal-safe.
void die_with_parent(pid_t parent) noexcept;

}  // namespace vmio::cli
