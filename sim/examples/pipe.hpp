// A pipe: a ring buffer in kernel memory that read(2) empties into user memory and write(2)
// fills from it.
//
// Contract, for a caller's buffer that may fault part-way:
//   read   copies min(size(), the buffer's length) bytes, the pipe's oldest first, and returns
//          the count copied. A fault stops the copy: the call returns the bytes delivered
//          before it if there are any, else -EFAULT. Exactly the bytes delivered leave the
//          pipe; the others stay in it, in order: nothing is lost. An empty pipe reads 0 (this
//          pipe has no writers to wait for).
//   write  copies min(the free space, the buffer's length) bytes in behind the pipe's
//          contents and returns the count copied; after a fault, the bytes copied before it
//          if any, else -EFAULT. Only the bytes actually copied in become part of the pipe.
//
// The planted bug, consume-before-copy: read advances its read position past every byte it
// means to copy before copying them, so that bytes a fault kept from the caller are lost.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "sys_result.hpp"
#include "vmio/reader.hpp"
#include "vmio/writer.hpp"

namespace vmio::examples {

class Pipe {
public:
    /// An empty pipe holding at most `capacity` bytes; panics for a capacity of 0.
    explicit Pipe(std::size_t capacity, bool consume_before_copy = false);

    /// read(2): moves the pipe's oldest bytes into `writer` (see the contract above).
    SysResult<std::size_t> read(VmWriter<Fallible>& writer);
    /// write(2): appends the bytes of `reader` that fit (see the contract above).
    SysResult<std::size_t> write(VmReader<Fallible>& reader);

    /// Empties the pipe and fills it with `bytes` (panics for more than capacity()), the first at
    /// `ring_offset` in the ring: bytes running past the ring's end wrap around to its start,
    /// so that reading them takes two copies.
    void preload(std::span<const std::byte> bytes, std::size_t ring_offset);

    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] std::size_t capacity() const noexcept { return ring_.size(); }
    /// The bytes in the pipe, oldest first.
    [[nodiscard]] std::vector<std::byte> contents() const;

private:
    // The (at most two) contiguous pieces of the ring holding `len` bytes from `start`.
    [[nodiscard]] std::array<std::span<std::byte>, 2> pieces(std::size_t start, std::size_t len);
    // Drops the `len` oldest bytes.
    void consume(std::size_t len) noexcept;

    std::vector<std::byte> ring_;
    std::size_t head_ = 0;  // the ring index of the oldest byte
    std::size_t size_ = 0;
    bool consume_before_copy_;
};

}  // namespace vmio::examples
