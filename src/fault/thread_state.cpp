#include "thread_state.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "vmio/detail/thread.hpp"

namespace vmio::detail {

thread_local ThreadFaultState thread_fault_state __attribute__((tls_model("initial-exec"))) = {};
thread_local bool thread_prepared __attribute__((tls_model("initial-exec"))) = false;

namespace {

// Room for the handler, a chained handler and the kernel's signal frame (which holds the
// full AVX-512 state on CPUs that have it).
constexpr std::size_t min_alt_stack_size = 64 * 1024;

// An alternate signal stack with a guard page below it, released at thread exit.
class AltStack {
public:
    AltStack() {
        stack_t current{};
        if (sigaltstack(nullptr, &current) == 0 && !(current.ss_flags & SS_DISABLE)) {
            return;  // the thread already has one (its owner's or a sanitizer's): keep it
        }
        const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
        const auto wanted = std::max<std::size_t>(min_alt_stack_size,
                                                  static_cast<std::size_t>(sysconf(_SC_SIGSTKSZ)));
        size_ = (wanted + page - 1) / page * page + page;
        void* base = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (base == MAP_FAILED) {
            std::perror("vmio: cannot map an alternate signal stack");
            std::abort();
        }
        mprotect(base, page, PROT_NONE);  // guard page: overflow faults instead of corrupting
        base_ = base;
        const stack_t ss{.ss_sp = static_cast<char*>(base) + page, .ss_flags = 0, .ss_size = size_ - page};
        if (sigaltstack(&ss, nullptr) != 0) {
            std::perror("vmio: sigaltstack");
            std::abort();
        }
    }
    ~AltStack() {
        if (base_ == nullptr) {
            return;
        }
        const stack_t off{.ss_sp = nullptr, .ss_flags = SS_DISABLE, .ss_size = 0};
        sigaltstack(&off, nullptr);
        munmap(base_, size_);
    }
    AltStack(const AltStack&) = delete;
    AltStack& operator=(const AltStack&) = delete;

private:
    void* base_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace

void prepare_thread_slow() {
    install_fault_handler();
    thread_local AltStack alt_stack;
    thread_fault_state.has_fault = false;
    thread_prepared = true;
}

}  // namespace vmio::detail

namespace vmio {

void prepare_thread() {
    if (!detail::thread_prepared) {
        detail::prepare_thread_slow();
    }
}

std::optional<FaultRecord> last_fault() noexcept {
    const auto& state = detail::thread_fault_state;
    return state.has_fault ? std::optional(state.last) : std::nullopt;
}

void clear_last_fault() noexcept { detail::thread_fault_state.has_fault = false; }

std::uint64_t recovered_fault_count() noexcept { return detail::thread_fault_state.recovered; }

}  // namespace vmio
