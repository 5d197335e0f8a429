// Path lookup in a small in-kernel directory: a C string read from user memory, resolved to
// an inode number.
//
// Contract of Directory::lookup(space, path):
//   - The path is read from user address `path` with VmReader::read_cstring, up to and
//     including its NUL and at most path_max bytes (the NUL included); it may read bytes
//     after the NUL on the same page, never on another.
//   - A fault before the NUL is -EFAULT; so is a string that runs into the end of user space.
//     No NUL within path_max bytes is -ENAMETOOLONG.
//   - A path the directory does not hold is -ENOENT; otherwise the call returns its inode.
// The directory holds paths that are prefixes of one another ("/usr", "/usr/lib", ...): a
// path cut short by a fault may well name another file.
//
// The planted bug, accept-cut-off-path: a fault before the NUL ends the string there: the
// bytes before the fault, read again one by one, are looked up as if they were the path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sys_result.hpp"
#include "vmio/sim/vm_space.hpp"

namespace vmio::examples {

/// The most bytes a path may take, its NUL included (Linux's PATH_MAX, shrunk to fit a page).
inline constexpr std::size_t path_max = 256;

class Directory {
public:
    /// The directory every example uses: "/", "/usr", "/usr/lib", "/usr/lib/libvmio.so",
    /// "/usr/lib/libvmio.so.0", "/etc", "/etc/passwd".
    explicit Directory(bool accept_cut_off_path = false);

    /// Resolves the NUL-terminated path at user address `path` (see the contract above).
    [[nodiscard]] SysResult<std::uint64_t> lookup(const sim::VmSpace& space, std::uintptr_t path) const;

    /// The inode of `path`, read from the table alone (no user memory).
    [[nodiscard]] std::optional<std::uint64_t> inode_of(std::string_view path) const;

private:
    std::map<std::string, std::uint64_t, std::less<>> inodes_;
    bool accept_cut_off_path_;
};

}  // namespace vmio::examples
