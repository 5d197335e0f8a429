// x86_64: whether this CPU and operating system can run the instruction-set variants of
// vmio/fallible.h -- the very tests by which the default entry points choose among them
// (src/arch/x86_64/dispatch.cpp), for tests and benchmarks that call the variants directly.
#pragma once

#include "vmio/detail/language.hpp"

#if defined(__x86_64__)

namespace vmio::detail {

/// Whether the `_avx2` variants can run: the CPU has AVX2 and the OS saves the ymm state.
[[nodiscard]] bool can_run_avx2_variants() noexcept;

/// Whether the `_avx512` variants can run: the CPU has AVX512F, AVX512BW, AVX512VL and BMI2,
/// and the OS saves the opmask and zmm state (XCR0).
[[nodiscard]] bool can_run_avx512_variants() noexcept;

}  // namespace vmio::detail

#endif
