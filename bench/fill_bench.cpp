// Fill throughput: every fallible fill variant against glibc memset. Names:
// fill/<variant>/<aligned|misaligned>/<bytes>. Every routine is timed by the same loop
// (call_loop.hpp), read from a volatile pointer as in copy_bench.cpp.
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>

#include "buffers.hpp"
#include "call_loop.hpp"
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

template <typename Routine>
void register_fill(const std::string& variant, Routine* volatile const& routine) {
    for (const Alignment alignment : {Alignment::Aligned, Alignment::Misaligned}) {
        const std::string name = "fill/" + variant + "/" + name_of(alignment);
        benchmark::RegisterBenchmark(name.c_str(), [=, &routine](benchmark::State& state) {
            void* const dst = buffers(alignment).dst;
            const auto n = static_cast<std::size_t>(state.range(0));
            call_loop(state, routine, dst, fill_value, n);
            state.SetBytesProcessed(state.iterations() * state.range(0));
        })->Apply(apply_sizes);
    }
}

[[maybe_unused]] const bool registered = [] {
    register_fill("memset", glibc_memset);
    register_fill("vmio_memset_fallible", fast_fill);
    if (detail::can_run_avx2_variants()) {
        register_fill("vmio_memset_fallible_avx2", avx2_fill);
    }
    if (detail::can_run_avx512_variants()) {
        register_fill("vmio_memset_fallible_avx512", avx512_fill);
    }
    register_fill("vmio_memset_fallible_sse2", sse2_fill);
    register_fill("vmio_memset_fallible_stosb", stosb_fill);
    return true;
}();

}  // namespace
}  // namespace vmio::bench
