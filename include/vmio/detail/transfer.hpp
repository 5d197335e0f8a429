// The one place where VmReader / VmWriter move bytes: the routine is chosen by the
// fallibility of both sides, and the safety claims of each side are stated first.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "vmio/copy.hpp"
#include "vmio/error.hpp"
#include "vmio/fallibility.hpp"
#include "vmio/safety.hpp"

namespace vmio::detail {

template <Fallibility F>
inline constexpr safety::Kind claim_kind = std::same_as<F, Infallible> ? safety::Kind::ValidUse : safety::Kind::Memo;

/// Copies `n` bytes from `src` (memory of kind `SrcF`) to `dst` (kind `DstF`). Returns `n`,
/// or -- possible only if a side is fallible -- `PageFault` with the exact count before it.
template <Fallibility DstF, Fallibility SrcF>
[[nodiscard]] CopyResult copy(std::uintptr_t dst, std::uintptr_t src, std::size_t n) noexcept {
    if (n == 0) {
        return 0;
    }
    safety::claim(claim_kind<SrcF>, safety::Access::Read, src, n);
    safety::claim(claim_kind<DstF>, safety::Access::Write, dst, n);
    auto* const to = reinterpret_cast<void*>(dst);
    const auto* const from = reinterpret_cast<const void*>(src);
    if constexpr (std::same_as<DstF, Infallible> && std::same_as<SrcF, Infallible>) {
        // The seed's volatile_copy_memory allows overlap, hence memmove.
        std::memmove(to, from, n);
        return n;
    } else {
        return copy_result(memcpy_fallible(to, from, n), n);
    }
}

/// Sets `n` bytes at `dst` (memory of kind `F`) to zero. Returns `n`, or -- possible only
/// if fallible -- `PageFault` with the exact count before it.
template <Fallibility F>
[[nodiscard]] CopyResult zero(std::uintptr_t dst, std::size_t n) noexcept {
    if (n == 0) {
        return 0;
    }
    safety::claim(claim_kind<F>, safety::Access::Write, dst, n);
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
