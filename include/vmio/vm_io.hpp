// VM I/O objects: the `VmIo`, `VmIoOnce` and `VmIoFill` interfaces (as concepts) and
// `VmIoDefaults`, the mixin that derives Asterinas' provided methods from `read` / `write`.
#pragma once

#include "vmio/detail/language.hpp"

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <ranges>
#include <span>
#include <type_traits>

#include "vmio/detail/range.hpp"
#include "vmio/error.hpp"
#include "vmio/fallibility.hpp"
#include "vmio/panic.hpp"
#include "vmio/pod.hpp"
#include "vmio/reader.hpp"
#include "vmio/writer.hpp"

namespace vmio {

/// An object whose memory is read and written at offsets (Asterinas' `VmIo` trait). All
/// members are `const`: like Asterinas' `&self`, the object stands for memory that may be
/// shared, not for a value. Concurrent calls are allowed but neither atomic nor ordered.
///
/// No short reads or writes: each call moves all the bytes asked for or returns an error
/// (`InvalidArgs` past the end, `Overflow` if `offset` plus the length wraps around,
/// `PageFault` if the memory faulted). Implement it by deriving from `VmIoDefaults` and
/// writing `read` / `write`, or from `HasVmReaderWriter` (vmio/has_vm_reader_writer.hpp).
template <typename T>
concept VmIo = requires(const T& object, std::size_t offset, VmWriter<Fallible>& writer, VmReader<Fallible>& reader,
                        std::span<std::uint8_t> out, std::span<const std::uint8_t> in, std::uint64_t value) {
    { object.read(offset, writer) } -> std::same_as<Result<void>>;
    { object.write(offset, reader) } -> std::same_as<Result<void>>;
    { object.read_bytes(offset, out) } -> std::same_as<Result<void>>;
    { object.write_bytes(offset, in) } -> std::same_as<Result<void>>;
    { object.template read_val<std::uint64_t>(offset) } -> std::same_as<Result<std::uint64_t>>;
    { object.write_val(offset, value) } -> std::same_as<Result<void>>;
};

/// An object that reads and writes `PodOnce` values at offsets with one non-tearing access
/// each (Asterinas' `VmIoOnce`); the semantics are those of `VmReader::read_once` /
/// `VmWriter::write_once` at `offset`.
template <typename T>
concept VmIoOnce = requires(const T& object, std::size_t offset, std::uint32_t value) {
    { object.template read_once<std::uint32_t>(offset) } -> std::same_as<Result<std::uint32_t>>;
    { object.write_once(offset, value) } -> std::same_as<Result<void>>;
};

/// An object that can be zero-filled at an offset (later Asterinas' `VmIoFill`); see
/// `HasVmReaderWriter::fill_zeros` for the semantics.
template <typename T>
concept VmIoFill = requires(const T& object, std::size_t offset, std::size_t len) {
    { object.fill_zeros(offset, len) } -> std::same_as<CopyResult>;
};

/// CRTP mixin with Asterinas' provided `VmIo` methods. `Derived` supplies
///
///     Result<void> read(std::size_t offset, VmWriter<Fallible>& writer) const;  // fill writer
///     Result<void> write(std::size_t offset, VmReader<Fallible>& reader) const; // drain reader
///
/// both without short transfers, and gets everything else. Each provided method calls the
/// others through `Derived`, so a `Derived` may replace any of them with a faster version.
template <typename Derived>
class VmIoDefaults {
public:
    /// Reads `buffer.size()` bytes at `offset` into `buffer`.
    Result<void> read_bytes(std::size_t offset, std::span<std::byte> buffer) const {
        VmWriter<Fallible> writer = VmWriter<Infallible>(buffer).to_fallible();
        return self().read(offset, writer);
    }

    /// Reads `buffer.size()` bytes at `offset` into `buffer`.
    Result<void> read_bytes(std::size_t offset, std::span<std::uint8_t> buffer) const {
        return self().read_bytes(offset, std::as_writable_bytes(buffer));
    }

