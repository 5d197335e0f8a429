// The bare cost of one page fault on this machine, the yardstick of a campaign's efficiency: a
// one-byte load from a PROT_NONE page, a minimal SIGSEGV handler that moves the program counter
// past it, sigreturn — hardware fault, kernel, handler, kernel, back. No recovery scheme can
// take a fault for less, so `faulting operations per second per core × this` is the share of
// the workers' time that the kernel's fault path accounts for (1: nothing but faults).
//
// Measured in a few milliseconds at a time (11 batches of 64 faults), with a temporary handler
// that is replaced by the previous one (vmio's) afterwards; a campaign measures before it starts
// and again when it ends, and takes the median batch of both, so that a machine that got busier
// or quieter meanwhile weighs in. Measure while no other thread runs (it changes the process's
// SIGSEGV disposition).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace vmio::cli {

class FaultRoundTrip {
public:
    /// Times 11 more batches; none if it cannot (no memory, a handler cannot be installed, or
    /// SIGSEGV is blocked).
    void measure();
    /// Seconds per bare fault round trip: the median batch measured so far; nullopt if none was.
    [[nodiscard]] std::optional<double> seconds() const;
    /// How many batches that median is taken over (11 per measure() that could measure).
    [[nodiscard]] std::size_t batches() const noexcept { return batches_.size(); }

private:
    std::vector<double> batches_;  // seconds per fault in each batch
};

}  // namespace vmio::cli
