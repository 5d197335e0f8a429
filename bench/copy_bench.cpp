// Copy throughput: every fallible copy variant against glibc memcpy, same sizes, same
// buffers. Names: copy/<variant>/<aligned|misaligned>/<bytes>.
//
// Each variant is one lambda `(void* dst, const void* src, std::size_t n)` handed to
// register_copy(); the harness around it is shared. Functions are called through volatile
// pointers so that the compiler can neither inline nor specialise any of them, except the C++
// entry point, which is inlined as in a caller's code.
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>

#include "buffers.hpp"
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

template <typename Copy>
void register_copy(const std::string& variant, Copy copy, SignalMaskCheck mode = SignalMaskCheck::Cached) {
    for (const Alignment alignment : {Alignment::Aligned, Alignment::Misaligned}) {
        const std::string name = "copy/" + variant + "/" + name_of(alignment);
        benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State& state) {
            const MaskCheckScope mask(mode);
            const auto [dst, src] = buffers(alignment);
            const auto n = static_cast<std::size_t>(state.range(0));
            for (auto _ : state) {
                copy(dst, src, n);
                benchmark::ClobberMemory();
            }
            state.SetBytesProcessed(state.iterations() * state.range(0));
        })->Apply(apply_sizes);
    }
}

[[maybe_unused]] const bool registered = [] {
    register_copy("memcpy", [](void* d, const void* s, std::size_t n) { glibc_memcpy(d, s, n); });
    register_copy("vmio_memcpy_fallible", [](void* d, const void* s, std::size_t n) { fast_copy(d, s, n); });
    if (detail::can_run_avx2_variants()) {
        register_copy("vmio_memcpy_fallible_avx2", [](void* d, const void* s, std::size_t n) { avx2_copy(d, s, n); });
    }
    if (detail::can_run_avx512_variants()) {
        register_copy("vmio_memcpy_fallible_avx512", [](void* d, const void* s, std::size_t n) { avx512_copy(d, s, n); });
    }
    register_copy("vmio_memcpy_fallible_sse2", [](void* d, const void* s, std::size_t n) { sse2_copy(d, s, n); });
    register_copy("vmio_memcpy_fallible_movsb", [](void* d, const void* s, std::size_t n) { movsb_copy(d, s, n); });
    // The C++ entry point inlined, as callers use it: its entry check around the default routine.
    register_copy("vmio::memcpy_fallible", [](void* d, const void* s, std::size_t n) {
        benchmark::DoNotOptimize(memcpy_fallible(d, s, n));
    });
    register_copy("vmio::memcpy_fallible(every_call)", [](void* d, const void* s, std::size_t n) {
        benchmark::DoNotOptimize(memcpy_fallible(d, s, n));
    }, SignalMaskCheck::EveryCall);
    return true;
}();

}  // namespace
}  // namespace vmio::bench
