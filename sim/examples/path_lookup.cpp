// Reading a C string from user memory and resolving it (the contract is in path_lookup.hpp).
#include "path_lookup.hpp"

#include <algorithm>
#include <cerrno>

namespace vmio::examples {
namespace {

// The planted bug's path: the bytes before the first one that faults (or before a NUL).
std::string bytes_before_fault(VmReader<Fallible> reader) {
    std::string bytes;
    for (Result<char> c = reader.read_val<char>(); c && *c != '\0'; c = reader.read_val<char>()) {
        bytes.push_back(*c);
    }
    return bytes;
}

// The NUL-terminated string at user address `path`, without its NUL (strncpy_from_user).
SysResult<std::string> copy_path_in(const sim::VmSpace& space, std::uintptr_t path, bool accept_cut_off_path) {
    // The string may end at the end of user space: read no further than that.
    const std::uintptr_t user_end = space.layout().user_end;
    if (path >= user_end) {
        return std::unexpected(EFAULT);
    }
    Result<VmReader<Fallible>> reader = space.reader(path, std::min<std::uintptr_t>(path_max, user_end - path));
    if (!reader) {
        return errno_error(reader.error());
    }
    const Result<std::string> name = reader->read_cstring(path_max);
    if (name) {
        return *name;
    }
    switch (name.error()) {
    case Error::TooLong: return std::unexpected(ENAMETOOLONG);
    case Error::InvalidArgs: return std::unexpected(EFAULT);  // no NUL before the end of user space
    case Error::PageFault: return accept_cut_off_path ? SysResult<std::string>(bytes_before_fault(*reader))
                                                      : errno_error(Error::PageFault);
    default: return errno_error(name.error());
    }
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
