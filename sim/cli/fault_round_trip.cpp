#include "fault_round_trip.hpp"

#include <pthread.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdint>

// probe(p) loads the byte at p; its fault resumes at probe_resume, which returns.
#if defined(__x86_64__)
asm(R"(
    .text
    .p2align 4
    .type vmio_sim_probe, @function
vmio_sim_probe:
    movzbl (%rdi), %eax
vmio_sim_probe_resume:
    ret
    .size vmio_sim_probe, . - vmio_sim_probe
)");
#elif defined(__aarch64__)
asm(R"(
    .text
    .p2align 4
    .type vmio_sim_probe, %function
vmio_sim_probe:
    ldrb w0, [x0]
vmio_sim_probe_resume:
    ret
    .size vmio_sim_probe, . - vmio_sim_probe
)");
#elif defined(__riscv) && __riscv_xlen == 64
asm(R"(
    .text
    .p2align 4
    .type vmio_sim_probe, @function
vmio_sim_probe:
    lbu a0, 0(a0)
vmio_sim_probe_resume:
    ret
    .size vmio_sim_probe, . - vmio_sim_probe
)");
#else
#error "vmio-sim: no fault probe for this architecture"
#endif

extern "C" int vmio_sim_probe(const volatile void* p);
extern "C" const char vmio_sim_probe_resume[];

namespace vmio::cli {
namespace {

using clock = std::chrono::steady_clock;

constexpr int batches_per_measure = 11;
constexpr int faults_per_batch = 64;

void resume_after_probe(int, siginfo_t*, void* context) {
    auto& uc = *static_cast<ucontext_t*>(context);
    const auto resume = reinterpret_cast<std::uintptr_t>(vmio_sim_probe_resume);
#if defined(__x86_64__)
    uc.uc_mcontext.gregs[REG_RIP] = static_cast<greg_t>(resume);
#elif defined(__aarch64__)
    uc.uc_mcontext.pc = resume;
#else
    uc.uc_mcontext.__gregs[REG_PC] = resume;
#endif
}

}  // namespace

void FaultRoundTrip::measure() {
    sigset_t blocked;
    if (pthread_sigmask(SIG_BLOCK, nullptr, &blocked) != 0 || sigismember(&blocked, SIGSEGV) == 1) {
        return;  // the probe's fault would end the process
    }
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    void* none = mmap(nullptr, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (none == MAP_FAILED) {
        return;
    }
    // Nothing may throw while the probe's handler is in place: it sends every fault to the probe.
    batches_.reserve(batches_.size() + batches_per_measure);
    struct sigaction probe{};
    probe.sa_sigaction = resume_after_probe;
    probe.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&probe.sa_mask);
    struct sigaction previous{};
    if (sigaction(SIGSEGV, &probe, &previous) != 0) {
        munmap(none, page);
        return;
    }
    (void)vmio_sim_probe(none);  // warm: the handler's page and the kernel's paths
    for (int batch = 0; batch < batches_per_measure; ++batch) {
        const auto start = clock::now();
        for (int i = 0; i < faults_per_batch; ++i) {
            (void)vmio_sim_probe(none);
        }
        batches_.push_back(std::chrono::duration<double>(clock::now() - start).count() / faults_per_batch);
    }
    sigaction(SIGSEGV, &previous, nullptr);
    munmap(none, page);
}

std::optional<double> FaultRoundTrip::seconds() const {
    if (batches_.empty()) {
        return std::nullopt;
    }
    std::vector<double> sorted = batches_;
    const auto middle = sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2);
    std::ranges::nth_element(sorted, middle);
    return *middle;
}

}  // namespace vmio::cli
