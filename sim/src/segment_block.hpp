// The allocation behind a Segment and its copies: frees the frames when the last one goes.
#pragma once

#include <memory>

#include "vmio/sim/physical_memory.hpp"
#include "vmio/sim/segment.hpp"

namespace vmio::sim {

struct Segment::Block {
    Block(std::shared_ptr<PhysicalMemory> memory, std::size_t first, std::size_t count) noexcept
        : memory(std::move(memory)), first(first), count(count) {}
    ~Block() { memory->release(first, count); }
    Block(const Block&) = delete;
    Block& operator=(const Block&) = delete;

    std::shared_ptr<PhysicalMemory> memory;
    std::size_t first;
    std::size_t count;
};

}  // namespace vmio::sim
