#include "vmio/sim/recovery_engine.hpp"

#include <pthread.h>
#include <sigsegv.h>

#include <csignal>

#include <atomic>
#include <csetjmp>

#include "sigsetjmp_recovery.hpp"
#include "vmio/copy.hpp"

namespace vmio::sim {
namespace {

// One byte-loop operation in flight on this thread: the ranges it touches and where to
// jump back to. The handler writes `fault`.
struct Recovery {
    sigjmp_buf env;
    std::uintptr_t dst;
    std::uintptr_t src;  // 0 for a fill
    std::size_t n;
    volatile std::uintptr_t fault = 0;

    [[nodiscard]] bool covers(std::uintptr_t address) const noexcept {
        return address - dst < n || (src != 0 && address - src < n);
    }
    // A byte loop faults on byte i of either range after copying exactly i bytes.
    [[nodiscard]] std::size_t done() const noexcept { return fault - dst < n ? fault - dst : fault - src; }
};

thread_local Recovery* in_flight __attribute__((tls_model("initial-exec"))) = nullptr;

// Leaves the handler for the engine's sigsetjmp. vmio's handler has SA_NODEFER, but one that
// chains to it may not (libFuzzer's does not): SIGSEGV and SIGBUS are then blocked here, and
// siglongjmp with savemask 0 would leave them blocked, so that the next fault ends the process.
// Neither can have been blocked when the access faulted (a blocked fault signal kills), so
// unblocking both restores what the operation ran with. One system call per recovered fault,
// none per operation.
[[noreturn]] void jump_back(void* recovery, void*, void*) {
    sigset_t faults;
    sigemptyset(&faults);
    sigaddset(&faults, SIGSEGV);
    sigaddset(&faults, SIGBUS);
    pthread_sigmask(SIG_UNBLOCK, &faults, nullptr);
    siglongjmp(static_cast<Recovery*>(recovery)->env, 1);
}

template <typename Loop>
std::size_t run_recoverable(Recovery& recovery, Loop loop) noexcept {
    return vmio::detail::run_fallible([&]() -> std::size_t {
        // savemask 0: no sigprocmask per operation; jump_back unblocks the fault signals a
        // handler above vmio's may have blocked.
        if (sigsetjmp(recovery.env, 0) != 0) {
            return recovery.done();
        }
        in_flight = &recovery;
        std::atomic_signal_fence(std::memory_order_seq_cst);  // the handler must see it before the loop runs
        loop();
        std::atomic_signal_fence(std::memory_order_seq_cst);
        in_flight = nullptr;
        return recovery.n;
    });
}

std::size_t copy_with_sigsetjmp(void* dst, const void* src, std::size_t n) noexcept {
    Recovery recovery{.env = {}, .dst = reinterpret_cast<std::uintptr_t>(dst),
                      .src = reinterpret_cast<std::uintptr_t>(src), .n = n};
    return run_recoverable(recovery, [&] {
        auto* to = static_cast<volatile unsigned char*>(dst);
        const auto* from = static_cast<const volatile unsigned char*>(src);
        for (std::size_t i = 0; i < n; ++i) {
            to[i] = from[i];
        }
    });
}

std::size_t fill_with_sigsetjmp(void* dst, std::uint8_t value, std::size_t n) noexcept {
    Recovery recovery{.env = {}, .dst = reinterpret_cast<std::uintptr_t>(dst), .src = 0, .n = n};
    return run_recoverable(recovery, [&] {
        auto* to = static_cast<volatile unsigned char*>(dst);
        for (std::size_t i = 0; i < n; ++i) {
            to[i] = value;
        }
    });
}

}  // namespace

std::size_t copy_bytes(Engine engine, void* dst, const void* src, std::size_t n) noexcept {
    return engine == Engine::ExceptionTable ? memcpy_fallible(dst, src, n) : copy_with_sigsetjmp(dst, src, n);
}

std::size_t fill_bytes(Engine engine, void* dst, std::uint8_t value, std::size_t n) noexcept {
    return engine == Engine::ExceptionTable ? memset_fallible(dst, value, n) : fill_with_sigsetjmp(dst, value, n);
}

namespace detail {

void leave_to_sigsetjmp_engine(std::uintptr_t address) noexcept {
    Recovery* recovery = in_flight;
    if (recovery == nullptr || !recovery->covers(address)) {
        return;
    }
    in_flight = nullptr;
    recovery->fault = address;
    sigsegv_leave_handler(jump_back, recovery, nullptr, nullptr);
}

}  // namespace detail
}  // namespace vmio::sim
