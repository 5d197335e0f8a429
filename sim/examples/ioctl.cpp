// The accumulator's ioctl: copy in, validate, compute, copy out, commit (the contract is in
// ioctl.hpp).
#include "ioctl.hpp"

#include <cerrno>
#include <limits>

namespace vmio::examples {
namespace {

// The value a valid request leads to, or why the request is not valid.
SysResult<std::uint64_t> apply(const AccumulatorRequest& request, std::uint64_t value) {
    if (request.pad != 0) {
        return std::unexpected(EINVAL);
    }
    switch (static_cast<AccumulatorOp>(request.op)) {
    case AccumulatorOp::Add:
        if (request.amount > std::numeric_limits<std::uint64_t>::max() - value) {
            return std::unexpected(EOVERFLOW);
        }
        return value + request.amount;
    case AccumulatorOp::Set: return request.amount;
    }
    return std::unexpected(EINVAL);
}

}  // namespace

SysResult<void> Accumulator::ioctl(const sim::VmSpace& space, std::uintptr_t arg) {
    Result<VmReader<Fallible>> request_reader = space.reader(arg, sizeof(AccumulatorRequest));
    if (!request_reader) {
        return errno_error(request_reader.error());
    }
    const Result<AccumulatorRequest> request = request_reader->read_val<AccumulatorRequest>();
    if (!request) {
        return errno_error(request.error());
    }
    const SysResult<std::uint64_t> new_value = apply(*request, value_);
    if (!new_value) {
        return std::unexpected(new_value.error());
    }
    const AccumulatorReply reply{.old_value = value_, .new_value = *new_value};
    if (commit_before_copy_out_) {
        value_ = *new_value;
    }
    Result<VmWriter<Fallible>> reply_writer = space.writer(arg + offsetof(AccumulatorArg, reply), sizeof(reply));
    if (!reply_writer) {
        return errno_error(reply_writer.error());
    }
    if (const Result<void> written = reply_writer->write_val(reply); !written) {
        return errno_error(written.error());
    }
    value_ = *new_value;
    return {};
}

}  // namespace vmio::examples
