// An accumulator device and its ioctl(2): a request read from user memory, a reply written
// back into the same argument struct.
//
// Contract of Accumulator::ioctl(space, arg), where `arg` points at an AccumulatorArg:
//   - The request is copied in first: a fault, or an argument outside user space, is
//     -EFAULT. An unknown op or a non-zero pad is -EINVAL; an add that would wrap the value
//     around is -EOVERFLOW.
//   - The reply (the value before and after the request) is copied out next: a fault is
//     -EFAULT.
//   - Only a call that returns 0 changes the device: after any error its value is the one it
//     had before the call.
//
// The planted bug, commit-before-copy-out: the new value is stored before the reply is
// copied out, so that a call failing with -EFAULT has changed the device anyway.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sys_result.hpp"
#include "vmio/sim/vm_space.hpp"

namespace vmio::examples {

enum class AccumulatorOp : std::uint32_t {
    Add = 1,  ///< value += amount
    Set = 2,  ///< value = amount
};

/// What the caller asks for: the first half of the argument struct.
struct AccumulatorRequest {
    std::uint32_t op;   ///< an AccumulatorOp
    std::uint32_t pad;  ///< must be 0
    std::uint64_t amount;
};

/// What the device answers: the second half.
struct AccumulatorReply {
    std::uint64_t old_value;
    std::uint64_t new_value;
};

/// The argument struct in user memory: request fields, then reply fields.
struct AccumulatorArg {
    AccumulatorRequest request;
    AccumulatorReply reply;
};
static_assert(sizeof(AccumulatorRequest) == 16 && sizeof(AccumulatorReply) == 16);
static_assert(offsetof(AccumulatorArg, reply) == sizeof(AccumulatorRequest));

class Accumulator {
public:
    explicit Accumulator(std::uint64_t value, bool commit_before_copy_out = false) noexcept
        : value_(value), commit_before_copy_out_(commit_before_copy_out) {}

    /// ioctl(2) on the device with its argument struct at user address `arg`.
    SysResult<void> ioctl(const sim::VmSpace& space, std::uintptr_t arg);

    [[nodiscard]] std::uint64_t value() const noexcept { return value_; }

private:
    std::uint64_t value_;
    bool commit_before_copy_out_;
};

}  // namespace vmio::examples
