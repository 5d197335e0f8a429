// A thread's first fallible operation may happen inside a signal handler that interrupted
// malloc: preparing the thread must not allocate (or take any lock malloc may hold). The
// test binary interposes malloc and calloc to catch an allocation made from the handler.
#include <gtest/gtest.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>
#include <vector>

#include "edge_region.hpp"
#include "vmio/copy.hpp"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define VMIO_TEST_OWNS_MALLOC 0  // the sanitizer's runtime owns malloc
#else
#define VMIO_TEST_OWNS_MALLOC 1
#endif

namespace {
thread_local bool inside_handler __attribute__((tls_model("initial-exec"))) = false;
}  // namespace

#if VMIO_TEST_OWNS_MALLOC
extern "C" void* __libc_malloc(std::size_t);
extern "C" void* __libc_calloc(std::size_t, std::size_t);

namespace {
[[noreturn]] void allocation_in_handler() {
    const char message[] = "allocation inside a signal handler\n";
    (void)!write(STDERR_FILENO, message, sizeof message - 1);
    _exit(3);
}
}  // namespace

extern "C" void* malloc(std::size_t size) {
    if (inside_handler) {
        allocation_in_handler();
    }
    return __libc_malloc(size);
}

extern "C" void* calloc(std::size_t count, std::size_t size) {
    if (inside_handler) {
        allocation_in_handler();
    }
    return __libc_calloc(count, size);
}
#endif

namespace vmio::test {
namespace {

unsigned char* edge = nullptr;
std::atomic<int> exact_in_handler{0};
std::atomic<int> wrong_in_handler{0};

void copy_in_handler(int) {
    inside_handler = true;
    unsigned char out[32];
    if (memcpy_fallible(out, edge - 8, sizeof out) == 8) {
        exact_in_handler.fetch_add(1, std::memory_order_relaxed);
    } else {
        wrong_in_handler.fetch_add(1, std::memory_order_relaxed);
    }
    inside_handler = false;
}

TEST(PrepareInHandler, FirstOperationOfAThreadInsideAHandlerAllocatesNothing) {
    if (!VMIO_TEST_OWNS_MALLOC || std::getenv("VMIO_UNDER_VALGRIND") != nullptr) {
        GTEST_SKIP() << "malloc belongs to the sanitizer or valgrind here; the timer-storm test covers this build";
    }
    const EdgeRegion region(BadPage::None);
    edge = region.edge();
    struct sigaction sa {}, saved {};
    sa.sa_handler = copy_in_handler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, &saved);
    exact_in_handler = 0;
    std::thread([] { std::raise(SIGUSR1); }).join();  // the thread's first fallible operation
    sigaction(SIGUSR1, &saved, nullptr);
    EXPECT_EQ(exact_in_handler, 1);
}

TEST(PrepareInHandler, ProfilingTimerStormOverFreshThreadsThatAllocate) {
    // SIGPROF lands anywhere, malloc included, and each thread's first fallible operation is
    // in the handler. A deadlock shows as the watchdog's exit.
    const EdgeRegion region(BadPage::None);
    edge = region.edge();
    std::atomic<bool> finished{false};
    std::thread watchdog([&] {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (!finished) {
            if (std::chrono::steady_clock::now() > deadline) {
                const char message[] = "timer storm: a thread hung\n";
                (void)!write(STDERR_FILENO, message, sizeof message - 1);
                _exit(4);
            }
            usleep(10000);
        }
    });
    struct sigaction sa {};
    sa.sa_handler = copy_in_handler;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPROF, &sa, nullptr);
    const itimerval storm{.it_interval = {0, 200}, .it_value = {0, 200}};
    setitimer(ITIMER_PROF, &storm, nullptr);
    const int rounds = std::getenv("VMIO_UNDER_VALGRIND") != nullptr ? 20 : 400;
    for (int round = 0; round < rounds; ++round) {
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([] {
                const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(2);
                while (std::chrono::steady_clock::now() < until) {
                    std::vector<void*> blocks;
                    for (int i = 0; i < 64; ++i) {
                        blocks.push_back(std::malloc(static_cast<std::size_t>(16 + i * 24)));
                    }
                    for (void* block : blocks) {
                        std::free(block);
                    }
                }
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
    }
    const itimerval off{};
    setitimer(ITIMER_PROF, &off, nullptr);
    // A SIGPROF of the storm may still be pending (valgrind delivers them late): it must find
    // SIGPROF ignored, not given the default action, which ends the process.
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPROF, &ignore, nullptr);
    finished = true;
    watchdog.join();
    EXPECT_EQ(wrong_in_handler, 0);
    EXPECT_GT(exact_in_handler, 0);
    RecordProperty("copies_in_handlers", std::to_string(exact_in_handler.load()));
}

}  // namespace
}  // namespace vmio::test