    /// Reads a `T` at `offset`.
    template <Pod T>
    [[nodiscard]] Result<T> read_val(std::size_t offset) const {
        // Zeroed: a `Derived::read_bytes` may report success without writing every byte, and
        // reading indeterminate bytes is undefined behaviour (Asterinas zero-initialises too).
        T value{};
        if (const Result<void> read = self().read_bytes(offset, std::as_writable_bytes(std::span(&value, 1))); !read) {
            return std::unexpected(read.error());
        }
        return value;
    }

    /// Reads as many `Pod` values as `values` holds, packed, at `offset`.
    template <std::ranges::contiguous_range R>
        requires std::ranges::sized_range<R> && Pod<std::ranges::range_value_t<R>> &&
                 (!std::is_const_v<std::remove_reference_t<std::ranges::range_reference_t<R>>>)
    Result<void> read_slice(std::size_t offset, R&& values) const {
        return self().read_bytes(offset, std::as_writable_bytes(std::span(values)));
    }

    /// Writes the bytes of `buffer` at `offset`.
    Result<void> write_bytes(std::size_t offset, std::span<const std::byte> buffer) const {
        VmReader<Fallible> reader = VmReader<Infallible>(buffer).to_fallible();
        return self().write(offset, reader);
    }

    /// Writes the bytes of `buffer` at `offset`.
    Result<void> write_bytes(std::size_t offset, std::span<const std::uint8_t> buffer) const {
        return self().write_bytes(offset, std::as_bytes(buffer));
    }

    /// Writes `value` at `offset`.
    template <Pod T>
    Result<void> write_val(std::size_t offset, const T& value) const {
        return self().write_bytes(offset, std::as_bytes(std::span(&value, 1)));
    }

    /// Writes the `Pod` values of `values`, packed, at `offset`.
    template <std::ranges::contiguous_range R>
        requires std::ranges::sized_range<R> && Pod<std::ranges::range_value_t<R>>
    Result<void> write_slice(std::size_t offset, const R& values) const {
        return self().write_bytes(offset, std::as_bytes(std::span(values)));
    }

    /// Writes the values of `values` one after the other from `offset`, each at an offset
    /// rounded up to a multiple of `align` (0 or 1: packed), until the range ends or a value
    /// does not fit. Returns how many values were written; an error only if none was (the
    /// error of the first write, or `Overflow` if aligning `offset` wraps around). Panics if
    /// `align > 1` is not a power of two. `values` may be unbounded.
    template <std::ranges::input_range R>
        requires Pod<std::ranges::range_value_t<R>>
    Result<std::size_t> write_vals(std::size_t offset, R&& values, std::size_t align) const {
        using T = std::ranges::range_value_t<R>;
        std::size_t step = sizeof(T);
        if (align > 1) {
            if (!std::has_single_bit(align)) {
                panic("write_vals: align is not a power of two");
            }
            if (!align_up(offset, align) || !align_up(step, align)) {
                return std::unexpected(Error::Overflow);
            }
        }
        std::size_t written = 0;
        for (const T& value : values) {
            const Result<void> result = self().write_val(offset, value);
            if (!result) {
                if (written > 0) {
                    return written;
                }
                return std::unexpected(result.error());
            }
            ++written;
            if (detail::range_wraps(offset, step)) {
                break;
            }
            offset += step;
        }
        return written;
    }

protected:
    VmIoDefaults() = default;

private:
    [[nodiscard]] const Derived& self() const noexcept { return static_cast<const Derived&>(*this); }

    // Rounds `value` up to a multiple of `align` (a power of two); false if that wraps around.
    static bool align_up(std::size_t& value, std::size_t align) noexcept {
        if (__builtin_add_overflow(value, align - 1, &value)) {
            return false;
        }
        value &= ~(align - 1);
        return true;
    }
};

}  // namespace vmio
