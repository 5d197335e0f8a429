// The bare cost of one page fault on this machine, the yardstick of a campaign's efficiency: a
// one-byte load from a PROT_NONE page, a minimal SIGSEGV handler that moves the program counter
// past it, sigreturn — hardware fault, kernel, handler, kernel, back. No recovery scheme can
// take a fault for less, so `faulting operations per second per core × this` is the share of
// the workers' time that the kernel's fault path accounts for (1: nothing but faults).
//
// Measured in a few milliseconds (11 batches of 64 faults; the median batch), with a temporary
// handler that is replaced by the previous one (vmio's) afterwards. Call it while no other
// thread runs (it changes the process's SIGSEGV disposition).
#pragma once

#include <optional>

namespace vmio::cli {

/// Seconds per bare fault round trip; nullopt if it cannot be measured (no memory, or a
/// handler cannot be installed).
[[nodiscard]] std::optional<double> measure_fault_round_trip();

}  // namespace vmio::cli
