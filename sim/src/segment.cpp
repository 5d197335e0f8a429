#include "vmio/sim/segment.hpp"

#include <stdexcept>

#include "segment_block.hpp"

namespace vmio::sim {

std::span<std::byte> Segment::bytes() const noexcept {
    return {block_->memory->base() + paddr(), size()};
}

VmReader<Infallible> Segment::reader() const noexcept {
    const auto memory = bytes();
    return VmReader<Infallible>::from_kernel_space(memory.data(), memory.size(), safety::ValidUse{});
}

VmWriter<Infallible> Segment::writer() const noexcept {
    const auto memory = bytes();
    return VmWriter<Infallible>::from_kernel_space(memory.data(), memory.size(), safety::ValidUse{});
}

Frame Segment::frame(std::size_t index) const {
    if (index >= frames_) {
        throw std::out_of_range("vmio-sim: frame index past the segment");
    }
    return Frame(Segment(block_, first_frame_ + index, 1));
}

}  // namespace vmio::sim
