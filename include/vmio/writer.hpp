// VmWriter: a cursor for writing a contiguous range of memory (Asterinas' `VmWriter`).
#pragma once

#include "vmio/detail/language.hpp"

#include <algorithm>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <utility>

#include "vmio/atomic.hpp"
#include "vmio/detail/transfer.hpp"
#include "vmio/error.hpp"
#include "vmio/fallibility.hpp"
#include "vmio/layout.hpp"
#include "vmio/panic.hpp"
#include "vmio/pod.hpp"
#include "vmio/reader.hpp"
#include "vmio/safety.hpp"

namespace vmio {

/// Writes a contiguous range of memory from a cursor to an end.
///
/// `VmWriter<Infallible>` writes memory the caller vouches for (kernel space in Asterinas);
/// `VmWriter<Fallible>` (the default) writes memory that may fault (user space), each access
/// through the fallible routines. The writer does not own the memory; the caller keeps it
/// alive for as long as the writer is used.
///
/// Writers are move-only: a writer can stand for a mutable reference, which must stay
/// exclusive (Asterinas does not implement `Clone` for it). A moved-from writer is empty.
template <Fallibility F>
class VmWriter {
public:
    /// A writer of `[ptr, ptr + len)` in kernel space.
    ///
    /// Safety: `ValidUse(ptr, writes of len bytes)` -- the memory stays valid for writes for
    /// as long as the writer is used. Panics if the range wraps around the address space or,
    /// with a strict address layout, is not in kernel space; `len == 0` is never checked.
    [[nodiscard]] static VmWriter from_kernel_space(void* ptr, std::size_t len,
                                                          safety::ValidUse = safety::ValidUse{}) noexcept
        requires std::same_as<F, Infallible>
    {
        const auto address = reinterpret_cast<std::uintptr_t>(ptr);
        detail::check_kernel_space_range(address, len);
        safety::claim(safety::Kind::ValidUse, Access::Write, address, len);
        return VmWriter(address, address + len);
    }

    /// A writer of `[ptr, ptr + len)` in user space.
    ///
    /// Safety: `UserSpace(ptr, ptr + len)`. Panics if the range wraps around the address space
    /// or, with a strict address layout, is not in user space; `len == 0` is never checked.
    [[nodiscard]] static VmWriter from_user_space(void* ptr, std::size_t len,
                                                        safety::UserSpace = safety::UserSpace{}) noexcept
        requires std::same_as<F, Fallible>
    {
        const auto address = reinterpret_cast<std::uintptr_t>(ptr);
        detail::check_user_space_range(address, len);
        safety::claim(safety::Kind::UserSpace, Access::Write, address, len);
        return VmWriter(address, address + len);
    }

    /// A writer of typed memory (Asterinas' `From<&mut [u8]>`); goes through `from_kernel_space`.
    explicit VmWriter(std::span<std::byte> bytes) noexcept
        requires std::same_as<F, Infallible>
        : VmWriter(from_kernel_space(bytes.data(), bytes.size(), safety::ValidUse{})) {}

    /// A writer of typed memory (Asterinas' `From<&mut [u8]>`); goes through `from_kernel_space`.
    explicit VmWriter(std::span<std::uint8_t> bytes) noexcept
        requires std::same_as<F, Infallible>
        : VmWriter(std::as_writable_bytes(bytes)) {}

    VmWriter(const VmWriter&) = delete;
    VmWriter& operator=(const VmWriter&) = delete;

    VmWriter(VmWriter&& other) noexcept
        : cursor_(std::exchange(other.cursor_, other.end_)), end_(other.end_) {}

    VmWriter& operator=(VmWriter&& other) noexcept {
        cursor_ = std::exchange(other.cursor_, other.end_);
        end_ = other.end_;
        return *this;
    }

    ~VmWriter() = default;

    /// Copies `min(reader.remain(), avail())` bytes from `reader` and advances both cursors by
    /// that count, which it returns.
    std::size_t write(VmReader<F>& reader) noexcept
        requires std::same_as<F, Infallible>
    {
        return reader.read(*this);
    }

    /// `reader.read_fallible(*this)`: copies until the reader is empty, this writer is full or
    /// an access faults; both cursors advance by the bytes copied. Returns that count, or
    /// `CopyError{PageFault, count}`. Only for Asterinas' three combinations (see
    /// `VmReader::read_fallible`).
    template <Fallibility G>
        requires(std::same_as<F, Fallible> || std::same_as<G, Fallible>)
    CopyResult write_fallible(VmReader<G>& reader) noexcept {
        return reader.read_fallible(*this);
    }

