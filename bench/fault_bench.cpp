// The cost of one recovered fault, and the baselines it is judged against, in one run:
//
//   fault/bare_sigsegv_round_trip   a load from a PROT_NONE page; a minimal SIGSEGV handler
//                                   (same flags and alternate stack as vmio's) moves RIP past
//                                   it. Hardware fault -> kernel -> handler -> sigreturn:
//                                   the floor for any fault-recovery scheme.
//   fault/bare_sigusr1_raise        raise(SIGUSR1) with an empty handler (a sent signal:
//                                   adds the system calls of raise(), no page fault).
//   fault/unresolvable_copy/1       vmio_memcpy_fallible of 1 byte from a PROT_NONE page.
//   fault/unresolvable_copy/64      64 bytes whose second half lies on a PROT_NONE page
//                                   (a wide access faults; the exact count is 32).
//   fault/mprotect_pair             mprotect(PROT_NONE) + mprotect(PROT_READ|PROT_WRITE).
//   fault/resolvable_copy_1B        mprotect(PROT_NONE), then a 1-byte copy whose fault a
//                                   FaultResolver resolves with mprotect(RW); the copy then
//                                   succeeds. Minus mprotect_pair, this is the fault cost.
//   fault/bare_resolvable_round_trip  the same without vmio: mprotect(PROT_NONE), a load
//                                   that faults, a minimal handler that mprotects the page
//                                   RW and returns, the load re-executed.
#include <benchmark/benchmark.h>
#include <sys/mman.h>
#include <sys/ucontext.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <stdexcept>

#include "vmio/fallible.h"
#include "vmio/fault.hpp"

// A one-instruction load whose fault the bare handler skips.
asm(R"(
    .text
    .p2align 4
    .type vmio_bench_probe_load, @function
vmio_bench_probe_load:
    movzbl (%rdi), %eax
vmio_bench_probe_resume:
    ret
    .size vmio_bench_probe_load, . - vmio_bench_probe_load
)");
extern "C" int vmio_bench_probe_load(const void* p);
extern "C" const char vmio_bench_probe_resume[];

