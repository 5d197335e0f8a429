// Test helper: every implementation of the fallible copy and fill, so that each test of
// exactness runs against all of them.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <ostream>
#include <vector>

#include "vmio/fallible.h"

namespace vmio::test {

struct Variant {
    const char* name;
    std::size_t (*copy)(void* dst, const void* src, std::size_t n);
    std::size_t (*fill)(void* dst, int value, std::size_t n);
    /// The fixup returns %rcx as left by a faulting `rep movsb`/`rep stosb`. Exact on
    /// hardware; valgrind decrements %rcx before the iteration's access, so one too many.
    bool counts_from_rep_rcx;

    friend std::ostream& operator<<(std::ostream& os, const Variant& v) { return os << v.name; }
};

/// Every variant this CPU can run (on x86_64, the AVX2 and AVX-512 ones only where the CPU has them).
inline const std::vector<Variant>& all_variants() {
    static const std::vector<Variant> variants = [] {
#if defined(__x86_64__)
        std::vector<Variant> v = {
            {"fast", vmio_memcpy_fallible, vmio_memset_fallible, false},
            {"sse2", vmio_memcpy_fallible_sse2, vmio_memset_fallible_sse2, false},
            {"rep_movsb", vmio_memcpy_fallible_movsb, vmio_memset_fallible_stosb, true},
        };
        if (__builtin_cpu_supports("avx2")) {
            v.push_back({"avx2", vmio_memcpy_fallible_avx2, vmio_memset_fallible_avx2, false});
        }
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
            __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("bmi2")) {
            v.push_back({"avx512", vmio_memcpy_fallible_avx512, vmio_memset_fallible_avx512, false});
        }
#else
        // Elsewhere the seed-faithful routines are plain byte loops.
        std::vector<Variant> v = {
            {"fast", vmio_memcpy_fallible, vmio_memset_fallible, false},
            {"byte_loop", vmio_memcpy_fallible_movsb, vmio_memset_fallible_stosb, false},
        };
#endif
        return v;
    }();
    return variants;
}

/// Whether the variant's counts can be checked in this run (see counts_from_rep_rcx).
inline bool exact_here(const Variant& v) { return !(v.counts_from_rep_rcx && std::getenv("VMIO_UNDER_VALGRIND")); }

}  // namespace vmio::test
