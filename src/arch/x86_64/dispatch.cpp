// The default entry points vmio_memcpy_fallible / vmio_memset_fallible are GNU indirect
// functions: the dynamic loader asks the resolvers below once, at relocation time, which
// implementation this CPU runs best, so a call costs no more than a call to the variant.
// Preference: AVX-512 (AVX512F+BW+VL and BMI2, with the OS saving the opmask and zmm state
// in XCR0), then AVX2, then SSE2. valgrind reports no AVX-512 and emulates AVX2, so it runs
// what real AVX2 hardware runs.
// The resolvers run during relocation, before any sanitizer runtime is initialised, so
// they must not be instrumented. The same tests answer vmio::detail::can_run_avx2_variants()
// and can_run_avx512_variants() (vmio/detail/x86_64_variants.hpp).
#include <cpuid.h>

#include "vmio/detail/x86_64_variants.hpp"
#include "vmio/fallible.h"

namespace {

using CopyFunction = size_t(void*, const void*, size_t);
using FillFunction = size_t(void*, int, size_t);

#define VMIO_RESOLVER __attribute__((no_sanitize("address", "undefined", "thread")))

// libgcc's __builtin_cpu_supports reports AVX2 only where XCR0 says that the OS saves the
// ymm state.
[[gnu::always_inline]] inline bool cpu_has_avx2() {
    __builtin_cpu_init();  // resolvers run before the constructors that would call it
    return __builtin_cpu_supports("avx2");
}

// XCR0 bits 1, 2 (SSE, AVX state), 5, 6, 7 (opmask, upper halves of zmm0-15, zmm16-31):
// the OS saves and restores every register the AVX-512 routines use. libgcc's
// __builtin_cpu_supports checks this too; checking it here keeps the guarantee local.
// __cpuid (not __get_cpuid, which takes addresses of locals: ASan would instrument the
// stack before its runtime exists).
[[gnu::always_inline]] inline VMIO_RESOLVER bool os_saves_zmm_state() {
    unsigned eax, ebx, ecx, edx;
    __cpuid(1, eax, ebx, ecx, edx);  // leaf 1 exists on every x86_64 CPU
    if ((ecx & bit_OSXSAVE) == 0) {
        return false;
    }
    unsigned xcr0_lo = 0, xcr0_hi = 0;
    __asm__("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
    constexpr unsigned zmm_state = (1U << 1) | (1U << 2) | (1U << 5) | (1U << 6) | (1U << 7);
    return (xcr0_lo & zmm_state) == zmm_state;
}

[[gnu::always_inline]] inline VMIO_RESOLVER bool cpu_has_avx512() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("bmi2") && os_saves_zmm_state();
}

extern "C" VMIO_RESOLVER CopyFunction* vmio_resolve_memcpy_fallible() {
    if (cpu_has_avx512()) {
        return vmio_memcpy_fallible_avx512;
    }
    return cpu_has_avx2() ? vmio_memcpy_fallible_avx2 : vmio_memcpy_fallible_sse2;
}

extern "C" VMIO_RESOLVER FillFunction* vmio_resolve_memset_fallible() {
    if (cpu_has_avx512()) {
        return vmio_memset_fallible_avx512;
    }
    return cpu_has_avx2() ? vmio_memset_fallible_avx2 : vmio_memset_fallible_sse2;
}

}  // namespace

bool vmio::detail::can_run_avx2_variants() noexcept { return cpu_has_avx2(); }

bool vmio::detail::can_run_avx512_variants() noexcept { return cpu_has_avx512(); }

extern "C" size_t vmio_memcpy_fallible(void*, const void*, size_t) __attribute__((ifunc("vmio_resolve_memcpy_fallible")));
extern "C" size_t vmio_memset_fallible(void*, int, size_t) __attribute__((ifunc("vmio_resolve_memset_fallible")));
