// The one place where VmReader / VmWriter move bytes: the routine is chosen by the
// fallibility of both sides, and the safety claims of each side are stated first.
#pragma once

#include "vmio/detail/language.hpp"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "vmio/copy.hpp"
#include "vmio/detail/thread.hpp"
#include "vmio/error.hpp"
#include "vmio/fallibility.hpp"
#include "vmio/safety.hpp"

namespace vmio::detail {

template <Fallibility F>
inline constexpr safety::Kind claim_kind = std::same_as<F, Infallible> ? safety::Kind::ValidUse : safety::Kind::Memo;

template <Fallibility DstF, Fallibility SrcF>
[[gnu::cold, gnu::noinline]] void verify_copy_claims(std::uintptr_t dst, std::uintptr_t src, std::size_t n) noexcept {
    safety::verify(safety::Claim{claim_kind<SrcF>, Access::Read, src, n});
    safety::verify(safety::Claim{claim_kind<DstF>, Access::Write, dst, n});
}

/// The claims of a copy of `n > 0` bytes, the source's then the destination's, with one
/// load of the switch and nothing else on the path when checks are off.
template <Fallibility DstF, Fallibility SrcF>
[[gnu::always_inline]] inline void claim_copy(std::uintptr_t dst, std::uintptr_t src, std::size_t n) noexcept {
    if (safety::checking()) [[unlikely]] {
        verify_copy_claims<DstF, SrcF>(dst, src, n);
    }
}

/// Copies `n` bytes from `src` (memory of kind `SrcF`) to `dst` (kind `DstF`). Returns `n`,
/// or -- possible only if a side is fallible -- `PageFault` with the exact count before it.
template <Fallibility DstF, Fallibility SrcF>
[[nodiscard]] CopyResult copy(std::uintptr_t dst, std::uintptr_t src, std::size_t n) noexcept {
    if (n == 0) {
        return 0;
    }
    claim_copy<DstF, SrcF>(dst, src, n);
    auto* const to = reinterpret_cast<void*>(dst);
    const auto* const from = reinterpret_cast<const void*>(src);
    if constexpr (std::same_as<DstF, Infallible> && std::same_as<SrcF, Infallible>) {
        // Asterinas' volatile_copy_memory allows overlap, hence memmove.
        std::memmove(to, from, n);
        return n;
    } else {
        return copy_result(memcpy_fallible(to, from, n), n);
    }
}

#if defined(__x86_64__)
// The fallible routine for a fixed copy of N bytes of typed data. Up to 16 bytes, the SSE2
// routine (always present on x86_64) moves them through general registers, as the AVX2 one
// does; the AVX-512 one uses a masked store, and a load of the same bytes soon after (the
// reader's value) cannot be forwarded from it and waits for the store to reach the cache.
// All routines are exact, so the results are the same.
template <std::size_t N>
inline constexpr auto* value_copy_routine = N <= 16 ? &vmio_memcpy_fallible_sse2 : &vmio_memcpy_fallible;
#else
template <std::size_t N>
inline constexpr auto* value_copy_routine = &vmio_memcpy_fallible;
#endif

/// Copies the N bytes of one value (`N > 0`) from `src` to `dst`, as `copy` does, and
/// returns whether all of them were copied (a failure can only be `PageFault`).
template <Fallibility DstF, Fallibility SrcF, std::size_t N>
[[nodiscard, gnu::always_inline]] inline bool copy_value(std::uintptr_t dst, std::uintptr_t src) noexcept {
    static_assert(N > 0);
    claim_copy<DstF, SrcF>(dst, src, N);
    auto* const to = reinterpret_cast<void*>(dst);
    const auto* const from = reinterpret_cast<const void*>(src);
    if constexpr (std::same_as<DstF, Infallible> && std::same_as<SrcF, Infallible>) {
        std::memmove(to, from, N);
        return true;
    } else {
        return call_fallible<value_copy_routine<N>>(to, from, N) == 0;
    }
}

/// Sets `n` bytes at `dst` (memory of kind `F`) to zero. Returns `n`, or -- possible only
/// if fallible -- `PageFault` with the exact count before it.
template <Fallibility F>
[[nodiscard]] CopyResult zero(std::uintptr_t dst, std::size_t n) noexcept {
    if (n == 0) {
        return 0;
    }
    safety::claim(claim_kind<F>, Access::Write, dst, n);
    auto* const to = reinterpret_cast<void*>(dst);
    if constexpr (std::same_as<F, Infallible>) {
        std::memset(to, 0, n);
        return n;
    } else {
        return copy_result(memset_fallible(to, 0, n), n);
    }
}

/// The bytes a copy or fill moved, whether or not it completed.
[[nodiscard]] constexpr std::size_t transferred(const CopyResult& result) noexcept {
    return result ? *result : result.error().copied;
}

}  // namespace vmio::detail
