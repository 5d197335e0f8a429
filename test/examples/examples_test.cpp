// The kernel-style examples (sim/examples): each system call called directly on user pages
// laid out by hand, with exact counts and bytes; then each explored, without its planted bug
// (no finding) and with it (the finding the bug must cause).
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "examples.hpp"
#include "iovec.hpp"
#include "ioctl.hpp"
#include "path_lookup.hpp"
#include "pipe.hpp"
#include "sys_result.hpp"
#include "vmio/sim/machine.hpp"
#include "vmio/sim/vm_space.hpp"
#include "vmio/testing/explorer.hpp"

namespace vmio::examples {
namespace {

using sim::page_size;
using testing::RunClass;

std::vector<std::byte> counting_bytes(std::size_t count, unsigned first) {
    std::vector<std::byte> bytes(count);
    for (std::size_t i = 0; i < count; ++i) {
        bytes[i] = static_cast<std::byte>((first + i) & 0xff);
    }
    return bytes;
}

std::vector<std::byte> bytes_of(std::string_view text) {
    const auto bytes = std::as_bytes(std::span(text));
    return {bytes.begin(), bytes.end()};
}

template <class T>
std::vector<std::byte> bytes_of_value(const T& value) {
    std::vector<std::byte> bytes(sizeof(T));
    std::memcpy(bytes.data(), &value, sizeof(T));
    return bytes;
}

// A Machine with an active space whose pages are all inaccessible until a test places bytes.
class KernelCodeTest : public ::testing::Test {
protected:
    void SetUp() override { space.activate(); }

    // Writes `bytes` at `offset` into user page number `page` (running on into the pages
    // after it if they are longer), maps read-write the pages they cover and returns their
    // address. The pages around stay inaccessible: bytes that end a page are followed by a fault.
    std::uintptr_t place(std::size_t page, std::size_t offset, std::span<const std::byte> bytes) {
        const std::uintptr_t address = user_page(page) + offset;
        space.set_pages(user_page(page), (offset + bytes.size() + page_size - 1) / page_size,
                        sim::page(sim::PageState::ReadWrite));
        space.poke(address, bytes);
        return address;
    }
    // `bytes` placed so that they end where user page `page` does: the next byte faults.
    std::uintptr_t place_before_fault(std::size_t page, std::span<const std::byte> bytes) {
        return place(page, page_size - bytes.size(), bytes);
    }
    std::uintptr_t user_page(std::size_t page) const { return machine.layout().user_begin + page * page_size; }

    sim::Machine machine{sim::Machine::Config{.user_pages = 16, .kernel_frames = 32}};
    sim::VmSpace space{machine};
};

// --- pipe -------------------------------------------------------------------------------

class PipeTest : public KernelCodeTest {
protected:
    // 48 bytes in a 64-byte ring from index 40: 24 up to the ring's end, 24 from its start.
    PipeTest() { pipe.preload(preloaded, 40); }

