// Error codes and result types shared by every vmio API.
#pragma once

#include <cstddef>
#include <expected>
#include <string_view>

namespace vmio {

/// The error kinds of the VM I/O layer (the seed's `ostd::Error` subset).
enum class Error {
    InvalidArgs,         ///< bad argument: short reader/writer, range past the end, misuse
    NoMemory,            ///< an allocation failed
    PageFault,           ///< an unresolvable page fault stopped the operation
    AccessDenied,        ///< the address space or range may not be accessed from here
    IoError,             ///< the backing object failed
    NotEnoughResources,  ///< a resource limit was hit
    Overflow,            ///< an offset or length computation overflowed
};

/// Human-readable name of an error ("PageFault", ...).
[[nodiscard]] constexpr std::string_view to_string(Error error) noexcept {
    switch (error) {
    case Error::InvalidArgs: return "InvalidArgs";
    case Error::NoMemory: return "NoMemory";
    case Error::PageFault: return "PageFault";
    case Error::AccessDenied: return "AccessDenied";
    case Error::IoError: return "IoError";
    case Error::NotEnoughResources: return "NotEnoughResources";
    case Error::Overflow: return "Overflow";
    }
    return "Unknown";
}

/// `Result<T>`: a value or an `Error` (the seed's `ostd::Result<T>`).
template <typename T>
using Result = std::expected<T, Error>;

/// The error of a partial copy: what stopped it and how many bytes were copied before
/// (the seed's `(Error, usize)`).
struct CopyError {
    Error error;
    std::size_t copied;

    friend constexpr bool operator==(const CopyError&, const CopyError&) = default;
};

/// Result of a fallible copy or fill: bytes transferred, or the error and the partial count.
using CopyResult = std::expected<std::size_t, CopyError>;

/// The result of a copy or fill that did `done` of `wanted` bytes: complete, or stopped by a
/// page fault after exactly `done` bytes.
[[nodiscard]] constexpr CopyResult copy_result(std::size_t done, std::size_t wanted) noexcept {
    if (done < wanted) {
        return std::unexpected(CopyError{Error::PageFault, done});
    }
    return done;
}

}  // namespace vmio