    /// Writes `value` and advances past it. `InvalidArgs` if fewer than `sizeof(T)` bytes are
    /// available; for a fallible writer, `PageFault` if the write faulted, with the cursor left
    /// where it was (bytes before the fault may have been written).
    template <Pod T>
    [[nodiscard]] Result<void> write_val(const T& value) noexcept {
        if (avail() < sizeof(T)) {
            return std::unexpected(Error::InvalidArgs);
        }
        if (!detail::copy_value<F, Infallible, sizeof(T)>(cursor_, reinterpret_cast<std::uintptr_t>(&value)))
            [[unlikely]] {
            return std::unexpected(Error::PageFault);
        }
        cursor_ += sizeof(T);
        return {};
    }

    /// Writes `value` with one non-tearing store and advances past it. `InvalidArgs` if fewer
    /// than `sizeof(T)` bytes are available. Panics if the cursor is not aligned to
    /// `sizeof(T)`. Does not compile for a type that is not `PodOnce`.
    template <PodOnce T>
    [[nodiscard]] Result<void> write_once(const T& value) noexcept
        requires std::same_as<F, Infallible>
    {
        if (avail() < sizeof(T)) {
            return std::unexpected(Error::InvalidArgs);
        }
        if (cursor_ % sizeof(T) != 0) {
            panic("write_once: cursor is not aligned");
        }
        safety::claim(safety::Kind::ValidUse, Access::Write, cursor_, sizeof(T));
        *reinterpret_cast<volatile detail::once_word_t<T>*>(cursor_) = std::bit_cast<detail::once_word_t<T>>(value);
        cursor_ += sizeof(T);
        return {};
    }

    /// Fills all available space with copies of `value` and moves the cursor to the end.
    /// Returns the number of values written. Panics if the cursor is not aligned to
    /// `alignof(T)` or if `avail()` is not a multiple of `sizeof(T)`.
    template <Pod T>
    std::size_t fill(const T& value) noexcept
        requires std::same_as<F, Infallible>
    {
        if (cursor_ % alignof(T) != 0) {
            panic("fill: cursor is not aligned");
        }
        if (avail() % sizeof(T) != 0) {
            panic("fill: available space is not a multiple of the value size");
        }
        const std::size_t count = avail() / sizeof(T);
        safety::claim(safety::Kind::ValidUse, Access::Write, cursor_, avail());
        auto* const values = reinterpret_cast<T*>(cursor_);
        std::fill_n(values, count, value);
        cursor_ = end_;
        return count;
    }

    /// Writes `min(len, avail())` zero bytes and advances past the bytes written.
    /// Fallible writer: returns that count, or `CopyError{PageFault, n}` when a fault stopped
    /// it after `n` bytes (the cursor then advanced by exactly `n`).
    [[nodiscard]] CopyResult fill_zeros(std::size_t len) noexcept
        requires std::same_as<F, Fallible>
    {
        return zero_up_to(len);
    }

    /// Writes `min(len, avail())` zero bytes, advances past them and returns their count.
    std::size_t fill_zeros(std::size_t len) noexcept
        requires std::same_as<F, Infallible>
    {
        return *zero_up_to(len);
    }

    /// The fallible atomics at the cursor (vmio/atomic.hpp: every `order` is honoured). The
    /// cursor does not move, whatever the outcome. `InvalidArgs` if fewer than `sizeof(T)`
    /// bytes are available, `PageFault` (nothing stored) if the access faulted. Panic if the
    /// cursor is not aligned to `T`. Later Asterinas' compare-exchange also takes a reader at
    /// the same address, to prove that the memory may be read; x86 has no write-only pages,
    /// so vmio does without it.
    ///
    /// Replaces the `T` at the cursor with `desired` if it equals `expected`; returns the value
    /// found and whether it was replaced.
    template <PodAtomic T>
    [[nodiscard]] Result<CompareExchange<T>> atomic_compare_exchange(
        T expected, std::type_identity_t<T> desired, std::memory_order order = std::memory_order_relaxed) const noexcept
        requires std::same_as<F, Fallible>
    {
        return on_atomic_target<T>(
            [&](T* target) { return atomic_compare_exchange_fallible(target, expected, desired, order); });
    }

