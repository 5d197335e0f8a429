// Fill throughput: every fallible fill variant against glibc memset. Names:
// fill/<variant>/<aligned|misaligned>/<bytes>. One lambda per variant, as in copy_bench.cpp.
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>

#include "buffers.hpp"
#include "vmio/detail/x86_64_variants.hpp"
#include "vmio/fallible.h"

namespace vmio::bench {
namespace {

void* (*volatile glibc_memset)(void*, int, std::size_t) = std::memset;
std::size_t (*volatile fast_fill)(void*, int, std::size_t) = vmio_memset_fallible;
std::size_t (*volatile sse2_fill)(void*, int, std::size_t) = vmio_memset_fallible_sse2;
std::size_t (*volatile avx2_fill)(void*, int, std::size_t) = vmio_memset_fallible_avx2;
std::size_t (*volatile avx512_fill)(void*, int, std::size_t) = vmio_memset_fallible_avx512;
std::size_t (*volatile stosb_fill)(void*, int, std::size_t) = vmio_memset_fallible_stosb;

constexpr int fill_value = 0x5a;

template <typename Fill>
void register_fill(const std::string& variant, Fill fill) {
    for (const Alignment alignment : {Alignment::Aligned, Alignment::Misaligned}) {
        const std::string name = "fill/" + variant + "/" + name_of(alignment);
        benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State& state) {
            unsigned char* const dst = buffers(alignment).dst;
            const auto n = static_cast<std::size_t>(state.range(0));
            for (auto _ : state) {
                fill(dst, fill_value, n);
                benchmark::ClobberMemory();
            }
            state.SetBytesProcessed(state.iterations() * state.range(0));
        })->Apply(apply_sizes);
    }
}

[[maybe_unused]] const bool registered = [] {
    register_fill("memset", [](void* d, int v, std::size_t n) { glibc_memset(d, v, n); });
    register_fill("vmio_memset_fallible", [](void* d, int v, std::size_t n) { fast_fill(d, v, n); });
    if (detail::can_run_avx2_variants()) {
        register_fill("vmio_memset_fallible_avx2", [](void* d, int v, std::size_t n) { avx2_fill(d, v, n); });
    }
    if (detail::can_run_avx512_variants()) {
        register_fill("vmio_memset_fallible_avx512", [](void* d, int v, std::size_t n) { avx512_fill(d, v, n); });
    }
    register_fill("vmio_memset_fallible_sse2", [](void* d, int v, std::size_t n) { sse2_fill(d, v, n); });
    register_fill("vmio_memset_fallible_stosb", [](void* d, int v, std::size_t n) { stosb_fill(d, v, n); });
    return true;
}();

}  // namespace
}  // namespace vmio::bench
