// VmReader: a cursor for reading a contiguous range of memory (Asterinas' `VmReader`).
#pragma once

#include "vmio/detail/language.hpp"

#include <algorithm>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "vmio/atomic.hpp"
#include "vmio/detail/transfer.hpp"
#include "vmio/error.hpp"
#include "vmio/fallibility.hpp"
#include "vmio/layout.hpp"
#include "vmio/panic.hpp"
#include "vmio/pod.hpp"
#include "vmio/safety.hpp"
#include "vmio/writer.hpp"

namespace vmio {

/// Reads a contiguous range of memory from a cursor to an end.
///
/// `VmReader<Infallible>` reads memory the caller vouches for (kernel space in Asterinas):
/// plain loads, no faults. `VmReader<Fallible>` (the default) reads memory that may fault
/// (user space): every access goes through the fallible routines and a fault ends it with
/// `PageFault` and an exact count. The reader does not own the memory; the caller keeps it
/// alive for as long as the reader is used (Asterinas' lifetime `'a`).
///
/// Readers are copyable (Asterinas' `Clone`): a copy reads the same memory independently.
/// When one side of a copy is typed memory, reader and writer ranges must not overlap; for
/// overlapping untyped memory the bytes copied are unspecified (but memory-safe).
template <Fallibility F>
class VmReader {
public:
    /// A reader of `[ptr, ptr + len)` in kernel space.
    ///
    /// Safety: `ValidUse(ptr, reads of len bytes)` -- the memory stays valid for reads for as
    /// long as the reader is used. Panics if the range wraps around the address space or, with
    /// a strict address layout, is not in kernel space; `len == 0` is never checked.
    [[nodiscard]] static VmReader from_kernel_space(const void* ptr, std::size_t len,
                                                          safety::ValidUse = safety::ValidUse{}) noexcept
        requires std::same_as<F, Infallible>
    {
        const auto address = reinterpret_cast<std::uintptr_t>(ptr);
        detail::check_kernel_space_range(address, len);
        safety::claim(safety::Kind::ValidUse, Access::Read, address, len);
        return VmReader(address, address + len);
    }

    /// A reader of `[ptr, ptr + len)` in user space.
    ///
    /// Safety: `UserSpace(ptr, ptr + len)`. Panics if the range wraps around the address space
    /// or, with a strict address layout, is not in user space; `len == 0` is never checked.
    [[nodiscard]] static VmReader from_user_space(const void* ptr, std::size_t len,
                                                        safety::UserSpace = safety::UserSpace{}) noexcept
        requires std::same_as<F, Fallible>
    {
        const auto address = reinterpret_cast<std::uintptr_t>(ptr);
        detail::check_user_space_range(address, len);
        safety::claim(safety::Kind::UserSpace, Access::Read, address, len);
        return VmReader(address, address + len);
    }

    /// A reader of typed memory (Asterinas' `From<&[u8]>`); goes through `from_kernel_space`.
    explicit VmReader(std::span<const std::byte> bytes) noexcept
        requires std::same_as<F, Infallible>
        : VmReader(from_kernel_space(bytes.data(), bytes.size(), safety::ValidUse{})) {}

    /// A reader of typed memory (Asterinas' `From<&[u8]>`); goes through `from_kernel_space`.
    explicit VmReader(std::span<const std::uint8_t> bytes) noexcept
        requires std::same_as<F, Infallible>
        : VmReader(std::as_bytes(bytes)) {}

    /// Copies `min(remain(), writer.avail())` bytes to `writer` and advances both cursors by
    /// that count, which it returns.
    std::size_t read(VmWriter<F>& writer) noexcept
        requires std::same_as<F, Infallible>
    {
        return *transfer_to(writer);
    }

    /// Copies until this reader has no data left, `writer` has no space left, or an access
    /// faults. Both cursors advance by the bytes copied. Returns that count, or
    /// `CopyError{PageFault, count}` after a fault. Exists for Asterinas' three combinations:
    /// fallible to infallible, fallible to fallible and infallible to fallible; between two
    /// infallible cursors use `read`.
    template <Fallibility G>
        requires(std::same_as<F, Fallible> || std::same_as<G, Fallible>)
    CopyResult read_fallible(VmWriter<G>& writer) noexcept {
        return transfer_to(writer);
    }

