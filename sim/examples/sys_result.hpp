// What the examples' system calls return: a value, or an errno, as a kernel's system-call
// layer sees it. A fault while copying from or to user memory, or a user range the caller may
// not access, is EFAULT (vmio::testing::errno_of maps every vmio::Error). syscall_return()
// gives the number the system call hands back to user space: the value, or minus the errno;
// copied_count() the bytes a copy moved before a fault stopped it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>

#include "vmio/error.hpp"
#include "vmio/testing/syscall.hpp"

namespace vmio::examples {

/// A value of type T, or an errno (EFAULT, EINVAL, ...).
template <class T>
using SysResult = std::expected<T, int>;

/// The errno of a vmio error, ready to return from a function that returns a SysResult.
[[nodiscard]] constexpr std::unexpected<int> errno_error(Error error) noexcept {
    return std::unexpected(testing::errno_of(error));
}

/// The bytes a fallible copy moved, whether or not a fault stopped it.
[[nodiscard]] constexpr std::size_t copied_count(const CopyResult& result) noexcept {
    return result ? *result : result.error().copied;
}

/// What the system call returns to user space: the value, or minus the errno.
template <class T>
[[nodiscard]] constexpr std::int64_t syscall_return(const SysResult<T>& result) noexcept {
    return result ? static_cast<std::int64_t>(*result) : -result.error();
}
[[nodiscard]] constexpr std::int64_t syscall_return(const SysResult<void>& result) noexcept {
    return result ? 0 : -result.error();
}

}  // namespace vmio::examples
