// HasVmReaderWriter: the whole VmIo family for any object that can hand out a reader and a
// writer over its memory (later Asterinas' `HasVmReaderWriter` trait).
#pragma once

#include "vmio/detail/language.hpp"

#include <concepts>
#include <cstddef>
#include <utility>

#include "vmio/detail/range.hpp"
#include "vmio/error.hpp"
#include "vmio/fallibility.hpp"
#include "vmio/pod.hpp"
#include "vmio/reader.hpp"
#include "vmio/vm_io.hpp"
#include "vmio/writer.hpp"

namespace vmio {
namespace detail {

inline VmReader<Fallible> as_fallible(const VmReader<Infallible>& reader) noexcept { return reader.to_fallible(); }
inline VmReader<Fallible> as_fallible(const VmReader<Fallible>& reader) noexcept { return reader; }
inline VmWriter<Fallible> as_fallible(VmWriter<Infallible>&& writer) noexcept { return std::move(writer).to_fallible(); }
inline VmWriter<Fallible> as_fallible(VmWriter<Fallible>&& writer) noexcept { return std::move(writer); }

template <typename T>
concept HasInfallibleReader = requires(const T& object) {
    { object.reader() } -> std::same_as<VmReader<Infallible>>;
};

template <typename T>
concept HasInfallibleWriter = requires(const T& object) {
    { object.writer() } -> std::same_as<VmWriter<Infallible>>;
};

}  // namespace detail

/// CRTP mixin: `Derived` supplies
///
///     VmReader<F> reader() const;  // the whole memory of the object, from offset 0
///     VmWriter<F> writer() const;
///
/// (with `F` `Fallible` or `Infallible`) and gets `VmIo` (all of `VmIoDefaults` plus `read` and
/// `write`), `VmIoFill`, and, when both cursors are infallible, `VmIoOnce`.
template <typename Derived>
class HasVmReaderWriter : public VmIoDefaults<Derived> {
public:
    /// Reads `writer.avail()` bytes at `offset` into `writer`. `Overflow` if `offset` plus
    /// that length wraps around, `InvalidArgs` if it passes the end (nothing copied),
    /// `PageFault` if an access faulted (the writer then advanced by the bytes copied).
    Result<void> read(std::size_t offset, VmWriter<Fallible>& writer) const {
        VmReader<Fallible> reader = detail::as_fallible(self().reader());
        if (const Result<void> fits = check_fits(offset, writer.avail(), reader.remain()); !fits) {
            return fits;
        }
        reader.skip(offset);
        return to_result(reader.read_fallible(writer));
    }

    /// Writes all of `reader` at `offset`. `Overflow` if `offset` plus `reader.remain()` wraps
    /// around, `InvalidArgs` if it passes the end (nothing copied), `PageFault` if an access
    /// faulted (the reader then advanced by the bytes copied).
    Result<void> write(std::size_t offset, VmReader<Fallible>& reader) const {
        VmWriter<Fallible> writer = detail::as_fallible(self().writer());
        if (const Result<void> fits = check_fits(offset, reader.remain(), writer.avail()); !fits) {
            return fits;
        }
        writer.skip(offset);
        return to_result(writer.write_fallible(reader));
    }

    /// `VmReader::read_once` at `offset`; `InvalidArgs` if `offset` is past the end.
    template <PodOnce T>
    [[nodiscard]] Result<T> read_once(std::size_t offset) const
        requires detail::HasInfallibleReader<Derived>
    {
        VmReader<Infallible> reader = self().reader();
        if (offset > reader.remain()) {
            return std::unexpected(Error::InvalidArgs);
        }
        return reader.skip(offset).template read_once<T>();
    }

    /// `VmWriter::write_once` at `offset`; `InvalidArgs` if `offset` is past the end.
    template <PodOnce T>
    Result<void> write_once(std::size_t offset, const T& value) const
        requires detail::HasInfallibleWriter<Derived>
    {
        VmWriter<Infallible> writer = self().writer();
        if (offset > writer.avail()) {
            return std::unexpected(Error::InvalidArgs);
        }
        return writer.skip(offset).write_once(value);
    }

    /// Writes `len` zero bytes at `offset`. Unlike `VmIo`, short writes happen (`len` may be
    /// "to the end"), but they are reported: returns `len`; or `CopyError{InvalidArgs, n}`
    /// when the object ends after `n` zeros (`n == 0` when `offset` is past the end);
    /// or `CopyError{PageFault, n}` when a fault stopped it after `n` zeros.
    CopyResult fill_zeros(std::size_t offset, std::size_t len) const {
        VmWriter<Fallible> writer = detail::as_fallible(self().writer());
        if (offset > writer.avail()) {
            return std::unexpected(CopyError{Error::InvalidArgs, 0});
        }
        const CopyResult result = writer.skip(offset).fill_zeros(len);
        if (result && *result < len) {
            return std::unexpected(CopyError{Error::InvalidArgs, *result});
        }
        return result;
    }

protected:
    HasVmReaderWriter() = default;

private:
    [[nodiscard]] const Derived& self() const noexcept { return static_cast<const Derived&>(*this); }

    static Result<void> check_fits(std::size_t offset, std::size_t len, std::size_t size) noexcept {
        if (detail::range_wraps(offset, len)) {
            return std::unexpected(Error::Overflow);
        }
        if (!detail::range_within(offset, len, 0, size)) {
            return std::unexpected(Error::InvalidArgs);
        }
        return {};
    }

    static Result<void> to_result(const CopyResult& copied) noexcept {
        if (!copied) {
            return std::unexpected(copied.error().error);
        }
        return {};
    }
};

}  // namespace vmio