    /// Reads a `T` and advances past it. `InvalidArgs` if fewer than `sizeof(T)` bytes remain;
    /// for a fallible reader, `PageFault` if the read faulted, with the cursor left where it was.
    template <Pod T>
    [[nodiscard]] Result<T> read_val() noexcept {
        if (remain() < sizeof(T)) {
            return std::unexpected(Error::InvalidArgs);
        }
        T value;  // read only after the copy filled it
        if (!detail::copy_value<Infallible, F, sizeof(T)>(reinterpret_cast<std::uintptr_t>(&value), cursor_))
            [[unlikely]] {
            return std::unexpected(Error::PageFault);
        }
        cursor_ += sizeof(T);
        return value;
    }

    /// Reads a `T` with one non-tearing load and advances past it. `InvalidArgs` if fewer than
    /// `sizeof(T)` bytes remain. Panics if the cursor is not aligned to `sizeof(T)`. Does not
    /// compile for a type that is not `PodOnce`.
    template <PodOnce T>
    [[nodiscard]] Result<T> read_once() noexcept
        requires std::same_as<F, Infallible>
    {
        if (remain() < sizeof(T)) {
            return std::unexpected(Error::InvalidArgs);
        }
        if (cursor_ % sizeof(T) != 0) {
            panic("read_once: cursor is not aligned");
        }
        safety::claim(safety::Kind::ValidUse, Access::Read, cursor_, sizeof(T));
        const auto word = *reinterpret_cast<const volatile detail::once_word_t<T>*>(cursor_);
        cursor_ += sizeof(T);
        return std::bit_cast<T>(word);
    }

    /// Reads all remaining bytes into a vector and advances to the end. `PageFault` if the read
    /// faulted, with the cursor left where it was; `NoMemory` if the vector cannot be allocated.
    [[nodiscard]] Result<std::vector<std::uint8_t>> collect()
        requires std::same_as<F, Fallible>
    {
        std::vector<std::uint8_t> bytes;
        try {
            bytes.resize(remain());
        } catch (const std::bad_alloc&) {
            return std::unexpected(Error::NoMemory);
        } catch (const std::length_error&) {
            return std::unexpected(Error::NoMemory);
        }
        if (const Result<void> read = read_exactly(reinterpret_cast<std::uintptr_t>(bytes.data()), bytes.size()); !read) {
            return std::unexpected(read.error());
        }
        return bytes;
    }

    /// Reads a NUL-terminated string (Asterinas' `read_cstring`): returns the bytes before the
    /// first NUL and leaves the cursor just after it. `max_len` counts the NUL: a string of
    /// `max_len - 1` characters fits. The search covers `min(max_len, remain())` bytes; with no
    /// NUL among them the cursor does not move and the error says what ended the search:
    /// `TooLong` if `max_len` did (`max_len <= remain()`), `InvalidArgs` if the reader's end
    /// did. A fault before the NUL: `PageFault`, cursor unchanged, nothing returned.
    /// `NoMemory` if the string cannot be allocated.
    ///
    /// It copies chunks straight into the string and searches each with memchr: 64 bytes
    /// first, doubling up to 4 KiB, never across a 4 KiB boundary (a fault can only begin at
    /// one), so it is exact at every page edge. A chunk may read bytes after the NUL, within
    /// the same page.
    [[nodiscard]] Result<std::string> read_cstring(std::size_t max_len) {
        constexpr std::size_t fault_granule = 4096;  // the smallest page of every supported architecture
        const std::size_t limit = std::min(max_len, remain());
        std::string text;
        for (std::size_t scanned = 0, chunk = 64; scanned < limit; chunk = std::min(2 * chunk, fault_granule)) {
            const std::uintptr_t at = cursor_ + scanned;
            const std::size_t want = std::min({chunk, limit - scanned, fault_granule - at % fault_granule});
            CopyResult copied = 0;
            const char* nul = nullptr;
            try {
                text.resize_and_overwrite(scanned + want, [&](char* bytes, std::size_t) {
                    copied = detail::copy<Infallible, F>(reinterpret_cast<std::uintptr_t>(bytes + scanned), at, want);
                    const std::size_t got = copied ? *copied : copied.error().copied;
                    nul = static_cast<const char*>(std::memchr(bytes + scanned, 0, got));
                    return nul != nullptr ? static_cast<std::size_t>(nul - bytes) : scanned + got;
                });
            } catch (const std::exception&) {
                return std::unexpected(Error::NoMemory);
            }
            if (nul != nullptr) {
                cursor_ += text.size() + 1;
                return text;
            }
            if (!copied) {
                return std::unexpected(Error::PageFault);
            }
            scanned += want;
        }
        return std::unexpected(max_len <= remain() ? Error::TooLong : Error::InvalidArgs);
    }