    std::vector<std::byte> preloaded = counting_bytes(48, 0x40);
    Pipe pipe{64};
};

TEST_F(PipeTest, ReadTakesBothPiecesOfAWrappedRing) {
    const std::uintptr_t out = place(0, 0, std::vector<std::byte>(100));
    VmWriter<Fallible> writer = space.writer(out, 100).value();
    EXPECT_EQ(syscall_return(pipe.read(writer)), 48);
    EXPECT_EQ(space.peek(out, 48), preloaded);
    EXPECT_EQ(pipe.size(), 0U);
    EXPECT_EQ(syscall_return(pipe.read(writer)), 0) << "an empty pipe reads 0";
}

TEST_F(PipeTest, ReadStoppedByAFaultKeepsTheBytesNotDelivered) {
    // 30 bytes before the fault: all of the first piece (24) and 6 of the second.
    const std::uintptr_t out = place_before_fault(0, std::vector<std::byte>(30));
    VmWriter<Fallible> writer = space.writer(out, 100).value();
    EXPECT_EQ(syscall_return(pipe.read(writer)), 30);
    EXPECT_EQ(space.peek(out, 30), std::vector(preloaded.begin(), preloaded.begin() + 30));
    EXPECT_EQ(pipe.contents(), std::vector(preloaded.begin() + 30, preloaded.end()));
}

TEST_F(PipeTest, ReadIntoAnUnmappedBufferIsEfaultAndTakesNothing) {
    VmWriter<Fallible> writer = space.writer(user_page(2), 100).value();
    EXPECT_EQ(syscall_return(pipe.read(writer)), -EFAULT);
    EXPECT_EQ(pipe.contents(), preloaded);
}

TEST_F(PipeTest, PlantedConsumeBeforeCopyLosesTheBytesNotDelivered) {
    Pipe buggy(64, /*consume_before_copy=*/true);
    buggy.preload(preloaded, 40);
    const std::uintptr_t out = place_before_fault(0, std::vector<std::byte>(30));
    VmWriter<Fallible> writer = space.writer(out, 100).value();
    EXPECT_EQ(syscall_return(buggy.read(writer)), 30);
    EXPECT_EQ(buggy.size(), 0U) << "the 18 bytes the fault kept from the caller are gone";
}

TEST_F(PipeTest, WriteFillsTheFreeSpaceAcrossTheRingsEndAndStopsAtAFault) {
    // 48 bytes from index 40 leave 16 free: 0..15 after the wrap. A source of 10 readable
    // bytes then a fault: 10 taken.
    const std::vector<std::byte> source = counting_bytes(10, 0xa0);
    const std::uintptr_t in = place_before_fault(0, source);
    VmReader<Fallible> reader = space.reader(in, 50).value();
    EXPECT_EQ(syscall_return(pipe.write(reader)), 10);
    std::vector<std::byte> expected = preloaded;
    expected.insert(expected.end(), source.begin(), source.end());
    EXPECT_EQ(pipe.contents(), expected);
}

TEST_F(PipeTest, WriteFromAnUnmappedBufferIsEfaultAndAddsNothing) {
    VmReader<Fallible> reader = space.reader(user_page(2), 16).value();
    EXPECT_EQ(syscall_return(pipe.write(reader)), -EFAULT);
    EXPECT_EQ(pipe.contents(), preloaded);
}

TEST_F(PipeTest, WriteIntoAFullPipeTakesNothing) {
    Pipe full(4);
    full.preload(counting_bytes(4, 0), 3);
    VmReader<Fallible> reader = space.reader(place(0, 0, counting_bytes(8, 0x80)), 8).value();
    EXPECT_EQ(syscall_return(full.write(reader)), 0);
    EXPECT_EQ(full.contents(), counting_bytes(4, 0));
}

// --- readv / writev ---------------------------------------------------------------------

class IoVecTest : public KernelCodeTest {
protected:
    // The iovec array at page 0, listing `buffers`.
    std::uintptr_t place_iovecs(const std::vector<IoVec>& buffers) {
        std::vector<std::byte> bytes(buffers.size() * sizeof(IoVec));
        std::memcpy(bytes.data(), buffers.data(), bytes.size());
        return place(0, 0, bytes);
    }

