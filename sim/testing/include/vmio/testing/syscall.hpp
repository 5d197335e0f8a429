// What a system call returns: a non-negative value, or minus an errno. vmio's errors map as
// a kernel built on Asterinas' VM I/O layer maps them: a fault, or a range the caller may not
// access, is EFAULT.
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "vmio/error.hpp"

namespace vmio::testing {

[[nodiscard]] constexpr int errno_of(Error error) noexcept {
    switch (error) {
    case Error::PageFault:
    case Error::AccessDenied: return EFAULT;
    case Error::InvalidArgs: return EINVAL;
    case Error::NoMemory: return ENOMEM;
    case Error::IoError: return EIO;
    case Error::NotEnoughResources: return EBUSY;
    case Error::Overflow: return EOVERFLOW;
    case Error::TooLong: return ENAMETOOLONG;
    }
    return EINVAL;
}

/// A byte count or 0 as the system call returns it, or minus the errno of the error.
[[nodiscard]] constexpr std::int64_t syscall_return(const Result<std::size_t>& result) noexcept {
    return result ? static_cast<std::int64_t>(*result) : -errno_of(result.error());
}
[[nodiscard]] constexpr std::int64_t syscall_return(const Result<void>& result) noexcept {
    return result ? 0 : -errno_of(result.error());
}

/// "300", or "-EFAULT" for minus an errno.
[[nodiscard]] inline std::string describe_return(std::int64_t result) {
    if (result >= 0) {
        return std::to_string(result);
    }
    const char* name = strerrorname_np(static_cast<int>(-result));
    return name != nullptr ? std::string("-") + name : std::to_string(result);
}

}  // namespace vmio::testing
