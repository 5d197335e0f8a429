// The pipe's read and write over fallible user memory (the contract is in pipe.hpp).
#include "pipe.hpp"

#include <algorithm>
#include <optional>

#include "vmio/panic.hpp"

namespace vmio::examples {

Pipe::Pipe(std::size_t capacity, bool consume_before_copy)
    : ring_(capacity), consume_before_copy_(consume_before_copy) {
    if (capacity == 0) {
        panic("Pipe: a capacity of zero bytes");
    }
}

std::array<std::span<std::byte>, 2> Pipe::pieces(std::size_t start, std::size_t len) {
    const std::size_t first = std::min(len, ring_.size() - start);
    return {std::span(ring_).subspan(start, first), std::span(ring_).first(len - first)};
}

void Pipe::consume(std::size_t len) noexcept {
    head_ = (head_ + len) % ring_.size();
    size_ -= len;
}

SysResult<std::size_t> Pipe::read(VmWriter<Fallible>& writer) {
    const std::size_t wanted = std::min(size_, writer.avail());
    const std::size_t start = head_;
    if (consume_before_copy_) {
        consume(wanted);
    }
    std::size_t delivered = 0;
    std::optional<Error> fault;
    for (const std::span<std::byte> piece : pieces(start, wanted)) {
        VmReader<Infallible> from(piece);
        const CopyResult copied = writer.write_fallible(from);
        delivered += copied_count(copied);
        if (!copied) {
            fault = copied.error().error;
            break;
        }
    }
    if (!consume_before_copy_) {
        consume(delivered);
    }
    if (fault && delivered == 0) {
        return errno_error(*fault);
    }
    return delivered;
}

SysResult<std::size_t> Pipe::write(VmReader<Fallible>& reader) {
    const std::size_t wanted = std::min(ring_.size() - size_, reader.remain());
    const std::size_t tail = (head_ + size_) % ring_.size();
    std::size_t taken = 0;
    std::optional<Error> fault;
    for (const std::span<std::byte> piece : pieces(tail, wanted)) {
        VmWriter<Infallible> into(piece);
        const CopyResult copied = reader.read_fallible(into);
        taken += copied_count(copied);
        if (!copied) {
            fault = copied.error().error;
            break;
        }
    }
    size_ += taken;
    if (fault && taken == 0) {
        return errno_error(*fault);
    }
    return taken;
}

void Pipe::preload(std::span<const std::byte> bytes, std::size_t ring_offset) {
    if (bytes.size() > ring_.size()) {
        panic("Pipe::preload: more bytes than the pipe holds");
    }
    head_ = ring_offset % ring_.size();
    size_ = 0;
    for (const std::span<std::byte> piece : pieces(head_, bytes.size())) {
        std::ranges::copy(bytes.subspan(size_, piece.size()), piece.begin());
        size_ += piece.size();
    }
}

std::vector<std::byte> Pipe::contents() const {
    std::vector<std::byte> bytes;
    for (std::size_t i = 0; i < size_; ++i) {
        bytes.push_back(ring_[(head_ + i) % ring_.size()]);
    }
    return bytes;
}

}  // namespace vmio::examples