    File file{.bytes = counting_bytes(200, 0x10), .offset = 0};
};

TEST_F(IoVecTest, ReadvFillsEachBufferInTurn) {
    const std::uintptr_t a = place(2, 0, std::vector<std::byte>(64));
    const std::uintptr_t b = place(4, 0, std::vector<std::byte>(100));
    const std::uintptr_t iov = place_iovecs({{.base = a, .len = 64}, {.base = b, .len = 100}});
    EXPECT_EQ(syscall_return(readv(space, iov, 2, file)), 164);
    EXPECT_EQ(file.offset, 164U);
    EXPECT_EQ(space.peek(a, 64), std::vector(file.bytes.begin(), file.bytes.begin() + 64));
    EXPECT_EQ(space.peek(b, 100), std::vector(file.bytes.begin() + 64, file.bytes.begin() + 164));
}

TEST_F(IoVecTest, ReadvStopsAtTheEndOfTheFile) {
    file.offset = 150;
    const std::uintptr_t a = place(2, 0, std::vector<std::byte>(64));
    const std::uintptr_t b = place(4, 0, std::vector<std::byte>(100));
    const std::uintptr_t iov = place_iovecs({{.base = a, .len = 64}, {.base = b, .len = 100}});
    EXPECT_EQ(syscall_return(readv(space, iov, 2, file)), 50);
    EXPECT_EQ(file.offset, 200U);
    EXPECT_EQ(syscall_return(readv(space, iov, 2, file)), 0);
}

TEST_F(IoVecTest, ReadvReturnsTheBytesBeforeAFaultInTheSecondBuffer) {
    const std::uintptr_t a = place(2, 0, std::vector<std::byte>(64));
    const std::uintptr_t b = place_before_fault(4, std::vector<std::byte>(10));
    const std::uintptr_t iov = place_iovecs({{.base = a, .len = 64}, {.base = b, .len = 100}});
    EXPECT_EQ(syscall_return(readv(space, iov, 2, file)), 74);
    EXPECT_EQ(file.offset, 74U);
}

TEST_F(IoVecTest, ReadvPlantedEfaultAfterPartialHidesTheBytesDelivered) {
    const std::uintptr_t a = place(2, 0, std::vector<std::byte>(64));
    const std::uintptr_t b = place_before_fault(4, std::vector<std::byte>(10));
    const std::uintptr_t iov = place_iovecs({{.base = a, .len = 64}, {.base = b, .len = 100}});
    EXPECT_EQ(syscall_return(readv(space, iov, 2, file, /*efault_after_partial=*/true)), -EFAULT);
    EXPECT_EQ(file.offset, 74U) << "the offset moved although the call reports nothing read";
}

TEST_F(IoVecTest, ReadvWithAFaultInTheIovecArrayDoesNothing) {
    const std::uintptr_t a = place(2, 0, std::vector<std::byte>(64));
    std::vector<std::byte> first(sizeof(IoVec));
    const IoVec only_a{.base = a, .len = 64};
    std::memcpy(first.data(), &only_a, sizeof(IoVec));
    const std::uintptr_t iov = place_before_fault(0, first);  // the second entry faults
    EXPECT_EQ(syscall_return(readv(space, iov, 2, file)), -EFAULT);
    EXPECT_EQ(file.offset, 0U);
    EXPECT_EQ(space.peek(a, 64), std::vector<std::byte>(64)) << "no buffer is touched";
}

TEST_F(IoVecTest, ABufferOutsideUserSpaceCountsAsAFault) {
    const std::uintptr_t a = place(2, 0, std::vector<std::byte>(64));
    const std::uintptr_t kernel = machine.layout().kernel_begin;
    const std::uintptr_t first_outside = place_iovecs({{.base = kernel, .len = 8}, {.base = a, .len = 64}});
    EXPECT_EQ(syscall_return(readv(space, first_outside, 2, file)), -EFAULT);
    const std::uintptr_t second_outside = place_iovecs({{.base = a, .len = 64}, {.base = kernel, .len = 8}});
    EXPECT_EQ(syscall_return(readv(space, second_outside, 2, file)), 64);
    EXPECT_EQ(file.offset, 64U);
}

TEST_F(IoVecTest, MoreThanIovMaxEntriesIsEinval) {
    EXPECT_EQ(syscall_return(readv(space, user_page(0), iov_max + 1, file)), -EINVAL);
    EXPECT_EQ(syscall_return(writev(space, user_page(0), iov_max + 1, file)), -EINVAL);
}

TEST_F(IoVecTest, WritevAppendsEachBufferInTurn) {
    file.offset = file.bytes.size();
    const std::vector<std::byte> a_bytes = counting_bytes(64, 0x80);
    const std::vector<std::byte> b_bytes = counting_bytes(100, 0xc0);
    const std::uintptr_t a = place(2, 0, a_bytes);
    const std::uintptr_t b = place(4, 0, b_bytes);
    const std::uintptr_t iov = place_iovecs({{.base = a, .len = 64}, {.base = b, .len = 100}});
    std::vector<std::byte> expected = file.bytes;
    expected.insert(expected.end(), a_bytes.begin(), a_bytes.end());
    expected.insert(expected.end(), b_bytes.begin(), b_bytes.end());
    EXPECT_EQ(syscall_return(writev(space, iov, 2, file)), 164);
    EXPECT_EQ(file.bytes, expected);
    EXPECT_EQ(file.offset, 364U);
}

TEST_F(IoVecTest, WritevKeepsOnlyTheBytesBeforeAFault) {
    file.offset = file.bytes.size();
    const std::vector<std::byte> a_bytes = counting_bytes(64, 0x80);
    const std::vector<std::byte> b_bytes = counting_bytes(10, 0xc0);
    const std::uintptr_t a = place(2, 0, a_bytes);
    const std::uintptr_t b = place_before_fault(4, b_bytes);
    const std::uintptr_t iov = place_iovecs({{.base = a, .len = 64}, {.base = b, .len = 100}});
    std::vector<std::byte> expected = file.bytes;
    expected.insert(expected.end(), a_bytes.begin(), a_bytes.end());
    expected.insert(expected.end(), b_bytes.begin(), b_bytes.end());
    EXPECT_EQ(syscall_return(writev(space, iov, 2, file)), 74);
    EXPECT_EQ(file.bytes, expected) << "the file grew by the 74 bytes taken, not by the 164 asked for";
    EXPECT_EQ(file.offset, 274U);
}

TEST_F(IoVecTest, WritevOverwritesInsideTheFile) {
    file.offset = 10;
    const std::vector<std::byte> a_bytes = counting_bytes(20, 0x80);
    const std::uintptr_t iov = place_iovecs({{.base = place(2, 0, a_bytes), .len = 20}});
    std::vector<std::byte> expected = file.bytes;
    std::ranges::copy(a_bytes, expected.begin() + 10);
    EXPECT_EQ(syscall_return(writev(space, iov, 1, file)), 20);
    EXPECT_EQ(file.bytes, expected);
    EXPECT_EQ(file.offset, 30U);
}

// --- ioctl ------------------------------------------------------------------------------

class IoctlTest : public KernelCodeTest {
protected:
    static AccumulatorArg request(AccumulatorOp op, std::uint64_t amount, std::uint32_t pad = 0) {
        return {.request = {.op = static_cast<std::uint32_t>(op), .pad = pad, .amount = amount},
                .reply = {.old_value = ~0ULL, .new_value = ~0ULL}};
    }
    AccumulatorArg arg_at(std::uintptr_t address) const {
        AccumulatorArg arg{};
        std::memcpy(&arg, space.peek(address, sizeof(arg)).data(), sizeof(arg));
        return arg;
    }

