// Many threads recovering faults at once: every count exact, every fault record the
// thread's own.
#include <gtest/gtest.h>

#include <sys/auxv.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "edge_region.hpp"
#include "fault_access.hpp"
#include "variants.hpp"
#include "vmio/copy.hpp"
#include "vmio/fault.hpp"

namespace vmio::test {
namespace {

std::chrono::milliseconds stress_duration() {
    const char* env = std::getenv("VMIO_STRESS_MS");
    return std::chrono::milliseconds(env != nullptr ? std::atoi(env) : 3000);
}

struct ThreadOutcome {
    std::uint64_t operations = 0;
    std::uint64_t faults = 0;
    std::string failure;
};

void hammer(unsigned seed, std::chrono::steady_clock::time_point deadline, ThreadOutcome& outcome) {
    // Each thread owns its regions, so a fault address names the thread that took it.
    const EdgeRegion src_region(seed % 2 == 0 ? BadPage::None : BadPage::Truncated);
    const EdgeRegion dst_region(seed % 3 == 0 ? BadPage::ReadOnly : BadPage::None);
    std::mt19937 rng(seed);
    std::vector<unsigned char> buffer(512);
    // At least one batch, however late the thread starts (valgrind runs one thread at a time).
    do {
        for (int batch = 0; batch < 256; ++batch) {
            const std::size_t size = rng() % 300;
            const std::size_t before = rng() % (size + 1);
            const Variant& variant = all_variants()[rng() % all_variants().size()];
            if (!exact_here(variant)) {
                continue;
            }
            const bool write = rng() % 2 == 0;
            const EdgeRegion& region = write ? dst_region : src_region;
            clear_last_fault();
            const std::size_t left = write ? variant.copy(region.edge() - before, buffer.data(), size)
                                           : variant.copy(buffer.data(), region.edge() - before, size);
            ++outcome.operations;
            if (left != size - before) {
                outcome.failure = "count " + std::to_string(size - left) + " instead of " + std::to_string(before);
                return;
            }
            if (before < size) {
                ++outcome.faults;
                const auto fault = last_fault();
                if (!fault || fault->address != reinterpret_cast<std::uintptr_t>(region.edge()) ||
                    fault->signal != region.signal() ||
                    !access_matches(fault->access, write ? Access::Write : Access::Read)) {
                    outcome.failure = "fault record is not this thread's";
                    return;
                }
            }
        }
    } while (std::chrono::steady_clock::now() < deadline);
}

TEST(Threads, ConcurrentFaultingCopiesAreExactAndRecordsStayPerThread) {
    constexpr unsigned thread_count = 8;
    const auto deadline = std::chrono::steady_clock::now() + stress_duration();
    std::vector<ThreadOutcome> outcomes(thread_count);
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < thread_count; ++i) {
        threads.emplace_back(hammer, 1000 + i, deadline, std::ref(outcomes[i]));
    }
    for (auto& t : threads) {
        t.join();
    }
    std::uint64_t faults = 0;
    for (unsigned i = 0; i < thread_count; ++i) {
        EXPECT_EQ(outcomes[i].failure, "") << "thread " << i;
        EXPECT_GT(outcomes[i].faults, 0U) << "thread " << i;
        faults += outcomes[i].faults;
    }
    RecordProperty("faults", std::to_string(faults));
}

TEST(Threads, EveryThreadGetsAnAlternateStackLargeEnoughForTheLargestSignalFrame) {
    // sysconf(_SC_SIGSTKSZ) covers the kernel's largest signal frame on this CPU
    // (AT_MINSIGSTKSZ, several KiB with AVX-512) plus room for a handler. vmio keeps a stack
    // the thread already has (a sanitizer's, say) if it is at least that large.
    std::thread([] {
        vmio::prepare_thread();
        stack_t current{};
        ASSERT_EQ(sigaltstack(nullptr, &current), 0);
        EXPECT_EQ(current.ss_flags & SS_DISABLE, 0);
        EXPECT_GE(current.ss_size, static_cast<std::size_t>(sysconf(_SC_SIGSTKSZ)));
        EXPECT_GE(current.ss_size, static_cast<std::size_t>(getauxval(AT_MINSIGSTKSZ)));
    }).join();
}

TEST(Threads, TooSmallAlternateStackIsReplaced) {
    std::thread([] {
        static char tiny[2048];  // below MINSIGSTKSZ on every CPU with AVX
        const stack_t small{.ss_sp = tiny, .ss_flags = 0, .ss_size = sizeof tiny};
        ASSERT_EQ(sigaltstack(&small, nullptr), 0);
        vmio::prepare_thread();
        stack_t current{};
        ASSERT_EQ(sigaltstack(nullptr, &current), 0);
        EXPECT_NE(current.ss_sp, static_cast<void*>(tiny));
        EXPECT_GE(current.ss_size, static_cast<std::size_t>(sysconf(_SC_SIGSTKSZ)));
    }).join();
}

std::size_t mapping_count() {
    std::ifstream maps("/proc/self/maps");
    return static_cast<std::size_t>(std::count(std::istreambuf_iterator<char>(maps), {}, '\n'));
}

std::size_t resident_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stoul(line.substr(6));
        }
    }
    return 0;
}

TEST(Threads, AlternateStacksAreReleasedWhenThreadsExit) {
    const char* env = std::getenv("VMIO_THREAD_CHURN");
    const int threads = env != nullptr ? std::atoi(env) : 100'000;
    auto churn = [](int count) {
        for (int i = 0; i < count; ++i) {
            std::thread([] {
                unsigned char a[64] = {}, b[64];
                if (memcpy_fallible(b, a, sizeof b) != sizeof b) {
                    std::abort();
                }
            }).join();
        }
    };
    churn(100);  // warm-up: thread caches, lazily mapped libraries
    const std::size_t maps_before = mapping_count();
    const std::size_t rss_before = resident_kib();
    churn(threads);
    const std::size_t maps_after = mapping_count();
    const std::size_t rss_after = resident_kib();
    // A leaked stack per thread would add two mappings (guard + stack) and 64 KiB each.
    EXPECT_LE(maps_after, maps_before + 4) << threads << " threads";
#if defined(__SANITIZE_ADDRESS__)
    // ASan keeps what each thread freed (std::thread's state, glibc's DTV) in its quarantine,
    // up to 256 MiB: RSS grows without any leak of vmio's.
    constexpr bool rss_is_telling = false;
#else
    constexpr bool rss_is_telling = true;
#endif
    // Under qemu-user, /proc/self/status is the emulator's, which keeps memory of its own for
    // every exited thread. The mapping count above still catches a stack left mapped.
    if (rss_is_telling && std::getenv("VMIO_UNDER_EMULATOR") == nullptr) {
        EXPECT_LE(rss_after, rss_before + 4096) << "KiB resident after " << threads << " threads";
    }
}

}  // namespace
}  // namespace vmio::test