namespace vmio::bench {
namespace {

// Read once: the resolvers call it inside the signal handler, where sysconf() has no place.
const std::size_t cached_page_size = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
std::size_t page_size() { return cached_page_size; }

/// Two pages: a readable, writable one and then one with `second_page_prot`.
class TwoPages {
public:
    explicit TwoPages(int second_page_prot) {
        void* p = mmap(nullptr, 2 * page_size(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            throw std::runtime_error("mmap");
        }
        base_ = static_cast<unsigned char*>(p);
        for (std::size_t i = 0; i < 2 * page_size(); ++i) {
            base_[i] = static_cast<unsigned char>(i);
        }
        mprotect(second(), page_size(), second_page_prot);
    }
    ~TwoPages() { munmap(base_, 2 * page_size()); }
    TwoPages(const TwoPages&) = delete;
    TwoPages& operator=(const TwoPages&) = delete;

    [[nodiscard]] unsigned char* second() const { return base_ + page_size(); }

private:
    unsigned char* base_;
};

void skip_probe(int, siginfo_t*, void* context) {
    auto& rip = static_cast<ucontext_t*>(context)->uc_mcontext.gregs[REG_RIP];
    if (rip != reinterpret_cast<greg_t>(&vmio_bench_probe_load)) {
        std::abort();
    }
    rip = reinterpret_cast<greg_t>(vmio_bench_probe_resume);
}

void empty_handler(int) {}

// The page that resolve_probe makes accessible again (one benchmark at a time uses it).
unsigned char* volatile bare_resolvable_page = nullptr;

void resolve_probe(int, siginfo_t* info, void*) {
    auto* address = static_cast<unsigned char*>(info->si_addr);
    unsigned char* const page = bare_resolvable_page;
    if (page == nullptr || address < page || address >= page + page_size() ||
        mprotect(page, page_size(), PROT_READ | PROT_WRITE) != 0) {
        std::abort();
    }
}

/// Installs a handler for one benchmark and puts the previous one (vmio's) back after.
class HandlerScope {
public:
    HandlerScope(int sig, const struct sigaction& action) : sig_(sig) { sigaction(sig, &action, &saved_); }
    ~HandlerScope() { sigaction(sig_, &saved_, nullptr); }
    HandlerScope(const HandlerScope&) = delete;
    HandlerScope& operator=(const HandlerScope&) = delete;

private:
    int sig_;
    struct sigaction saved_{};
};

void bare_sigsegv_round_trip(benchmark::State& state) {
    prepare_thread();  // the alternate signal stack vmio's handler also runs on
    struct sigaction action{};
    action.sa_sigaction = skip_probe;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    const HandlerScope handler(SIGSEGV, action);
    const TwoPages pages(PROT_NONE);
    for (auto _ : state) {
        benchmark::DoNotOptimize(vmio_bench_probe_load(pages.second()));
    }
}

// The floor of a resolved fault without vmio: mprotect(NONE), then a load that faults; a
// minimal handler (same flags and stack as vmio's) mprotects the page RW and returns, and
// the load re-executes. Against mprotect_pair + bare_sigsegv_round_trip, the difference is
// what resolution itself costs the kernel and the CPU (the re-executed access walks the page
// table again, the mprotect runs inside the handler); against resolvable_copy_1B, the
// difference is vmio's.
void bare_resolvable_round_trip(benchmark::State& state) {
    prepare_thread();
    struct sigaction action{};
    action.sa_sigaction = resolve_probe;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    const HandlerScope handler(SIGSEGV, action);
    const TwoPages pages(PROT_READ | PROT_WRITE);
    bare_resolvable_page = pages.second();
    for (auto _ : state) {
        mprotect(pages.second(), page_size(), PROT_NONE);
        benchmark::DoNotOptimize(vmio_bench_probe_load(pages.second()));
    }
    bare_resolvable_page = nullptr;
}

void bare_sigusr1_raise(benchmark::State& state) {
    prepare_thread();
    struct sigaction action{};
    action.sa_handler = empty_handler;
    action.sa_flags = SA_ONSTACK | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    const HandlerScope handler(SIGUSR1, action);
    for (auto _ : state) {
        raise(SIGUSR1);
    }
}

void unresolvable_copy(benchmark::State& state) {
    prepare_thread();
    const auto size = static_cast<std::size_t>(state.range(0));
    const TwoPages pages(PROT_NONE);
    const unsigned char* src = pages.second() - size / 2;
    unsigned char dst[64];
    for (auto _ : state) {
        if (vmio_memcpy_fallible(dst, src, size) != size - size / 2) {
            state.SkipWithError("wrong count");
            break;
        }
    }
}

void mprotect_pair(benchmark::State& state) {
    const TwoPages pages(PROT_READ | PROT_WRITE);
    for (auto _ : state) {
        mprotect(pages.second(), page_size(), PROT_NONE);
        mprotect(pages.second(), page_size(), PROT_READ | PROT_WRITE);
    }
}

/// Resolves a fault on one page by making it readable and writable again.
class UnprotectPage final : public FaultResolver {
public:
    explicit UnprotectPage(unsigned char* page) : page_(page) {}
    bool resolve(const FaultInfo& fault) noexcept override {
        auto* address = static_cast<unsigned char*>(fault.address);
        if (address < page_ || address >= page_ + page_size()) {
            return false;
        }
        return mprotect(page_, page_size(), PROT_READ | PROT_WRITE) == 0;
    }

private:
    unsigned char* page_;
};

void resolvable_copy(benchmark::State& state) {
    prepare_thread();
    const TwoPages pages(PROT_READ | PROT_WRITE);
    UnprotectPage resolver(pages.second());
    set_fault_resolver(&resolver);
    unsigned char dst;
    for (auto _ : state) {
        mprotect(pages.second(), page_size(), PROT_NONE);
        if (vmio_memcpy_fallible(&dst, pages.second(), 1) != 0) {
            state.SkipWithError("the resolver did not resolve the fault");
            break;
        }
    }
    set_fault_resolver(nullptr);
}

BENCHMARK(bare_sigsegv_round_trip)->Name("fault/bare_sigsegv_round_trip");
BENCHMARK(bare_sigusr1_raise)->Name("fault/bare_sigusr1_raise");
BENCHMARK(unresolvable_copy)->Name("fault/unresolvable_copy")->Arg(1)->Arg(64);
BENCHMARK(mprotect_pair)->Name("fault/mprotect_pair");
BENCHMARK(resolvable_copy)->Name("fault/resolvable_copy_1B");
BENCHMARK(bare_resolvable_round_trip)->Name("fault/bare_resolvable_round_trip");

}  // namespace
}  // namespace vmio::bench