    /// Atomically loads a `T` at the cursor (vmio/atomic.hpp: every `order` is honoured); the
    /// cursor does not move, whatever the outcome (as in later Asterinas). `InvalidArgs` if
    /// fewer than `sizeof(T)` bytes remain, `PageFault` if the load faulted. Panics if the
    /// cursor is not aligned to `T`.
    template <PodAtomic T>
    [[nodiscard]] Result<T> atomic_load(std::memory_order order = std::memory_order_relaxed) const noexcept
        requires std::same_as<F, Fallible>
    {
        if (remain() < sizeof(T)) {
            return std::unexpected(Error::InvalidArgs);
        }
        safety::claim(safety::Kind::Memo, Access::Read, cursor_, sizeof(T));
        return atomic_load_fallible(reinterpret_cast<const T*>(cursor_), order);
    }

    /// Bytes left to read.
    [[nodiscard]] std::size_t remain() const noexcept { return end_ - cursor_; }

    /// The address of the next byte to read.
    [[nodiscard]] const std::byte* cursor() const noexcept { return reinterpret_cast<const std::byte*>(cursor_); }

    /// Whether any byte is left to read.
    [[nodiscard]] bool has_remain() const noexcept { return remain() > 0; }

    /// Shortens the range so that `remain() <= max_remain`; never lengthens it.
    VmReader& limit(std::size_t max_remain) noexcept {
        if (max_remain < remain()) {
            end_ = cursor_ + max_remain;
        }
        return *this;
    }

    /// Skips `nbytes` bytes. Panics if `nbytes > remain()`.
    VmReader& skip(std::size_t nbytes) noexcept {
        if (nbytes > remain()) {
            panic("skip: past the end of the reader");
        }
        cursor_ += nbytes;
        return *this;
    }

    /// A fallible reader of the same range: an infallible range can do all a fallible one can.
    [[nodiscard]] VmReader<Fallible> to_fallible() const noexcept
        requires std::same_as<F, Infallible>
    {
        return VmReader<Fallible>(cursor_, end_);
    }

private:
    template <Fallibility>
    friend class VmReader;

    VmReader(std::uintptr_t cursor, std::uintptr_t end) noexcept : cursor_(cursor), end_(end) {}

    template <Fallibility G>
    CopyResult transfer_to(VmWriter<G>& writer) noexcept {
        const std::size_t len = std::min(remain(), writer.avail());
        const CopyResult result = detail::copy<G, F>(reinterpret_cast<std::uintptr_t>(writer.cursor()), cursor_, len);
        const std::size_t copied = detail::transferred(result);
        cursor_ += copied;
        writer.skip(copied);
        return result;
    }

    // Copies the next `len` bytes (`len <= remain()`) to typed memory at `dst`; the cursor
    // advances only if all of them were copied.
    Result<void> read_exactly(std::uintptr_t dst, std::size_t len) noexcept {
        const CopyResult result = detail::copy<Infallible, F>(dst, cursor_, len);
        if (!result) {
            return std::unexpected(result.error().error);
        }
        cursor_ += len;
        return {};
    }

    std::uintptr_t cursor_;
    std::uintptr_t end_;
};

VmReader(std::span<const std::byte>) -> VmReader<Infallible>;
VmReader(std::span<const std::uint8_t>) -> VmReader<Infallible>;

}  // namespace vmio
