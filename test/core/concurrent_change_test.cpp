// Protections that change while a fallible copy or fill runs. Whatever count c a routine
// returns, destination bytes [0, c) hold the source data and no destination byte at or past
// c has been modified, even when a destination page that the routine already wrote to is
// revoked before it returns:
// * a resolver (run in the signal handler) makes a faulting page accessible and revokes a
//   destination page at that moment, for every variant on every architecture;
// * on x86_64, the routine is single-stepped with the trap flag and a destination page is
//   revoked after its k-th instruction, for every k;
// * threads toggle a destination page's protection while copies run (bounded stress).
// Without a race, an unresolvable fault costs exactly one signal.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "edge_region.hpp"
#include "valgrind.hpp"
#include "variants.hpp"
#include "vmio/fault.hpp"

namespace vmio::test {
namespace {

constexpr unsigned char canary = 0xa5;
constexpr unsigned char fill_value = 0x3c;
constexpr std::size_t guard = 64;  // bytes checked on each side of the destination

unsigned char pattern(std::size_t i) {
    const auto v = static_cast<unsigned char>(i * 13 + 7);
    return v == canary ? 0x11 : v;
}

/// Anonymous read-write pages.
class Pages {
public:
    explicit Pages(std::size_t count) : size_(count * page_size()) {
        base_ = static_cast<unsigned char*>(
            mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
        if (base_ == MAP_FAILED) {
            throw std::runtime_error("mmap");
        }
    }
    ~Pages() { munmap(base_, size_); }
    Pages(const Pages&) = delete;
    Pages& operator=(const Pages&) = delete;

    [[nodiscard]] unsigned char* page(std::size_t i) const { return base_ + i * page_size(); }
    [[nodiscard]] unsigned char* base() const { return base_; }
    [[nodiscard]] std::size_t size() const { return size_; }
    void all_writable() const { mprotect(base_, size_, PROT_READ | PROT_WRITE); }

private:
    std::size_t size_;
    unsigned char* base_;
};

unsigned char* page_of(const void* p) {
    return reinterpret_cast<unsigned char*>(reinterpret_cast<std::uintptr_t>(p) & ~(page_size() - 1));
}

/// Resolves the first fault on `trigger`: makes it read-write and applies `revoke_prot` to
/// `revoke`, as a kernel would if another thread changed that mapping at that moment.
class RevokingResolver final : public FaultResolver {
public:
    void arm(unsigned char* trigger, unsigned char* revoke, int revoke_prot) {
        revoke_ = revoke;
        revoke_prot_ = revoke_prot;
        fired_.store(false, std::memory_order_relaxed);
        trigger_.store(trigger, std::memory_order_release);
    }
    void disarm() { trigger_.store(nullptr, std::memory_order_release); }
    [[nodiscard]] bool fired() const { return fired_.load(std::memory_order_relaxed); }

