// Copy throughput: every fallible copy variant against glibc memcpy, same sizes, same
// buffers. Names: copy/<variant>/<aligned|misaligned>/<bytes>.
//
// Each routine is timed by the same loop (call_loop.hpp), read from a volatile pointer so that
// the compiler can neither inline nor specialise it. The C++ entry point is the exception: it is
// inlined into its own loop, as in a caller's code.
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>

#include "buffers.hpp"
#include "call_loop.hpp"
#include "mask_check_scope.hpp"
#include "vmio/copy.hpp"
#include "vmio/detail/x86_64_variants.hpp"
#include "vmio/fallible.h"

namespace vmio::bench {
namespace {

void* (*volatile glibc_memcpy)(void*, const void*, std::size_t) = std::memcpy;
std::size_t (*volatile fast_copy)(void*, const void*, std::size_t) = vmio_memcpy_fallible;
std::size_t (*volatile sse2_copy)(void*, const void*, std::size_t) = vmio_memcpy_fallible_sse2;
std::size_t (*volatile avx2_copy)(void*, const void*, std::size_t) = vmio_memcpy_fallible_avx2;
std::size_t (*volatile avx512_copy)(void*, const void*, std::size_t) = vmio_memcpy_fallible_avx512;
std::size_t (*volatile movsb_copy)(void*, const void*, std::size_t) = vmio_memcpy_fallible_movsb;

// Registers copy/<variant>/<alignment>/<size>; `time(state, dst, src, n)` runs the timed loop.
template <typename Time>
void register_copy(const std::string& variant, Time time, SignalMaskCheck mode = SignalMaskCheck::Cached) {
    for (const Alignment alignment : {Alignment::Aligned, Alignment::Misaligned}) {
        const std::string name = "copy/" + variant + "/" + name_of(alignment);
        benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State& state) {
            const MaskCheckScope mask(mode);
            const auto [dst, src] = buffers(alignment);
            const auto n = static_cast<std::size_t>(state.range(0));
            time(state, dst, src, n);
            state.SetBytesProcessed(state.iterations() * state.range(0));
        })->Apply(apply_sizes);
    }
}

// A routine read from its volatile pointer at each benchmark's start, timed by call_loop.
template <typename Routine>
auto timed(Routine* volatile const& routine) {
    return [&routine](benchmark::State& state, void* dst, const void* src, std::size_t n) {
        call_loop(state, routine, dst, src, n);
    };
}

void time_inlined_entry_point(benchmark::State& state, void* dst, const void* src, std::size_t n) {
    for (auto _ : state) {
        benchmark::DoNotOptimize(memcpy_fallible(dst, src, n));
        benchmark::ClobberMemory();
    }
}

[[maybe_unused]] const bool registered = [] {
    register_copy("memcpy", timed(glibc_memcpy));
    register_copy("vmio_memcpy_fallible", timed(fast_copy));
    if (detail::can_run_avx2_variants()) {
        register_copy("vmio_memcpy_fallible_avx2", timed(avx2_copy));
    }
    if (detail::can_run_avx512_variants()) {
        register_copy("vmio_memcpy_fallible_avx512", timed(avx512_copy));
    }
    register_copy("vmio_memcpy_fallible_sse2", timed(sse2_copy));
    register_copy("vmio_memcpy_fallible_movsb", timed(movsb_copy));
    // The C++ entry point inlined, as callers use it: its entry check around the default routine.
    register_copy("vmio::memcpy_fallible", time_inlined_entry_point);
    register_copy("vmio::memcpy_fallible(every_call)", time_inlined_entry_point, SignalMaskCheck::EveryCall);
    return true;
}();

}  // namespace
}  // namespace vmio::bench