    Accumulator device{37};
};

TEST_F(IoctlTest, AddRepliesTheOldAndTheNewValue) {
    const std::uintptr_t arg = place(0, 0, bytes_of_value(request(AccumulatorOp::Add, 5)));
    EXPECT_EQ(syscall_return(device.ioctl(space, arg)), 0);
    EXPECT_EQ(device.value(), 42U);
    EXPECT_EQ(arg_at(arg).reply.old_value, 37U);
    EXPECT_EQ(arg_at(arg).reply.new_value, 42U);
}

TEST_F(IoctlTest, SetReplacesTheValue) {
    const std::uintptr_t arg = place(0, 0, bytes_of_value(request(AccumulatorOp::Set, 1000)));
    EXPECT_EQ(syscall_return(device.ioctl(space, arg)), 0);
    EXPECT_EQ(device.value(), 1000U);
    EXPECT_EQ(arg_at(arg).reply.old_value, 37U);
}

TEST_F(IoctlTest, AnInvalidRequestIsEinvalAndChangesNothing) {
    AccumulatorArg unknown_op = request(AccumulatorOp::Add, 5);
    unknown_op.request.op = 99;
    const std::uintptr_t first = place(0, 0, bytes_of_value(unknown_op));
    EXPECT_EQ(syscall_return(device.ioctl(space, first)), -EINVAL);
    const std::uintptr_t second = place(2, 0, bytes_of_value(request(AccumulatorOp::Add, 5, /*pad=*/1)));
    EXPECT_EQ(syscall_return(device.ioctl(space, second)), -EINVAL);
    EXPECT_EQ(device.value(), 37U);
    EXPECT_EQ(arg_at(first).reply.old_value, ~0ULL) << "no reply is written";
}

TEST_F(IoctlTest, AnAddThatWouldWrapIsEoverflow) {
    const std::uintptr_t arg = place(0, 0, bytes_of_value(request(AccumulatorOp::Add, ~0ULL - 36)));
    EXPECT_EQ(syscall_return(device.ioctl(space, arg)), -EOVERFLOW);
    EXPECT_EQ(device.value(), 37U);
}

TEST_F(IoctlTest, AFaultOnTheReplyLeavesTheDeviceUnchanged) {
    // The request ends the page; the reply lies on the inaccessible page after it.
    const std::vector<std::byte> whole = bytes_of_value(request(AccumulatorOp::Add, 5));
    const std::uintptr_t arg = place_before_fault(0, std::span(whole).first(sizeof(AccumulatorRequest)));
    EXPECT_EQ(syscall_return(device.ioctl(space, arg)), -EFAULT);
    EXPECT_EQ(device.value(), 37U);

    Accumulator buggy(37, /*commit_before_copy_out=*/true);
    EXPECT_EQ(syscall_return(buggy.ioctl(space, arg)), -EFAULT);
    EXPECT_EQ(buggy.value(), 42U) << "the planted bug commits before the reply faults";
}

TEST_F(IoctlTest, AFaultOnTheRequestIsEfault) {
    EXPECT_EQ(syscall_return(device.ioctl(space, user_page(3))), -EFAULT);
    EXPECT_EQ(syscall_return(device.ioctl(space, machine.layout().kernel_begin)), -EFAULT);
    EXPECT_EQ(device.value(), 37U);
}

// --- path lookup ------------------------------------------------------------------------

class PathLookupTest : public KernelCodeTest {
protected:
    std::uintptr_t place_path(std::string_view path) { return place(0, 0, bytes_of(std::string(path) + '\0')); }