    /// Stores `value` at the cursor.
    template <PodAtomic T>
    [[nodiscard]] Result<void> atomic_store(T value, std::memory_order order = std::memory_order_relaxed) const noexcept
        requires std::same_as<F, Fallible>
    {
        return on_atomic_target<T>([&](T* target) { return atomic_store_fallible(target, value, order); });
    }

    /// Replaces the `T` at the cursor with `value`; returns the value it held.
    template <PodAtomic T>
    [[nodiscard]] Result<T> atomic_exchange(T value, std::memory_order order = std::memory_order_relaxed) const noexcept
        requires std::same_as<F, Fallible>
    {
        return on_atomic_target<T>([&](T* target) { return atomic_exchange_fallible(target, value, order); });
    }

    /// Adds `delta` to the `T` at the cursor (wrapping); returns the value it held.
    template <PodAtomic T>
    [[nodiscard]] Result<T> atomic_fetch_add(T delta, std::memory_order order = std::memory_order_relaxed) const noexcept
        requires std::same_as<F, Fallible>
    {
        return on_atomic_target<T>([&](T* target) { return atomic_fetch_add_fallible(target, delta, order); });
    }

    /// Replaces the `T` at the cursor with `f(old)`; returns `old` (a compare-exchange loop).
    template <PodAtomic T, typename Update>
        requires std::is_invocable_r_v<T, Update&, T>
    [[nodiscard]] Result<T> atomic_fetch_update(Update f, std::memory_order order = std::memory_order_relaxed) const noexcept
        requires std::same_as<F, Fallible>
    {
        return on_atomic_target<T>(
            [&](T* target) { return atomic_fetch_update_fallible(target, std::move(f), order); });
    }

    /// Bytes of space left to write.
    [[nodiscard]] std::size_t avail() const noexcept { return end_ - cursor_; }

    /// The address of the next byte to write.
    [[nodiscard]] std::byte* cursor() const noexcept { return reinterpret_cast<std::byte*>(cursor_); }

    /// Whether any space is left to write.
    [[nodiscard]] bool has_avail() const noexcept { return avail() > 0; }

    /// Shortens the range so that `avail() <= max_avail`; never lengthens it.
    VmWriter& limit(std::size_t max_avail) noexcept {
        if (max_avail < avail()) {
            end_ = cursor_ + max_avail;
        }
        return *this;
    }

    /// Skips `nbytes` bytes. Panics if `nbytes > avail()`.
    VmWriter& skip(std::size_t nbytes) noexcept {
        if (nbytes > avail()) {
            panic("skip: past the end of the writer");
        }
        cursor_ += nbytes;
        return *this;
    }

    /// A fallible writer of the same range; this writer is consumed (left empty).
    [[nodiscard]] VmWriter<Fallible> to_fallible() && noexcept
        requires std::same_as<F, Infallible>
    {
        return VmWriter<Fallible>(std::exchange(cursor_, end_), end_);
    }

private:
    // Runs the fallible atomic `op` on the cursor as a `T*`, claimed for writing; InvalidArgs
    // if fewer than sizeof(T) bytes are available.
    template <PodAtomic T, typename Op>
    [[nodiscard]] auto on_atomic_target(Op op) const noexcept -> decltype(op(static_cast<T*>(nullptr))) {
        if (avail() < sizeof(T)) {
            return std::unexpected(Error::InvalidArgs);
        }
        safety::claim(safety::Kind::Memo, Access::Write, cursor_, sizeof(T));
        return op(reinterpret_cast<T*>(cursor_));
    }

    template <Fallibility>
    friend class VmWriter;

    VmWriter(std::uintptr_t cursor, std::uintptr_t end) noexcept : cursor_(cursor), end_(end) {}

    CopyResult zero_up_to(std::size_t len) noexcept {
        const CopyResult result = detail::zero<F>(cursor_, std::min(len, avail()));
        cursor_ += detail::transferred(result);
        return result;
    }

    std::uintptr_t cursor_;
    std::uintptr_t end_;
};

VmWriter(std::span<std::byte>) -> VmWriter<Infallible>;
VmWriter(std::span<std::uint8_t>) -> VmWriter<Infallible>;

}  // namespace vmio
