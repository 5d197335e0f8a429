// The timed loop of the copy and fill benchmarks: one call of the routine per iteration.
//
// Every variant runs this same machine code. When each benchmark had its own loop (a lambda per
// variant), where the compiler happened to place each loop moved a 3 ns call by up to 0.6 ns on
// an Intel Xeon: the dispatched entry point and the variant it dispatches to — the same function
// — differed by 20 % at 3–128 bytes. Here the loop is one function per routine signature,
// aligned to 64 bytes, and `noipa` keeps the compiler from cloning it for a known routine,
// turning the indirect call into a direct one or inlining glibc's memcpy.
#pragma once

#include <benchmark/benchmark.h>

namespace vmio::bench {

template <typename Result, typename... Params, typename... Args>
[[gnu::noipa, gnu::aligned(64)]] void call_loop(benchmark::State& state, Result (*routine)(Params...), Args... args) {
    for (auto _ : state) {
        routine(args...);
        benchmark::ClobberMemory();
    }
}

}  // namespace vmio::bench
