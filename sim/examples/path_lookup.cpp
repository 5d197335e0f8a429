// Reading a C string from user memory and resolving it (the contract is in path_lookup.hpp).
#include "path_lookup.hpp"

#include <algorithm>
#include <cerrno>

namespace vmio::examples {
namespace {

// The NUL-terminated string at user address `path`, without its NUL (strncpy_from_user).
SysResult<std::string> copy_path_in(const sim::VmSpace& space, std::uintptr_t path, bool accept_cut_off_path) {
    // The string may end at the end of user space: read no further than that.
    const std::uintptr_t user_end = space.layout().user_end;
    if (path >= user_end) {
        return std::unexpected(EFAULT);
    }
    const std::size_t readable = std::min<std::uintptr_t>(path_max, user_end - path);
    Result<VmReader<Fallible>> reader = space.reader(path, readable);
    if (!reader) {
        return errno_error(reader.error());
    }
    std::string name;
    while (reader->has_remain()) {
        const Result<char> c = reader->read_val<char>();
        if (!c) {
            return accept_cut_off_path ? SysResult<std::string>(name) : errno_error(c.error());
        }
        if (*c == '\0') {
            return name;
        }
        name.push_back(*c);
    }
    // No NUL: path_max bytes without one is too long a path; fewer ran into the end of user space.
    return std::unexpected(readable == path_max ? ENAMETOOLONG : EFAULT);
}

}  // namespace

Directory::Directory(bool accept_cut_off_path)
    : inodes_{{"/", 2},
              {"/usr", 10},
              {"/usr/lib", 11},
              {"/usr/lib/libvmio.so", 12},
              {"/usr/lib/libvmio.so.0", 13},
              {"/etc", 20},
              {"/etc/passwd", 21}},
      accept_cut_off_path_(accept_cut_off_path) {}

std::optional<std::uint64_t> Directory::inode_of(std::string_view path) const {
    const auto entry = inodes_.find(path);
    return entry != inodes_.end() ? std::optional(entry->second) : std::nullopt;
}

SysResult<std::uint64_t> Directory::lookup(const sim::VmSpace& space, std::uintptr_t path) const {
    const SysResult<std::string> name = copy_path_in(space, path, accept_cut_off_path_);
    if (!name) {
        return std::unexpected(name.error());
    }
    const std::optional<std::uint64_t> inode = inode_of(*name);
    if (!inode) {
        return std::unexpected(ENOENT);
    }
    return *inode;
}

}  // namespace vmio::examples
