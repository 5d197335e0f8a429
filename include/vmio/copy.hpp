// Fallible copy and fill for C++ callers: the raw routines of vmio/fallible.h plus the
// per-thread preparation and signal-mask policy of vmio/signal_mask.hpp.
#pragma once

#include "vmio/detail/language.hpp"

#include <cstddef>
#include <cstdint>

#include "vmio/detail/thread.hpp"
#include "vmio/fallible.h"

namespace vmio {

/// Copies `n` bytes from `src` to `dst`, stopping at the first byte that cannot be read or
/// written. Returns the number of bytes copied -- unlike the C `vmio_memcpy_fallible`, which
/// returns the number NOT copied: `n`, or exactly the count before the first inaccessible
/// byte (then `last_fault()` tells where and why). Destination bytes past that count are
/// untouched. Overlapping ranges give unspecified (but memory-safe) contents.
[[nodiscard]] inline std::size_t memcpy_fallible(void* dst, const void* src, std::size_t n) noexcept {
    return n - detail::call_fallible<vmio_memcpy_fallible>(dst, src, n);
}

/// Sets `n` bytes at `dst` to `value`, stopping at the first byte that cannot be written.
/// Returns the number of bytes set (the C `vmio_memset_fallible` returns the number NOT
/// set), exact as for memcpy_fallible().
[[nodiscard]] inline std::size_t memset_fallible(void* dst, std::uint8_t value, std::size_t n) noexcept {
    return n - detail::call_fallible<vmio_memset_fallible>(dst, int{value}, n);
}

}  // namespace vmio
