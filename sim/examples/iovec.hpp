// readv(2) and writev(2): a file read into, or written from, several user buffers that an
// array of struct iovec in user memory lists.
//
// Contract:
//   - The iovec array (iovcnt entries, at most iov_max) is copied in from user memory first:
//     a fault there, or an array outside user space, is -EFAULT and nothing else is done;
//     more than iov_max entries is -EINVAL.
//   - Then the buffers are filled (readv) or drained (writev) in array order. A buffer
//     outside user space counts as a fault at its first byte. The first fault ends the call:
//     it returns the bytes transferred before the fault, or -EFAULT if there are none.
//   - readv reads from the file offset up to the end of the file and advances the offset by
//     exactly the bytes delivered; writev writes at the file offset, extending the file past
//     its end, and advances the offset by exactly the bytes taken: only they reach the file.
//
// The planted bug, efault-after-partial (readv): a fault after some bytes were delivered
// returns -EFAULT, although those bytes reached the caller and the offset moved past them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sys_result.hpp"
#include "vmio/sim/vm_space.hpp"

namespace vmio::examples {

/// Linux's struct iovec on a 64-bit machine.
struct IoVec {
    std::uint64_t base;  ///< the buffer's user address
    std::uint64_t len;   ///< its length in bytes
};
static_assert(sizeof(IoVec) == 16);

/// The most iovec entries one call takes (Linux's IOV_MAX).
inline constexpr std::size_t iov_max = 1024;

/// An open regular file: its bytes, and the offset the next read or write starts at.
struct File {
    std::vector<std::byte> bytes;
    std::size_t offset = 0;
};

/// readv(2) from `file` into the buffers of the iovec array at user address `iov`.
SysResult<std::size_t> readv(const sim::VmSpace& space, std::uintptr_t iov, std::size_t iovcnt, File& file,
                             bool efault_after_partial = false);
/// writev(2) of the buffers of the iovec array at user address `iov` to `file`.
SysResult<std::size_t> writev(const sim::VmSpace& space, std::uintptr_t iov, std::size_t iovcnt, File& file);

}  // namespace vmio::examples
