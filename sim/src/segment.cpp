#include "vmio/sim/segment.hpp"

#include <stdexcept>

#include "segment_block.hpp"
#include "vmio/copy.hpp"

namespace vmio::sim {

std::span<std::byte> Segment::bytes() const noexcept {
    return {block_->memory->base() + paddr(), size()};
}

Result<std::span<std::byte>> Segment::range(std::size_t offset, std::size_t len) const {
    std::size_t end = 0;
    if (__builtin_add_overflow(offset, len, &end)) {
        return std::unexpected(Error::Overflow);
    }
    if (end > size()) {
        return std::unexpected(Error::InvalidArgs);
    }
    return bytes().subspan(offset, len);
}

Result<void> Segment::read_bytes(std::size_t offset, std::span<std::byte> out) const {
    const auto from = range(offset, out.size());
    if (!from) {
        return std::unexpected(from.error());
    }
    (void)memcpy_fallible(out.data(), from->data(), out.size());  // kernel memory: never faults
    return {};
}

Result<void> Segment::write_bytes(std::size_t offset, std::span<const std::byte> in) const {
    const auto to = range(offset, in.size());
    if (!to) {
        return std::unexpected(to.error());
    }
    (void)memcpy_fallible(to->data(), in.data(), in.size());  // kernel memory: never faults
    return {};
}

Frame Segment::frame(std::size_t index) const {
    if (index >= frames_) {
        throw std::out_of_range("vmio-sim: frame index past the segment");
    }
    return Frame(Segment(block_, first_frame_ + index, 1));
}

}  // namespace vmio::sim
