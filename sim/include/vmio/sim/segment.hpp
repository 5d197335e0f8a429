// Physically contiguous frames of simulated physical memory (Asterinas' USegment), with
// untyped-memory accessors through the kernel's direct mapping. Copies share the frames.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "vmio/error.hpp"
#include "vmio/has_vm_reader_writer.hpp"
#include "vmio/reader.hpp"
#include "vmio/writer.hpp"
#include "vmio/sim/layout.hpp"

namespace vmio::sim {

class PhysicalMemory;
class Frame;

class Segment : public HasVmReaderWriter<Segment> {
public:
    /// Physical address: the offset of the first frame in the arena.
    [[nodiscard]] std::uintptr_t paddr() const noexcept { return first_frame_ * page_size; }
    [[nodiscard]] std::size_t frames() const noexcept { return frames_; }
    [[nodiscard]] std::size_t size() const noexcept { return frames_ * page_size; }
    /// The memory, through the kernel's direct mapping (never faults).
    [[nodiscard]] std::span<std::byte> bytes() const noexcept;

    /// An infallible reader / writer over the whole segment (kernel memory: never faults).
    /// They give the segment the whole VmIo family (`read_bytes`, `write_val`, `fill_zeros`,
    /// `read_once`, ...; Overflow / InvalidArgs past the end) through HasVmReaderWriter.
    [[nodiscard]] VmReader<Infallible> reader() const noexcept;
    [[nodiscard]] VmWriter<Infallible> writer() const noexcept;

    /// The `index`-th frame, sharing ownership.
    [[nodiscard]] Frame frame(std::size_t index) const;

private:
    friend class PhysicalMemory;
    friend class VmSpace;  // reuses a frame it alone holds for a DemandZero page
    struct Block;
    Segment(std::shared_ptr<const Block> block, std::size_t first_frame, std::size_t frames) noexcept
        : block_(std::move(block)), first_frame_(first_frame), frames_(frames) {}

    std::shared_ptr<const Block> block_;  // returns the frames to the arena when the last copy goes
    std::size_t first_frame_;
    std::size_t frames_;
};

}  // namespace vmio::sim

#include "vmio/sim/frame.hpp"
