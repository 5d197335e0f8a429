// VmBuffer: an owned, zero-initialised byte buffer that is a VM I/O object.
#pragma once

#include "vmio/detail/language.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "vmio/has_vm_reader_writer.hpp"
#include "vmio/reader.hpp"
#include "vmio/safety.hpp"
#include "vmio/writer.hpp"

namespace vmio {

/// `size` bytes of ordinary (infallible) memory with the whole `VmIo`, `VmIoOnce` and
/// `VmIoFill` interface. Move-only; like any VM I/O object, its `const` members may write
/// (the object stands for its memory).
class VmBuffer : public HasVmReaderWriter<VmBuffer> {
public:
    /// A buffer of `size` zero bytes. Throws `std::bad_alloc` if it cannot be allocated.
    explicit VmBuffer(std::size_t size) : bytes_(std::make_unique<std::uint8_t[]>(size)), size_(size) {}

    /// A reader of the whole buffer.
    [[nodiscard]] VmReader<Infallible> reader() const noexcept {
        return VmReader<Infallible>::from_kernel_space(bytes_.get(), size_, safety::ValidUse{});
    }

    /// A writer of the whole buffer.
    [[nodiscard]] VmWriter<Infallible> writer() const noexcept {
        return VmWriter<Infallible>::from_kernel_space(bytes_.get(), size_, safety::ValidUse{});
    }

    /// The bytes of the buffer.
    [[nodiscard]] std::span<std::uint8_t> bytes() const noexcept { return {bytes_.get(), size_}; }

    /// The size of the buffer in bytes.
    [[nodiscard]] std::size_t size() const noexcept { return size_; }

private:
    std::unique_ptr<std::uint8_t[]> bytes_;
    std::size_t size_;
};

}  // namespace vmio