    bool resolve(const FaultInfo& fault) noexcept override {
        unsigned char* trigger = trigger_.load(std::memory_order_acquire);
        const auto* address = static_cast<unsigned char*>(fault.address);
        if (trigger == nullptr || address < trigger || address >= trigger + page_size()) {
            return false;
        }
        mprotect(trigger, page_size(), PROT_READ | PROT_WRITE);
        mprotect(revoke_, page_size(), revoke_prot_);
        trigger_.store(nullptr, std::memory_order_relaxed);
        fired_.store(true, std::memory_order_relaxed);
        return true;
    }

private:
    std::atomic<unsigned char*> trigger_{nullptr};
    unsigned char* revoke_ = nullptr;
    int revoke_prot_ = PROT_READ;
    std::atomic<bool> fired_{false};
};

/// Installs a resolver for the scope.
class ResolverScope {
public:
    explicit ResolverScope(FaultResolver* r) { set_fault_resolver(r); }
    ~ResolverScope() { set_fault_resolver(nullptr); }
    ResolverScope(const ResolverScope&) = delete;
    ResolverScope& operator=(const ResolverScope&) = delete;
};

/// Offsets in [0, n) at and around the block sizes of every variant, from both ends.
std::vector<std::size_t> interesting_offsets(std::size_t n) {
    std::set<std::size_t> out;
    for (const std::size_t v : {0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 95, 96, 97, 127, 128,
                                129, 191, 192, 193, 255, 256, 257}) {
        if (v < n) {
            out.insert(v);
            out.insert(n - 1 - v);
        }
    }
    out.insert(n / 2);
    return {out.begin(), out.end()};
}

/// Sizes of the sweeps: up to 600 (every size up to 70, then every `step`-th), a few up to
/// 800 (the AVX-512 copy's loop run once or twice between its head and its tail, where a
/// store's fixup may count from the end) and around the string-instruction thresholds.
std::vector<std::size_t> sweep_sizes(std::size_t step = 1) {
    std::vector<std::size_t> sizes;
    step = under_valgrind() ? 7 : step;
    for (std::size_t n = 1; n <= 600; n += (n <= 70 ? 1 : step)) {
        sizes.push_back(n);
    }
    for (const std::size_t n : {640UL, 704UL, 705UL, 740UL, 767UL, 768UL, 769UL, 800UL, 1000UL, 2047UL, 2048UL, 2049UL,
                                4095UL, 4096UL, 4097UL, 5000UL, 8200UL}) {
        sizes.push_back(n);
    }
    return sizes;
}

enum class Op { Copy, Fill };

/// One case's outcome check: c = n - left; [0, c) holds the source (or the fill byte),
/// [c, n + guard) and the guard before dst still hold the canary, and c >= at_least.
struct CaseCheck {
    std::size_t failures = 0;
    std::string first;

