// Error codes and result types shared by every vmio API, and the error policy of the core.
//
// Results. An operation whose outcome depends on the memory or on the numbers it is given
// returns a `Result<T>` or, for a copy or fill that can stop part-way, a `CopyResult`:
//   PageFault    an unresolvable fault stopped it; a `CopyError` carries the exact count done
//                before the first inaccessible byte. `read_val` / `write_val` / `collect`
//                leave the cursor where it was; copies and fills advance it by that count.
//   InvalidArgs  the request does not fit: fewer bytes left in the reader or writer than the
//                value needs, or a range past the end of a VM I/O object. Nothing is accessed,
//                except by `fill_zeros`, whose `CopyError` counts the zeros that did fit.
//   Overflow     `offset + length`, or an offset rounded up to an alignment, wraps around.
//   NoMemory     an allocation that the operation needs failed (`collect`, `read_cstring`).
//   TooLong      `read_cstring` found no NUL within its length limit.
// AccessDenied, IoError and NotEnoughResources complete Asterinas' set for VM I/O objects
// built on vmio (the simulator's `VmSpace` returns AccessDenied); the core returns none of
// them. The C ABI (vmio/fallible.h) returns counts of bytes *not* done and VMIO_FAULTED.
//
// Panics (vmio/panic.hpp: a message on stderr, then abort()). A violated precondition, that
// is a bug in the caller, where Asterinas panics too: a reader or writer over a range that
// wraps around or, with a strict layout (vmio/layout.hpp), lies outside its space;
// `read_once` / `write_once` / `fill` / the fallible atomics at a misaligned address; `skip`
// past the end; `write_vals` with an alignment that is not a power of two; a safety claim
// that does not hold while checks are on (vmio/safety.hpp). A fault in an infallible access
// is not vmio's to recover: the caller vouched for that memory, and the fault takes its usual
// course (a resolver, vmio/fault.hpp, may resolve it; else the handler installed before
// vmio's, or the default action, gets it).
//
// Exceptions. Only `std::bad_alloc`, from the functions that allocate and cannot return a
// Result: the `VmBuffer` constructor, and `set_address_layout` for a layout not installed
// before. Nothing else in the core throws, except by passing on what the members of a
// user's VM I/O object (`read`, `write`, `reader`, `writer`) throw.
//
// Failures of the environment with no caller to report to -- no memory for a thread's
// alternate signal stack, `sigaction` refusing the handler, `Diagnose` mode finding SIGSEGV
// or SIGBUS blocked (vmio/signal_mask.hpp) -- print "vmio: ..." and abort; an invalid
// VMIO_SIGNAL_MASK_CHECK ends the process with exit status 2 when the library loads.
#pragma once

#include "vmio/detail/language.hpp"

#include <cstddef>
#include <expected>
#include <string_view>

namespace vmio {

/// The error kinds of the VM I/O layer (Asterinas' `ostd::Error` subset).
enum class Error {
    InvalidArgs,         ///< bad argument: short reader/writer, range past the end, misuse
    NoMemory,            ///< an allocation failed
    PageFault,           ///< an unresolvable page fault stopped the operation
    AccessDenied,        ///< the address space or range may not be accessed from here
    IoError,             ///< the backing object failed
    NotEnoughResources,  ///< a resource limit was hit
    Overflow,            ///< an offset or length computation overflowed
    TooLong,             ///< a C string has no NUL within the length limit (`read_cstring`)
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
    case Error::TooLong: return "TooLong";
    }
    return "Unknown";
}

/// `Result<T>`: a value or an `Error` (Asterinas' `ostd::Result<T>`).
template <typename T>
using Result = std::expected<T, Error>;

/// The error of a partial copy: what stopped it and how many bytes were copied before
/// (Asterinas' `(Error, usize)`).
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