    Directory directory;
};

TEST_F(PathLookupTest, ResolvesEveryPathToItsOwnInode) {
    EXPECT_EQ(syscall_return(directory.lookup(space, place_path("/usr/lib/libvmio.so"))), 12);
    EXPECT_EQ(syscall_return(directory.lookup(space, place_path("/usr/lib"))), 11);
    EXPECT_EQ(syscall_return(directory.lookup(space, place_path("/"))), 2);
}

TEST_F(PathLookupTest, AnUnknownPathIsEnoent) {
    EXPECT_EQ(syscall_return(directory.lookup(space, place_path("/usr/li"))), -ENOENT);
    EXPECT_EQ(syscall_return(directory.lookup(space, place_path(""))), -ENOENT);
}

TEST_F(PathLookupTest, NoNulWithinPathMaxIsEnametoolong) {
    const std::uintptr_t too_long = place(0, 0, bytes_of(std::string(path_max, 'a')));
    EXPECT_EQ(syscall_return(directory.lookup(space, too_long)), -ENAMETOOLONG);
    // One byte less leaves room for the NUL: not too long, just unknown.
    const std::uintptr_t longest = place(2, 0, bytes_of(std::string(path_max - 1, 'a') + '\0'));
    EXPECT_EQ(syscall_return(directory.lookup(space, longest)), -ENOENT);
}

TEST_F(PathLookupTest, NothingPastTheNulIsRead) {
    // The NUL ends the page: reading one byte further would fault.
    const std::uintptr_t path = place_before_fault(0, bytes_of(std::string("/etc/passwd") + '\0'));
    EXPECT_EQ(syscall_return(directory.lookup(space, path)), 21);
}

TEST_F(PathLookupTest, AFaultBeforeTheNulIsEfault) {
    // "/usr/lib/libvmio.so" with no NUL before the fault: its prefix "/usr/lib/libvmio.so" is
    // a file, and a cut-off path must not resolve to it.
    const std::uintptr_t path = place_before_fault(0, bytes_of("/usr/lib/libvmio.so"));
    EXPECT_EQ(syscall_return(directory.lookup(space, path)), -EFAULT);
    const Directory buggy(/*accept_cut_off_path=*/true);
    EXPECT_EQ(syscall_return(buggy.lookup(space, path)), 12) << "the planted bug resolves the cut-off path";
}

TEST_F(PathLookupTest, APathMayEndAtTheEndOfUserSpace) {
    const std::size_t last_page = machine.layout().user_pages() - 1;
    const std::uintptr_t etc = place_before_fault(last_page, bytes_of(std::string("/etc") + '\0'));
    EXPECT_EQ(syscall_return(directory.lookup(space, etc)), 20);
    EXPECT_EQ(syscall_return(directory.lookup(space, place_before_fault(last_page, bytes_of("/etc")))), -EFAULT)
        << "a string that runs into the end of user space";
    EXPECT_EQ(syscall_return(directory.lookup(space, machine.layout().user_end)), -EFAULT);
}

// --- the explorations -------------------------------------------------------------------

const Example& example_named(std::string_view name) {
    for (const Example& example : all_examples()) {
        if (example.name == name) {
            return example;
        }
    }
    throw std::invalid_argument("no example named " + std::string(name));
}

TEST(ExamplesRegistry, ListsTheSixExamplesWithTheirBugs) {
    std::vector<std::pair<std::string_view, std::string_view>> names;
    for (const Example& example : all_examples()) {
        names.emplace_back(example.name, example.bug);
        EXPECT_EQ(example.subject(false).name, example.name);
        EXPECT_FALSE(example.summary.empty());
        EXPECT_EQ(example.bug.empty(), example.bug_summary.empty()) << example.name;
    }
    EXPECT_EQ(names, (std::vector<std::pair<std::string_view, std::string_view>>{
                         {"pipe-read", "consume-before-copy"},
                         {"pipe-write", ""},
                         {"readv", "efault-after-partial"},
                         {"writev", ""},
                         {"ioctl", "commit-before-copy-out"},
                         {"path-lookup", "accept-cut-off-path"},
                     }));
}

std::string test_name(const ::testing::TestParamInfo<Example>& info) {
    std::string name(info.param.name);
    std::ranges::replace(name, '-', '_');
    return name;
}

std::vector<Example> examples_without_a_bug() {
    std::vector<Example> examples;
    std::ranges::copy_if(all_examples(), std::back_inserter(examples), [](const Example& e) { return e.bug.empty(); });
    return examples;
}

// Without the planted bug, every fault point surfaces (or is not reached) and every
// invariant holds.
class ExampleExploration : public ::testing::TestWithParam<Example> {};

TEST_P(ExampleExploration, PassesWithoutThePlantedBug) {
    const testing::Report report = testing::explore(GetParam().subject(false));
    EXPECT_TRUE(report.passed()) << report;
    EXPECT_EQ(report.stopped_by, testing::StoppedBy::Complete) << report;
    EXPECT_GT(report.count(RunClass::Surfaced), 0U) << report;
}

INSTANTIATE_TEST_SUITE_P(Examples, ExampleExploration, ::testing::ValuesIn(all_examples()), test_name);

// An example without a bug ignores `planted`.
class ExampleWithoutABug : public ::testing::TestWithParam<Example> {};

TEST_P(ExampleWithoutABug, PassesWithPlantedSet) {
    const testing::Report report = testing::explore(GetParam().subject(true));
    EXPECT_TRUE(report.passed()) << report;
}

INSTANTIATE_TEST_SUITE_P(Examples, ExampleWithoutABug, ::testing::ValuesIn(examples_without_a_bug()), test_name);

// The failed invariants of the report's first finding of `run_class`.
std::vector<std::string> broken_invariants(const testing::Report& report, RunClass run_class) {
    for (const testing::Finding& finding : report.first_findings) {
        if (finding.run_class == run_class) {
            return finding.broken;
        }
    }
    return {};
}

// consume-before-copy: the result is right (a short count, or -EFAULT), but the bytes the
// fault kept from the caller left the pipe: Broken, and nothing else.
TEST(PlantedBug, ConsumeBeforeCopyInPipeReadIsBroken) {
    const testing::Report report = testing::explore(example_named("pipe-read").subject(true));
    EXPECT_FALSE(report.passed()) << report;
    EXPECT_GT(report.count(RunClass::Broken), 0U) << report;
    EXPECT_EQ(report.findings, report.count(RunClass::Broken)) << report;
    EXPECT_EQ(broken_invariants(report, RunClass::Broken),
              (std::vector<std::string>{"bytes taken out of the pipe == bytes the caller received",
                                        "the bytes not delivered stay in the pipe, in order"}))
        << report;
}

// efault-after-partial: -EFAULT is the right error for a fault, so the result alone looks
// surfaced; the file offset moved past bytes the call says it did not deliver: Broken. A
// fault before any byte was delivered is handled right, so some runs surface.
TEST(PlantedBug, EfaultAfterPartialInReadvIsBroken) {
    const testing::Report report = testing::explore(example_named("readv").subject(true));
    EXPECT_FALSE(report.passed()) << report;
    EXPECT_GT(report.count(RunClass::Broken), 0U) << report;
    EXPECT_EQ(report.findings, report.count(RunClass::Broken)) << report;
    EXPECT_GT(report.count(RunClass::Surfaced), 0U) << report;
    EXPECT_EQ(broken_invariants(report, RunClass::Broken),
              std::vector<std::string>{"file offset advanced by exactly the bytes reported"})
        << report;
}

// commit-before-copy-out: a fault on the reply is reported as -EFAULT, as it must be, but the
// device has changed: Broken. Faults on the request come before the commit and surface.
TEST(PlantedBug, CommitBeforeCopyOutInIoctlIsBroken) {
    const testing::Report report = testing::explore(example_named("ioctl").subject(true));
    EXPECT_FALSE(report.passed()) << report;
    EXPECT_GT(report.count(RunClass::Broken), 0U) << report;
    EXPECT_EQ(report.findings, report.count(RunClass::Broken)) << report;
    EXPECT_EQ(broken_invariants(report, RunClass::Broken),
              std::vector<std::string>{"no state change after a failed ioctl"})
        << report;
}

// accept-cut-off-path: "/usr/lib/libvmio.so.0" cut off by a fault is looked up as what was
// read, for the two kinds that fault on loads (not-present, truncated). Cut after 1, 4, 8 or
// 19 bytes it names another file ("/", "/usr", "/usr/lib", "/usr/lib/libvmio.so"): success
// with the wrong inode, Broken (4 byte points per kind). Cut after 21 bytes, just before the
// NUL, it is the whole path: the right inode, but the fault was swallowed, Missed (1 per
// kind). Cut anywhere else it names nothing: -ENOENT where -EFAULT is due, WrongError.
TEST(PlantedBug, AcceptCutOffPathInPathLookupIsBrokenMissedOrWrongError) {
    const testing::Report report = testing::explore(example_named("path-lookup").subject(true));
    EXPECT_FALSE(report.passed()) << report;
    EXPECT_EQ(report.count(RunClass::Broken), 8U) << report;
    EXPECT_EQ(report.count(RunClass::Missed), 2U) << report;
    EXPECT_GT(report.count(RunClass::WrongError), 0U) << report;
    EXPECT_EQ(report.findings, report.count(RunClass::Broken) + report.count(RunClass::Missed) +
                                   report.count(RunClass::WrongError))
        << report;
    EXPECT_EQ(broken_invariants(report, RunClass::Broken),
              std::vector<std::string>{"a resolved inode is the full path's"})
        << report;
}

}  // namespace
}  // namespace vmio::examples
