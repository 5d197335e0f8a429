// The two ways the simulator can run a fallible copy or fill, which must agree byte for byte:
// vmio's assembly routines recovered through the exception table, and a plain C++ byte loop
// recovered by the fault handler long-jumping back to a sigsetjmp(env, 0) point.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vmio::sim {

enum class Engine {
    ExceptionTable,  ///< vmio::memcpy_fallible / memset_fallible
    Sigsetjmp,       ///< byte loop + sigsetjmp; needs a live Machine, whose fault handler jumps back
};

/// Copies `n` bytes (ranges must not overlap); returns the exact count copied.
[[nodiscard]] std::size_t copy_bytes(Engine engine, void* dst, const void* src, std::size_t n) noexcept;
/// Sets `n` bytes to `value`; returns the exact count set.
[[nodiscard]] std::size_t fill_bytes(Engine engine, void* dst, std::uint8_t value, std::size_t n) noexcept;

}  // namespace vmio::sim