    void check(Op op, const unsigned char* dst, const unsigned char* src, std::size_t n, std::size_t left,
               std::size_t at_least, const std::string& where) {
        std::ostringstream why;
        if (left > n) {
            why << "returned " << left << " left of " << n;
        } else {
            const std::size_t c = n - left;
            for (std::size_t i = 0; i < guard && why.str().empty(); ++i) {
                if (dst[-static_cast<std::ptrdiff_t>(guard) + static_cast<std::ptrdiff_t>(i)] != canary) {
                    why << "byte " << static_cast<std::ptrdiff_t>(i) - static_cast<std::ptrdiff_t>(guard)
                        << " before dst modified";
                }
            }
            for (std::size_t i = 0; i < c && why.str().empty(); ++i) {
                const unsigned char want = op == Op::Copy ? src[i] : fill_value;
                if (dst[i] != want) {
                    why << "count " << c << " over-reported: byte " << i << " is " << int{dst[i]};
                }
            }
            for (std::size_t i = c; i < n + guard && why.str().empty(); ++i) {
                if (dst[i] != canary) {
                    why << "count " << c << " but byte " << i << " modified";
                }
            }
            if (why.str().empty() && c < at_least) {
                why << "count " << c << " below " << at_least;
            }
        }
        if (!why.str().empty()) {
            if (failures == 0) {
                first = where + ": " + why.str();
            }
            ++failures;
        }
    }
};

// ---------------------------------------------------------------------------------------
// Deterministic: a resolver revokes a destination page at the moment of a resolvable fault.

class ResolverRevokes : public testing::TestWithParam<Variant> {
protected:
    void SetUp() override {
        if (under_valgrind()) {
            GTEST_SKIP() << "valgrind splits a wide store that straddles a faulting page and writes its part "
                            "below the page, which hardware never does: a page revoked at that fault then "
                            "shows bytes written past the count";
        }
    }
};

// The source has a PROT_NONE page; its first fault is resolved and, at that moment, a
// destination page (already written or not) becomes read-only or inaccessible.
TEST_P(ResolverRevokes, SourceFaultRevokesDestinationPage) {
    const Variant variant = GetParam();
    if (!exact_here(variant)) {
        GTEST_SKIP() << "valgrind's rep-string emulation updates %rcx before the faulting access";
    }
    const std::size_t page = page_size();
    const Pages src_pages(8);
    const Pages dst_pages(5);
    for (std::size_t i = 0; i < src_pages.size(); ++i) {
        src_pages.base()[i] = pattern(i);
    }
    unsigned char* const trigger = src_pages.page(3);
    RevokingResolver resolver;
    const ResolverScope scope(&resolver);
    CaseCheck result;
    std::size_t cases = 0;
    for (const std::size_t n : sweep_sizes(3)) {
        std::vector<std::size_t> before = interesting_offsets(n);  // source bytes before the bad page
        std::erase_if(before, [&](std::size_t s) { return s > 3 * page; });
        // destination starts: misaligned inside page 1, and across the edge of page 2
        std::vector<unsigned char*> dsts;
        for (const std::size_t m : {0, 1, 63}) {
            dsts.push_back(dst_pages.page(1) + m);
        }
        dsts.push_back(dst_pages.page(2) - std::min<std::size_t>(n / 2 + 1, page - guard));
        for (const std::size_t s : before) {
            const unsigned char* src = trigger - s;
            for (unsigned char* dst : dsts) {
                // every destination page: the first, the second and the last
                std::set<unsigned char*> revoke = {page_of(dst), page_of(dst + n - 1)};
                if (n > page) {
                    revoke.insert(page_of(dst) + page);
                }
                for (unsigned char* r : revoke) {
                    const int prot = (cases % 2 == 0) ? PROT_READ : PROT_NONE;
                    std::memset(dst - guard, canary, n + 2 * guard);
                    mprotect(trigger, page, PROT_NONE);
                    resolver.arm(trigger, r, prot);
                    const std::size_t left = variant.copy(dst, src, n);
                    resolver.disarm();
                    src_pages.all_writable();
                    dst_pages.all_writable();
                    // every byte before the revoked page is accessible all along
                    const std::size_t at_least = r > dst ? std::min<std::size_t>(r - dst, n) : 0;
                    std::ostringstream where;
                    where << "n " << n << " src " << s << " before the bad page, dst offset "
                          << (dst - dst_pages.base()) << ", revoked page at " << (r - dst_pages.base())
                          << (prot == PROT_READ ? " (read-only)" : " (none)");
                    result.check(Op::Copy, dst, src, n, left, at_least, where.str());
                    ++cases;
                }
            }
        }
    }
    EXPECT_EQ(result.failures, 0U) << result.failures << " of " << cases << " cases fail; first: " << result.first;
    RecordProperty("cases", static_cast<int>(cases));
}

// The destination page at the edge is read-only once: its first fault is resolved and, at
// that moment, the page below (already written) becomes read-only or inaccessible.
void destination_fault_revokes_lower_page(const Variant& variant, Op op) {
    const std::size_t page = page_size();
    const Pages src_pages(5);
    const Pages dst_pages(7);
    for (std::size_t i = 0; i < src_pages.size(); ++i) {
        src_pages.base()[i] = pattern(i);
    }
    unsigned char* const trigger = dst_pages.page(3);
    RevokingResolver resolver;
    const ResolverScope scope(&resolver);
    CaseCheck result;
    std::size_t cases = 0;
    for (const std::size_t n : sweep_sizes()) {
        for (const std::size_t e : interesting_offsets(n)) {  // destination bytes before the edge
            if (e == 0 || e > 2 * page) {
                continue;
            }
            unsigned char* dst = trigger - e;
            const unsigned char* src = src_pages.page(1) + (e % 64);
            for (const int prot : {PROT_READ, PROT_NONE}) {
                std::memset(dst - guard, canary, n + 2 * guard);
                mprotect(trigger, page, PROT_READ);
                resolver.arm(trigger, trigger - page, prot);
                const std::size_t left =
                    op == Op::Copy ? variant.copy(dst, src, n) : variant.fill(dst, fill_value, n);
                resolver.disarm();
                dst_pages.all_writable();
                std::ostringstream where;
                where << (op == Op::Copy ? "copy" : "fill") << " n " << n << ", " << e
                      << " dst bytes before the faulting page, lower page "
                      << (prot == PROT_READ ? "read-only" : "none");
                result.check(op, dst, src, n, left, 0, where.str());
                ++cases;
            }
        }
    }
    EXPECT_EQ(result.failures, 0U) << result.failures << " of " << cases << " cases fail; first: " << result.first;
}

TEST_P(ResolverRevokes, CopyDestinationFaultRevokesLowerPage) {
    if (!exact_here(GetParam())) {
        GTEST_SKIP() << "valgrind's rep-string emulation updates %rcx before the faulting access";
    }
    destination_fault_revokes_lower_page(GetParam(), Op::Copy);
}

TEST_P(ResolverRevokes, FillDestinationFaultRevokesLowerPage) {
    if (!exact_here(GetParam())) {
        GTEST_SKIP() << "valgrind's rep-string emulation updates %rcx before the faulting access";
    }
    destination_fault_revokes_lower_page(GetParam(), Op::Fill);
}

// ---------------------------------------------------------------------------------------
// Without a race the fault address is never below what was already stored, so an
// unresolvable fault costs exactly one signal, at every size and edge position (x86_64: the
// exact tail stops at the faulting page; elsewhere the byte loop faults a second time).

#if defined(__x86_64__)
class OneSignal : public testing::TestWithParam<Variant> {};

TEST_P(OneSignal, PerUnresolvableFault) {
    const Variant variant = GetParam();
    const EdgeRegion src_edge(BadPage::None, 3);
    const EdgeRegion dst_edge(BadPage::ReadOnly, 3);
    const Pages plain(4);
    for (std::size_t i = 0; i < 3 * page_size(); ++i) {
        src_edge.good()[i] = pattern(i);
        plain.base()[i] = pattern(i + 5);
    }
    std::size_t failures = 0;
    std::string first;
    auto expect_one = [&](std::uint64_t before, std::size_t left, std::size_t n, std::size_t e, const char* what) {
        const std::uint64_t signals = recovered_fault_count() - before;
        if (signals != 1 || (exact_here(variant) && left != n - e)) {
            if (failures++ == 0) {
                first = std::string(what) + " n " + std::to_string(n) + " edge after " + std::to_string(e) +
                        ": " + std::to_string(signals) + " signals, " + std::to_string(left) + " left";
            }
        }
    };
    for (const std::size_t n : sweep_sizes()) {
        for (const std::size_t e : interesting_offsets(n)) {  // bytes before the edge
            if (e > 2 * page_size()) {
                continue;
            }
            std::uint64_t before = recovered_fault_count();
            std::size_t left = variant.copy(plain.page(1), src_edge.edge() - e, n);
            expect_one(before, left, n, e, "copy, source");
            before = recovered_fault_count();
            left = variant.copy(dst_edge.edge() - e, plain.base() + (e % 64), n);
            expect_one(before, left, n, e, "copy, destination");
            before = recovered_fault_count();
            left = variant.fill(dst_edge.edge() - e, fill_value, n);
            expect_one(before, left, n, e, "fill");
        }
    }
    EXPECT_EQ(failures, 0U) << "first: " << first;
}
INSTANTIATE_TEST_SUITE_P(AllVariants, OneSignal, testing::ValuesIn(all_variants()),
                         [](const testing::TestParamInfo<Variant>& info) { return std::string(info.param.name); });
#endif

// ---------------------------------------------------------------------------------------
// x86_64: single-step the routine and revoke a destination page after its k-th instruction.

#if defined(__x86_64__)

// size_t vmio_test_single_step(fn, a, b, c): calls fn(a, b, c) with EFLAGS.TF set, so that
// every instruction from the call to the popf after it raises SIGTRAP.
asm(R"(
    .text
    .p2align 4
    .type vmio_test_single_step, @function
vmio_test_single_step:
    .cfi_startproc
    push    %rbx
    .cfi_adjust_cfa_offset 8
    mov     %rdi, %rax
    mov     %rsi, %rdi
    mov     %rdx, %rsi
    mov     %rcx, %rdx
    pushfq
    orq     $0x100, (%rsp)
    popfq
    call    *%rax
    pushfq
    andq    $-0x101, (%rsp)
    popfq
    pop     %rbx
    .cfi_adjust_cfa_offset -8
    ret
    .cfi_endproc
    .size vmio_test_single_step, . - vmio_test_single_step
)");
extern "C" std::size_t vmio_test_single_step(const void* fn, std::uintptr_t a, std::uintptr_t b, std::uintptr_t c);

struct StepState {
    volatile std::uint64_t steps;
    std::uint64_t revoke_at;
    unsigned char* page;
    int prot;
};
StepState step_state;

void on_trap(int, siginfo_t*, void*) {
    const std::uint64_t step = step_state.steps + 1;
    step_state.steps = step;
    if (step == step_state.revoke_at) {
        mprotect(step_state.page, page_size(), step_state.prot);
    }
}

class TrapHandlerScope {
public:
    TrapHandlerScope() {
        struct sigaction sa{};
        sa.sa_sigaction = on_trap;
        sa.sa_flags = SA_SIGINFO;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGTRAP, &sa, &previous_);
    }
    ~TrapHandlerScope() { sigaction(SIGTRAP, &previous_, nullptr); }
    TrapHandlerScope(const TrapHandlerScope&) = delete;
    TrapHandlerScope& operator=(const TrapHandlerScope&) = delete;

private:
    struct sigaction previous_{};
};

class SingleStep : public testing::TestWithParam<Variant> {};

void single_step_sweep(const Variant& variant, Op op) {
    if (under_valgrind()) {
        GTEST_SKIP() << "valgrind does not single-step guest code with EFLAGS.TF";
    }
    const Pages src_pages(3);
    const Pages dst_pages(4);
    for (std::size_t i = 0; i < src_pages.size(); ++i) {
        src_pages.base()[i] = pattern(i);
    }
    const TrapHandlerScope trap;
    // A string instruction traps once per byte: keep its sizes small.
    const bool per_byte = std::string(variant.name) == "rep_movsb";
    std::vector<std::size_t> sizes;
    for (std::size_t n = 1; n <= 40; ++n) {
        sizes.push_back(n);
    }
    for (const std::size_t n : {47, 48, 63, 64, 65, 96, 100, 127, 128, 129, 160, 200, 255, 256, 257, 300, 320, 383,
                                384, 385, 511, 600, 705, 740, 768, 769}) {
        if (!per_byte || n <= 64) {
            sizes.push_back(n);
        }
    }
    CaseCheck result;
    std::size_t cases = 0;
    for (const std::size_t n : sizes) {
        struct Placement {
            unsigned char* dst;
            unsigned char* revoke;
        };
        const std::size_t e = std::min<std::size_t>(n / 2, 40);  // bytes before the edge when straddling
        std::vector<Placement> placements = {
            {dst_pages.page(1) + 1, dst_pages.page(1)},
            {dst_pages.page(1) + 64, dst_pages.page(1)},
        };
        if (e > 0) {
            placements.push_back({dst_pages.page(2) - e, dst_pages.page(1)});
            placements.push_back({dst_pages.page(2) - e, dst_pages.page(2)});
        }
        const unsigned char* src = src_pages.page(1) + 3;
        for (const Placement& p : placements) {
            for (std::uint64_t k = 1;; ++k) {
                std::memset(p.dst - guard, canary, n + 2 * guard);
                step_state.steps = 0;
                step_state.revoke_at = k;
                step_state.page = p.revoke;
                step_state.prot = (k % 2 == 0) ? PROT_READ : PROT_NONE;
                const std::size_t left =
                    op == Op::Copy
                        ? vmio_test_single_step(reinterpret_cast<const void*>(variant.copy),
                                                reinterpret_cast<std::uintptr_t>(p.dst),
                                                reinterpret_cast<std::uintptr_t>(src), n)
                        : vmio_test_single_step(reinterpret_cast<const void*>(variant.fill),
                                                reinterpret_cast<std::uintptr_t>(p.dst), fill_value, n);
                const std::uint64_t steps = step_state.steps;
                dst_pages.all_writable();
                std::ostringstream where;
                where << (op == Op::Copy ? "copy" : "fill") << " n " << n << " dst offset "
                      << (p.dst - dst_pages.base()) << ", page at " << (p.revoke - dst_pages.base())
                      << " revoked after instruction " << k;
                result.check(op, p.dst, src, n, left, 0, where.str());
                ++cases;
                if (steps < k) {
                    break;  // the routine returned before instruction k
                }
            }
        }
    }
    EXPECT_EQ(result.failures, 0U) << result.failures << " of " << cases << " cases fail; first: " << result.first;
}

TEST_P(SingleStep, CopyWithDestinationPageRevokedAfterEveryInstruction) { single_step_sweep(GetParam(), Op::Copy); }

TEST_P(SingleStep, FillWithDestinationPageRevokedAfterEveryInstruction) { single_step_sweep(GetParam(), Op::Fill); }

INSTANTIATE_TEST_SUITE_P(AllVariants, SingleStep, testing::ValuesIn(all_variants()),
                         [](const testing::TestParamInfo<Variant>& info) { return std::string(info.param.name); });

#endif

// ---------------------------------------------------------------------------------------
// Bounded stress: another thread toggles a destination page while copies and fills run.

class Stress : public testing::TestWithParam<Variant> {};

TEST_P(Stress, ThreadTogglesDestinationPage) {
    const Variant variant = GetParam();
    if (!exact_here(variant)) {
        GTEST_SKIP() << "valgrind's rep-string emulation updates %rcx before the faulting access";
    }
    const char* ms_env = std::getenv("VMIO_STRESS_MS");
    const auto budget = std::chrono::milliseconds(ms_env != nullptr ? std::atoi(ms_env) : 1000) / 5;
    const std::size_t page = page_size();
    const Pages src_pages(3);
    const Pages dst_pages(4);
    for (std::size_t i = 0; i < src_pages.size(); ++i) {
        src_pages.base()[i] = pattern(i);
    }
    // Each copy is one generation: the toggler toggles while `running`, then leaves the
    // page writable and acknowledges the generation.
    std::atomic<std::uint64_t> go{0};
    std::atomic<std::uint64_t> done{0};
    std::atomic<bool> running{false};
    std::atomic<bool> quit{false};
    std::atomic<unsigned char*> target{nullptr};
    std::thread toggler([&] {
        std::uint64_t seen = 0;
        for (;;) {
            while (go.load(std::memory_order_acquire) == seen) {
                if (quit.load(std::memory_order_acquire)) {
                    return;
                }
            }
            seen = go.load(std::memory_order_acquire);
            unsigned char* const p = target.load(std::memory_order_relaxed);
            while (running.load(std::memory_order_acquire)) {
                mprotect(p, page, PROT_READ);
                mprotect(p, page, PROT_READ | PROT_WRITE);
            }
            mprotect(p, page, PROT_READ | PROT_WRITE);
            done.store(seen, std::memory_order_release);
        }
    });
    CaseCheck result;
    std::size_t cases = 0;
    const auto end = std::chrono::steady_clock::now() + budget;
    for (std::size_t i = 0; std::chrono::steady_clock::now() < end; ++i) {
        const std::size_t n = 1 + (i * 37) % 700;
        const Op op = (i % 3 == 2) ? Op::Fill : Op::Copy;
        unsigned char* dst = (i % 2 == 0) ? dst_pages.page(1) + (i % 64) : dst_pages.page(2) - (1 + (i * 7) % n);
        target.store(i % 4 < 2 ? page_of(dst) : page_of(dst + n - 1), std::memory_order_relaxed);
        std::memset(dst - guard, canary, n + 2 * guard);
        running.store(true, std::memory_order_release);
        go.store(i + 1, std::memory_order_release);
        const unsigned char* src = src_pages.page(1) + (i % 16);
        const std::size_t left = op == Op::Copy ? variant.copy(dst, src, n) : variant.fill(dst, fill_value, n);
        running.store(false, std::memory_order_release);
        while (done.load(std::memory_order_acquire) != i + 1) {
        }
        std::ostringstream where;
        where << (op == Op::Copy ? "copy" : "fill") << " n " << n << " dst offset " << (dst - dst_pages.base());
        result.check(op, dst, src, n, left, 0, where.str());
        ++cases;
    }
    quit.store(true, std::memory_order_release);
    toggler.join();
    EXPECT_EQ(result.failures, 0U) << result.failures << " of " << cases << " cases fail; first: " << result.first;
}

std::string variant_name(const testing::TestParamInfo<Variant>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(AllVariants, ResolverRevokes, testing::ValuesIn(all_variants()), variant_name);
INSTANTIATE_TEST_SUITE_P(AllVariants, Stress, testing::ValuesIn(all_variants()), variant_name);

}  // namespace
}  // namespace vmio::test
