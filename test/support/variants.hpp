// Test helper: every implementation of the fallible copy and fill, so that each test of
// exactness runs against all of them.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <ostream>
#include <vector>

#include "vmio/detail/x86_64_variants.hpp"
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

/// Every variant this CPU can run (on x86_64, the AVX2 and AVX-512 ones only where the CPU and
/// the OS support them).
inline const std::vector<Variant>& all_variants() {
    static const std::vector<Variant> variants = [] {
#if defined(__x86_64__)
        std::vector<Variant> v = {
            {"fast", vmio_memcpy_fallible, vmio_memset_fallible, false},
            {"sse2", vmio_memcpy_fallible_sse2, vmio_memset_fallible_sse2, false},
            {"rep_movsb", vmio_memcpy_fallible_movsb, vmio_memset_fallible_stosb, true},
        };
        if (detail::can_run_avx2_variants()) {
            v.push_back({"avx2", vmio_memcpy_fallible_avx2, vmio_memset_fallible_avx2, false});
        }
        if (detail::can_run_avx512_variants()) {
            v.push_back({"avx512", vmio_memcpy_fallible_avx512, vmio_memset_fallible_avx512, false});
        }
#else
        // Elsewhere the simple routines are plain byte loops.
        std::vector<Variant> v = {
            {"fast", vmio_memcpy_fallible, vmio_memset_fallible, false},
            {"byte_loop", vmio_memcpy_fallible_bytes, vmio_memset_fallible_bytes, false},
        };
#endif
        return v;
    }();
    return variants;
}

/// Whether the variant's counts can be checked in this run (see counts_from_rep_rcx).
inline bool exact_here(const Variant& v) { return !(v.counts_from_rep_rcx && std::getenv("VMIO_UNDER_VALGRIND")); }

}  // namespace vmio::test
