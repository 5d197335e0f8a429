// Fallible operations make no system call: a forked child of a prepared thread enters seccomp
// strict mode (only read, write, _exit and sigreturn are allowed; anything else kills it with
// SIGKILL), runs fallible copies, fills, every atomic, read_cstring and the other reader/writer
// operations — through the raw C ABI of every variant and through the C++ API in its default
// mode — and faulting ones (a recovered fault is a signal and a sigreturn, nothing else), and
// then _exits.
#include <gtest/gtest.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "variants.hpp"
#include "vmio/atomic.hpp"
#include "vmio/copy.hpp"
#include "edge_region.hpp"
#include "vmio/fault.hpp"
#include "vmio/reader.hpp"
#include "vmio/writer.hpp"

namespace vmio::test {
namespace {

constexpr std::size_t largest = 64 * 1024 + 3;  // past every string-instruction threshold

/// Runs every operation once per size; false if any result is wrong. Allocates nothing.
bool run_operations(unsigned char* dst, const unsigned char* src) {
    bool ok = true;
    for (std::size_t n = 0; n <= largest; n += (n < 300 ? 1 : 4093)) {
        for (const Variant& variant : all_variants()) {
            ok &= variant.copy(dst, src, n) == 0;
            ok &= variant.fill(dst, 0x5a, n) == 0;
        }
        ok &= memcpy_fallible(dst, src, n) == n;
        ok &= memset_fallible(dst, 0x5a, n) == n;
    }
    std::uint64_t cell64 = 1;
    std::uint32_t cell32 = 2;
    ok &= atomic_load_fallible(&cell64) == std::uint64_t{1};
    ok &= atomic_load_fallible(&cell32) == std::uint32_t{2};
    ok &= atomic_compare_exchange_fallible(&cell64, std::uint64_t{1}, std::uint64_t{3}).value().exchanged;
    ok &= atomic_compare_exchange_fallible(&cell32, std::uint32_t{2}, std::uint32_t{4}).value().exchanged;
    ok &= atomic_store_fallible(&cell64, std::uint64_t{7}, std::memory_order_release).has_value() && cell64 == 7;
    ok &= atomic_exchange_fallible(&cell32, std::uint32_t{8}, std::memory_order_acq_rel) == std::uint32_t{4};
    ok &= atomic_fetch_add_fallible(&cell64, std::uint64_t{1}, std::memory_order_seq_cst) == std::uint64_t{7};
    ok &= atomic_fetch_update_fallible(&cell32, [](std::uint32_t v) { return v * 2; }) == std::uint32_t{8};
    ok &= atomic_load_fallible(&cell32, std::memory_order_acquire) == std::uint32_t{16};
    std::uint64_t previous64 = 0;
    std::uint32_t previous32 = 0;
    ok &= vmio_atomic_store_u32_fallible(&cell32, 3) == 0;
    ok &= vmio_atomic_exchange_u64_fallible(&cell64, 9, &previous64) == 0 && previous64 == 8;
    ok &= vmio_atomic_fetch_add_u32_fallible(&cell32, 1, &previous32) == 0 && previous32 == 3 && cell32 == 4;
    auto reader = VmReader<Fallible>::from_user_space(src, largest);
    ok &= reader.read_val<std::uint64_t>() == std::uint64_t{0x1111111111111111};
    ok &= reader.atomic_load<std::uint64_t>(std::memory_order_seq_cst) == std::uint64_t{0x1111111111111111};
    ok &= reader.read_cstring(8) == std::unexpected(Error::TooLong);  // src has no NUL
    const char name[] = "vmio-seccomp";  // a string short enough not to allocate
    ok &= VmReader<Fallible>::from_user_space(name, sizeof name).read_cstring(sizeof name) == "vmio-seccomp";
    auto writer = VmWriter<Fallible>::from_user_space(dst, largest);
    ok &= writer.write_val(std::uint64_t{5}).has_value();
    ok &= writer.atomic_store(std::uint64_t{6}).has_value();
    ok &= writer.atomic_exchange(std::uint64_t{7}) == std::uint64_t{6};
    ok &= writer.atomic_fetch_add(std::uint64_t{1}) == std::uint64_t{7};
    ok &= writer.atomic_compare_exchange(std::uint64_t{8}, std::uint64_t{9}).value().exchanged;
    ok &= writer.atomic_fetch_update<std::uint64_t>([](std::uint64_t v) { return v + 1; }) == std::uint64_t{9};
    return ok;
}

/// Faulting operations at a PROT_NONE edge; false if any count is wrong.
bool run_faulting_operations(unsigned char* edge, unsigned char* buffer) {
    bool ok = true;
    for (std::size_t before = 0; before < 300; before += 7) {
        ok &= memcpy_fallible(buffer, edge - before, 300) == before;
        ok &= memset_fallible(edge - before, 1, 300) == before;
    }
    const auto fault = std::unexpected(Error::PageFault);
    auto* const cell64 = reinterpret_cast<std::uint64_t*>(edge);
    auto* const cell32 = reinterpret_cast<std::uint32_t*>(edge);
    ok &= atomic_load_fallible(cell64) == fault;
    ok &= atomic_store_fallible(cell32, 1U) == fault;
    ok &= atomic_exchange_fallible(cell64, std::uint64_t{1}) == fault;
    ok &= atomic_fetch_add_fallible(cell32, 1U) == fault;
    ok &= atomic_compare_exchange_fallible(cell64, std::uint64_t{0}, std::uint64_t{1}) == fault;
    ok &= atomic_fetch_update_fallible(cell32, [](std::uint32_t v) { return v + 1; }) == fault;
    std::uint64_t previous = 0;
    ok &= vmio_atomic_exchange_u64_fallible(cell64, 1, &previous) == VMIO_FAULTED;
    ok &= vmio_atomic_store_u32_fallible(cell32, 1) == VMIO_FAULTED;
    auto reader = VmReader<Fallible>::from_user_space(edge - 4, 8);
    ok &= reader.read_val<std::uint64_t>() == fault && reader.remain() == 8;
    ok &= reader.read_cstring(8) == fault && reader.remain() == 8;  // the memset above left no NUL
    edge[-1] = 0;
    ok &= reader.read_cstring(8) == "\1\1\1" && reader.remain() == 4;
    auto writer = VmWriter<Fallible>::from_user_space(edge, 8);
    ok &= writer.atomic_store(std::uint64_t{1}) == fault && writer.atomic_exchange(std::uint64_t{1}) == fault;
    return ok;
}

TEST(NoSyscall, FallibleOperationsMakeNoSystemCall) {
    if (std::getenv("VMIO_UNDER_VALGRIND") != nullptr) {
        GTEST_SKIP() << "valgrind makes system calls of its own on the child's behalf";
    }
#if defined(__SANITIZE_THREAD__)
    GTEST_SKIP() << "ThreadSanitizer's runtime makes system calls of its own in the child";
#endif
    std::vector<unsigned char> src(largest, 0x11);
    std::vector<unsigned char> dst(largest);
    const EdgeRegion region(BadPage::None);
    ASSERT_TRUE(run_operations(dst.data(), src.data()));  // also prepares the thread and
    ASSERT_TRUE(run_faulting_operations(region.edge(), dst.data()));  // warms up lazy bindings
    const pid_t child = fork();
    ASSERT_NE(child, -1);
    if (child == 0) {
        if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT) != 0) {
            _exit(2);  // strict mode unavailable
        }
        const bool ok = run_operations(dst.data(), src.data()) && run_faulting_operations(region.edge(), dst.data());
        syscall(SYS_exit, ok ? 0 : 1);  // exit_group is not allowed in strict mode
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_FALSE(WIFSIGNALED(status)) << "killed by signal " << WTERMSIG(status)
                                      << " (SIGKILL: a system call was made)";
    ASSERT_TRUE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 2) {
        GTEST_SKIP() << "seccomp strict mode is unavailable here (qemu-user does not emulate it)";
    }
    EXPECT_EQ(WEXITSTATUS(status), 0) << "a result was wrong";
}

}  // namespace
}  // namespace vmio::test
