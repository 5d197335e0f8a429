// Physically contiguous frames of simulated physical memory (the seed's USegment), with
// untyped-memory accessors through the kernel's direct mapping. Copies share the frames.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "vmio/error.hpp"
#include "vmio/sim/layout.hpp"

namespace vmio::sim {

class PhysicalMemory;
class Frame;

class Segment {
public:
    /// Physical address: the offset of the first frame in the arena.
    [[nodiscard]] std::uintptr_t paddr() const noexcept { return first_frame_ * page_size; }
    [[nodiscard]] std::size_t frames() const noexcept { return frames_; }
    [[nodiscard]] std::size_t size() const noexcept { return frames_ * page_size; }
    /// The memory, through the kernel's direct mapping (never faults).
    [[nodiscard]] std::span<std::byte> bytes() const noexcept;

    /// Reads `out.size()` bytes at `offset`: all of them, or Overflow / InvalidArgs (past the end).
    Result<void> read_bytes(std::size_t offset, std::span<std::byte> out) const;
    /// Writes all of `in` at `offset`, or Overflow / InvalidArgs (past the end).
    Result<void> write_bytes(std::size_t offset, std::span<const std::byte> in) const;

    /// The `index`-th frame, sharing ownership.
    [[nodiscard]] Frame frame(std::size_t index) const;

private:
    friend class PhysicalMemory;
    struct Block;
    Segment(std::shared_ptr<const Block> block, std::size_t first_frame, std::size_t frames) noexcept
        : block_(std::move(block)), first_frame_(first_frame), frames_(frames) {}
    Result<std::span<std::byte>> range(std::size_t offset, std::size_t len) const;

    std::shared_ptr<const Block> block_;  // returns the frames to the arena when the last copy goes
    std::size_t first_frame_;
    std::size_t frames_;
};

}  // namespace vmio::sim

#include "vmio/sim/frame.hpp"
