// Test helper: every implementation of the fallible copy and fill, so that each test of
// exactness runs against all of them.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <ostream>

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

#if defined(__x86_64__)
inline constexpr Variant seed_variant{"rep_movsb", vmio_memcpy_fallible_movsb, vmio_memset_fallible_stosb, true};
#else
// Elsewhere the seed-faithful routines are plain byte loops.
inline constexpr Variant seed_variant{"byte_loop", vmio_memcpy_fallible_movsb, vmio_memset_fallible_stosb, false};
#endif

inline constexpr Variant all_variants[] = {
    {"fast", vmio_memcpy_fallible, vmio_memset_fallible, false},
    seed_variant,
};

/// Whether the variant's counts can be checked in this run (see counts_from_rep_rcx).
inline bool exact_here(const Variant& v) { return !(v.counts_from_rep_rcx && std::getenv("VMIO_UNDER_VALGRIND")); }

}  // namespace vmio::test
