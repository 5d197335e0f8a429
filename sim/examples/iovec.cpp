// readv and writev over an iovec array in user memory (the contract is in iovec.hpp).
#include "iovec.hpp"

#include <algorithm>
#include <cerrno>
#include <optional>
#include <span>

namespace vmio::examples {
namespace {

// The iovec array, copied in whole before any buffer is touched.
SysResult<std::vector<IoVec>> copy_iovecs_in(const sim::VmSpace& space, std::uintptr_t iov, std::size_t iovcnt) {
    if (iovcnt > iov_max) {
        return std::unexpected(EINVAL);
    }
    Result<VmReader<Fallible>> reader = space.reader(iov, iovcnt * sizeof(IoVec));
    if (!reader) {
        return errno_error(reader.error());
    }
    std::vector<IoVec> iovecs;
    iovecs.reserve(iovcnt);
    while (reader->has_remain()) {
        const Result<IoVec> iovec = reader->read_val<IoVec>();
        if (!iovec) {
            return errno_error(iovec.error());
        }
        iovecs.push_back(*iovec);
    }
    return iovecs;
}

}  // namespace

SysResult<std::size_t> readv(const sim::VmSpace& space, std::uintptr_t iov, std::size_t iovcnt, File& file,
                             bool efault_after_partial) {
    const SysResult<std::vector<IoVec>> iovecs = copy_iovecs_in(space, iov, iovcnt);
    if (!iovecs) {
        return std::unexpected(iovecs.error());
    }
    std::size_t delivered = 0;
    std::optional<Error> fault;
    for (const IoVec& iovec : *iovecs) {
        Result<VmWriter<Fallible>> buffer = space.writer(iovec.base, iovec.len);
        if (!buffer) {
            fault = buffer.error();
            break;
        }
        VmReader<Infallible> from(std::span<const std::byte>(file.bytes));
        from.skip(std::min(file.offset, file.bytes.size()));
        const CopyResult copied = buffer->write_fallible(from);
        file.offset += copied_count(copied);
        delivered += copied_count(copied);
        if (!copied) {
            fault = copied.error().error;
            break;
        }
    }
    if (fault && (delivered == 0 || efault_after_partial)) {
        return errno_error(*fault);
    }
    return delivered;
}

SysResult<std::size_t> writev(const sim::VmSpace& space, std::uintptr_t iov, std::size_t iovcnt, File& file) {
    const SysResult<std::vector<IoVec>> iovecs = copy_iovecs_in(space, iov, iovcnt);
    if (!iovecs) {
        return std::unexpected(iovecs.error());
    }
    std::size_t taken = 0;
    std::optional<Error> fault;
    for (const IoVec& iovec : *iovecs) {
        Result<VmReader<Fallible>> buffer = space.reader(iovec.base, iovec.len);
        if (!buffer) {
            fault = buffer.error();
            break;
        }
        // Room for the whole buffer (it lies in user space, so its length is bounded), then
        // the file keeps only what was copied in.
        const std::size_t old_size = file.bytes.size();
        file.bytes.resize(std::max(old_size, file.offset + iovec.len));
        VmWriter<Infallible> into(std::span(file.bytes).subspan(file.offset, iovec.len));
        const CopyResult copied = buffer->read_fallible(into);
        file.bytes.resize(std::max(old_size, file.offset + copied_count(copied)));
        file.offset += copied_count(copied);
        taken += copied_count(copied);
        if (!copied) {
            fault = copied.error().error;
            break;
        }
    }
    if (fault && taken == 0) {
        return errno_error(*fault);
    }
    return taken;
}

}  // namespace vmio::examples
