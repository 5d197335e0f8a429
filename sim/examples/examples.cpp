// The six example system calls as explorer subjects. Each subject keeps its kernel state
// behind a std::shared_ptr that its set-up, body and check share, so that a Subject is
// self-contained; `setup` makes that state afresh for every run, and `check` states, in
// words, what the system call's contract promises after any run, with or without a fault.
#include "examples.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "iovec.hpp"
#include "ioctl.hpp"
#include "path_lookup.hpp"
#include "pipe.hpp"
#include "sys_result.hpp"
#include "vmio/testing/pattern.hpp"

namespace vmio::examples {
namespace {

using testing::RunContext;
using testing::Subject;

// Kernel-side bytes: consecutive values. The explorer's pattern in user buffers steps by 131
// from byte to byte, so that no two neighbouring bytes of the one can match the other's.
std::vector<std::byte> kernel_bytes(std::size_t count, unsigned first) {
    std::vector<std::byte> bytes(count);
    for (std::size_t i = 0; i < count; ++i) {
        bytes[i] = static_cast<std::byte>((first + i) & 0xff);
    }
    return bytes;
}

// The bytes the explorer lays out in a buffer with no content callback.
std::vector<std::byte> pattern_bytes(std::size_t count) {
    std::vector<std::byte> bytes(count);
    for (std::size_t i = 0; i < count; ++i) {
        bytes[i] = testing::pattern_byte(i);
    }
    return bytes;
}

// The bytes a call reported moving: its result if non-negative, else none.
std::size_t reported_count(std::int64_t result) noexcept { return result > 0 ? static_cast<std::size_t>(result) : 0; }

// A readv/writev argument: the iovec array points at buffers "a" and "b" of this run.
void fill_iovecs(const RunContext& run, std::span<std::byte> bytes) {
    const std::array iovecs{IoVec{.base = run.address("a"), .len = run.size("a")},
                            IoVec{.base = run.address("b"), .len = run.size("b")}};
    std::memcpy(bytes.data(), iovecs.data(), sizeof(iovecs));
}
constexpr std::size_t iovec_buffer_size = 2 * sizeof(IoVec);

// pipe-read: 48 bytes in a 64-byte ring, starting at index 40 so that they wrap around,
// read into a 100-byte buffer.
constexpr std::size_t read_pipe_capacity = 64;
constexpr std::size_t read_pipe_start = 40;
constexpr std::size_t read_pipe_bytes = 48;

Subject pipe_read_subject(bool planted) {
    auto pipe = std::make_shared<Pipe>(read_pipe_capacity, planted);
    const std::vector<std::byte> preloaded = kernel_bytes(read_pipe_bytes, 0x40);
    return {
        .name = "pipe-read",
        .buffers = {{.name = "out", .size = 100}},
        .returns = testing::Returns::Count,
        .setup =
            [pipe, preloaded, planted](RunContext&) {
                *pipe = Pipe(read_pipe_capacity, planted);
                pipe->preload(preloaded, read_pipe_start);
            },
        .body =
            [pipe](RunContext& run) {
                VmWriter<Fallible> out = run.writer("out");
                return syscall_return(pipe->read(out));
            },
        .check =
            [pipe, preloaded](RunContext& run, std::int64_t result) {
                const std::size_t received = reported_count(result);
                run.expect(received <= preloaded.size(), "read returns at most the bytes the pipe held");
                if (received > preloaded.size()) {
                    return;
                }
                const std::vector<std::byte> out = run.bytes("out");
                run.expect(std::ranges::equal(std::span(out).first(received), std::span(preloaded).first(received)),
                           "the caller received the pipe's first bytes in order");
                run.expect(pipe->size() == preloaded.size() - received,
                           "bytes taken out of the pipe == bytes the caller received");
                run.expect(std::ranges::equal(pipe->contents(), std::span(preloaded).subspan(received)),
                           "the bytes not delivered stay in the pipe, in order");
            },
    };
}

// pipe-write: a 64-byte buffer written into a 128-byte ring that holds 40 bytes from index
// 60: the free space wraps around the ring's end.
constexpr std::size_t write_pipe_capacity = 128;
constexpr std::size_t write_pipe_start = 60;
constexpr std::size_t write_pipe_bytes = 40;
constexpr std::size_t write_source_size = 64;

Subject pipe_write_subject(bool) {
    auto pipe = std::make_shared<Pipe>(write_pipe_capacity);
    const std::vector<std::byte> preloaded = kernel_bytes(write_pipe_bytes, 0x40);
    return {
        .name = "pipe-write",
        .buffers = {{.name = "in", .size = write_source_size}},
        .returns = testing::Returns::Count,
        .setup =
            [pipe, preloaded](RunContext&) {
                *pipe = Pipe(write_pipe_capacity);
                pipe->preload(preloaded, write_pipe_start);
            },
        .body =
            [pipe](RunContext& run) {
                VmReader<Fallible> in = run.reader("in");
                return syscall_return(pipe->write(in));
            },
        .check =
            [pipe, preloaded](RunContext& run, std::int64_t result) {
                const std::size_t taken = reported_count(result);
                run.expect(taken <= write_source_size, "write returns at most the bytes the caller offered");
                if (taken > write_source_size) {
                    return;
                }
                const std::vector<std::byte> offered = pattern_bytes(write_source_size);
                std::vector<std::byte> expected = preloaded;
                expected.insert(expected.end(), offered.begin(), offered.begin() + static_cast<std::ptrdiff_t>(taken));
                run.expect(pipe->contents() == expected,
                           "the pipe holds its old bytes, then exactly the bytes reported, in the caller's order");
            },
    };
}

// readv and writev: two buffers of 64 and 100 bytes ("a", "b") listed by the iovec array "iov".
constexpr std::size_t first_buffer_size = 64;
constexpr std::size_t second_buffer_size = 100;
constexpr std::size_t both_buffers_size = first_buffer_size + second_buffer_size;

// readv: a 200-byte file read from offset 0, more than both buffers hold.
Subject readv_subject(bool planted) {
    auto file = std::make_shared<File>();
    const std::vector<std::byte> file_bytes = kernel_bytes(200, 0x10);
    return {
        .name = "readv",
        .buffers = {{.name = "iov", .size = iovec_buffer_size, .content = fill_iovecs},
                    {.name = "a", .size = first_buffer_size},
                    {.name = "b", .size = second_buffer_size}},
        .returns = testing::Returns::Count,
        .setup = [file, file_bytes](RunContext&) { *file = File{.bytes = file_bytes, .offset = 0}; },
        .body = [file, planted](RunContext& run) {
            return syscall_return(readv(run.space(), run.address("iov"), 2, *file, planted));
        },
        .check =
            [file, file_bytes](RunContext& run, std::int64_t result) {
                const std::size_t delivered = reported_count(result);
                run.expect(delivered <= both_buffers_size, "readv returns at most the bytes its buffers hold");
                if (delivered > both_buffers_size) {
                    return;
                }
                run.expect(file->offset == delivered, "file offset advanced by exactly the bytes reported");
                std::vector<std::byte> received = run.bytes("a");
                std::ranges::copy(run.bytes("b"), std::back_inserter(received));
                run.expect(std::ranges::equal(std::span(received).first(delivered),
                                              std::span(file_bytes).first(delivered)),
                           "the caller received the file's first bytes in order, filling a, then b");
            },
    };
}

// writev: both buffers appended to a 16-byte file.
Subject writev_subject(bool) {
    auto file = std::make_shared<File>();
    const std::vector<std::byte> header = kernel_bytes(16, 0x10);
    return {
        .name = "writev",
        .buffers = {{.name = "iov", .size = iovec_buffer_size, .content = fill_iovecs},
                    {.name = "a", .size = first_buffer_size},
                    {.name = "b", .size = second_buffer_size}},
        .returns = testing::Returns::Count,
        .setup = [file, header](RunContext&) { *file = File{.bytes = header, .offset = header.size()}; },
        .body = [file](RunContext& run) { return syscall_return(writev(run.space(), run.address("iov"), 2, *file)); },
        .check =
            [file, header](RunContext& run, std::int64_t result) {
                const std::size_t taken = reported_count(result);
                run.expect(taken <= both_buffers_size, "writev returns at most the bytes its buffers hold");
                if (taken > both_buffers_size) {
                    return;
                }
                run.expect(file->offset == header.size() + taken, "file offset advanced by exactly the bytes reported");
                std::vector<std::byte> offered = pattern_bytes(first_buffer_size);
                std::ranges::copy(pattern_bytes(second_buffer_size), std::back_inserter(offered));
                std::vector<std::byte> expected = header;
                expected.insert(expected.end(), offered.begin(), offered.begin() + static_cast<std::ptrdiff_t>(taken));
                run.expect(file->bytes == expected,
                           "the file holds its old bytes, then exactly the bytes reported, from a, then b");
            },
    };
}

// ioctl: add 5 to an accumulator holding 37.
constexpr std::uint64_t accumulator_start = 37;
constexpr AccumulatorRequest add_five{.op = static_cast<std::uint32_t>(AccumulatorOp::Add), .pad = 0, .amount = 5};

Subject ioctl_subject(bool planted) {
    auto device = std::make_shared<Accumulator>(accumulator_start, planted);
    return {
        .name = "ioctl",
        .buffers = {{.name = "arg",
                     .size = sizeof(AccumulatorArg),
                     .content =
                         [](const RunContext&, std::span<std::byte> bytes) {
                             // A reply the device must overwrite.
                             const AccumulatorArg arg{.request = add_five,
                                                      .reply = {.old_value = ~0ULL, .new_value = ~0ULL}};
                             std::memcpy(bytes.data(), &arg, sizeof(arg));
                         }}},
        .returns = testing::Returns::Value,
        .setup = [device, planted](RunContext&) { *device = Accumulator(accumulator_start, planted); },
        .body = [device](RunContext& run) { return syscall_return(device->ioctl(run.space(), run.address("arg"))); },
        .check =
            [device](RunContext& run, std::int64_t result) {
                const std::uint64_t expected = accumulator_start + add_five.amount;
                if (result != 0) {
                    run.expect(device->value() == accumulator_start, "no state change after a failed ioctl");
                    return;
                }
                run.expect(device->value() == expected, "a successful ioctl added the amount");
                AccumulatorArg arg{};
                std::memcpy(&arg, run.bytes("arg").data(), sizeof(arg));
                run.expect(arg.reply.old_value == accumulator_start && arg.reply.new_value == expected,
                           "the reply tells the value before and after the ioctl");
            },
    };
}

// path-lookup: "/usr/lib/libvmio.so.0", whose prefixes "/", "/usr", "/usr/lib" and
// "/usr/lib/libvmio.so" are in the directory too.
constexpr std::string_view looked_up_path = "/usr/lib/libvmio.so.0";

Subject path_lookup_subject(bool planted) {
    auto directory = std::make_shared<Directory>(planted);
    return {
        .name = "path-lookup",
        .buffers = {{.name = "path",
                     .size = looked_up_path.size() + 1,
                     .content =
                         [](const RunContext&, std::span<std::byte> bytes) {
                             std::ranges::copy(std::as_bytes(std::span(looked_up_path)), bytes.begin());
                             bytes.back() = std::byte{0};
                         }}},
        .returns = testing::Returns::Value,
        .setup = [directory, planted](RunContext&) { *directory = Directory(planted); },
        .body =
            [directory](RunContext& run) {
                return syscall_return(directory->lookup(run.space(), run.address("path")));
            },
        .check =
            [directory](RunContext& run, std::int64_t result) {
                if (result >= 0) {
                    run.expect(directory->inode_of(looked_up_path) == static_cast<std::uint64_t>(result),
                               "a resolved inode is the full path's");
                }
            },
    };
}

constexpr std::array examples{
    Example{.name = "pipe-read",
            .summary = "read(2) from a pipe whose bytes wrap around its ring: a fault returns the bytes delivered "
                       "before it, or -EFAULT, and the rest stay in the pipe",
            .bug = "consume-before-copy",
            .bug_summary = "the bytes are taken out of the pipe before the copy: those a fault kept from the caller "
                           "are lost",
            .subject = pipe_read_subject},
    Example{.name = "pipe-write",
            .summary = "write(2) into a pipe whose free space wraps around its ring: a fault returns the bytes taken "
                       "before it, or -EFAULT, and only they join the pipe",
            .bug = "",
            .bug_summary = "",
            .subject = pipe_write_subject},
    Example{.name = "readv",
            .summary = "readv(2) from a file into two buffers listed in an iovec array: a fault returns the bytes "
                       "delivered before it, or -EFAULT, and the offset moves past exactly those",
            .bug = "efault-after-partial",
            .bug_summary = "a fault after some bytes were delivered returns -EFAULT, although the bytes reached the "
                           "caller and the offset moved past them",
            .subject = readv_subject},
    Example{.name = "writev",
            .summary = "writev(2) of two buffers listed in an iovec array to a file: a fault returns the bytes taken "
                       "before it, or -EFAULT, and only they reach the file",
            .bug = "",
            .bug_summary = "",
            .subject = writev_subject},
    Example{.name = "ioctl",
            .summary = "ioctl(2) on an accumulator with an in/out argument struct: the device changes only if the "
                       "reply was copied out",
            .bug = "commit-before-copy-out",
            .bug_summary = "the new value is stored before the reply is copied out: a call failing with -EFAULT has "
                           "changed the device",
            .subject = ioctl_subject},
    Example{.name = "path-lookup",
            .summary = "lookup of a NUL-terminated path read from user memory with read_cstring: a fault before "
                       "the NUL is -EFAULT",
            .bug = "accept-cut-off-path",
            .bug_summary = "a fault before the NUL ends the path there: a cut-off path resolves to another inode, or "
                           "to -ENOENT",
            .subject = path_lookup_subject},
};

}  // namespace

std::span<const Example> all_examples() noexcept { return examples; }

}  // namespace vmio::examples
