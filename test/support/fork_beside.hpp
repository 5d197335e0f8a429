// Forks again and again while another thread keeps doing something that takes a lock, and runs
// `in_child` in each child: what that thread held at the fork must not stay held in the child.
// A child that neither exits 0 nor ends within 5 s counts as hung (and is killed); the forking
// stops at the first hang or failure, after `forks` forks, or after 4 s (slower sanitizer
// builds fork less).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <functional>
#include <thread>

namespace vmio::test {

// GCC's AddressSanitizer (libasan of GCC 12) does not hold its allocator's lock across fork: a
// child that allocates while the other thread allocated at the fork may hang in the sanitizer
// itself. Tests whose two sides both allocate skip then.
#if defined(__SANITIZE_ADDRESS__) && !defined(__clang__)
inline constexpr bool allocator_survives_fork_beside_a_thread = false;
#else
inline constexpr bool allocator_survives_fork_beside_a_thread = true;
#endif

struct ForkOutcome {
    int forks = 0;
    int hung = 0;    // children that did not end within 5 s
    int failed = 0;  // children that ended otherwise than exiting 0, or could not be forked or waited for
};

inline ForkOutcome fork_beside(const std::function<void()>& background_step, const std::function<void()>& in_child,
                               int forks = 5000) {
    using clock = std::chrono::steady_clock;
    std::atomic<bool> stop{false};
    std::thread background([&] {
        while (!stop.load(std::memory_order_relaxed)) {
            background_step();
        }
    });
    ForkOutcome outcome;
    const auto give_up = clock::now() + std::chrono::seconds(4);
    while (outcome.forks < forks && outcome.hung == 0 && outcome.failed == 0 && clock::now() < give_up) {
        ++outcome.forks;
        const pid_t child = fork();
        if (child < 0) {
            ++outcome.failed;
            break;
        }
        if (child == 0) {
            try {
                in_child();
            } catch (...) {
                _exit(2);  // never back into the test framework in the child
            }
            _exit(0);
        }
        int status = 0;
        const auto deadline = clock::now() + std::chrono::seconds(5);
        for (;;) {
            const pid_t waited = waitpid(child, &status, WNOHANG);
            if (waited == child) {
                if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                    ++outcome.failed;
                }
                break;
            }
            if (waited < 0 && errno != EINTR) {
                ++outcome.failed;
                break;
            }
            if (clock::now() > deadline) {
                kill(child, SIGKILL);
                while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
                }
                ++outcome.hung;
                break;
            }
            std::this_thread::sleep_for(std::chrono::microseconds(50));
        }
    }
    stop = true;
    background.join();
    return outcome;
}

}  // namespace vmio::test
