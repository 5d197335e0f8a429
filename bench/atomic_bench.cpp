// Fallible atomics against std::atomic on a cache-hot, aligned cell. Names:
// atomic_<load|cmpxchg>/<u32|u64>/<variant>. The C++ wrappers run with the signal-mask
// check off (no system call) and on (one rt_sigprocmask per operation).
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <string>

#include "mask_check_scope.hpp"
#include "vmio/atomic.hpp"
#include "vmio/fallible.h"

namespace vmio::bench {
namespace {

template <PodAtomic T>
std::string type_name() {
    return sizeof(T) == 4 ? "u32" : "u64";
}

template <PodAtomic T>
int raw_load(const T* p, T* out) {
    if constexpr (sizeof(T) == 4) {
        return vmio_atomic_load_u32_fallible(p, out);
    } else {
        return vmio_atomic_load_u64_fallible(p, out);
    }
}

template <PodAtomic T>
int raw_cmpxchg(T* p, T* expected, T desired) {
    if constexpr (sizeof(T) == 4) {
        return vmio_atomic_cmpxchg_u32_fallible(p, expected, desired);
    } else {
        return vmio_atomic_cmpxchg_u64_fallible(p, expected, desired);
    }
}

template <PodAtomic T>
void std_load(benchmark::State& state) {
    const std::atomic<T> cell{7};
    for (auto _ : state) {
        benchmark::DoNotOptimize(cell.load());
    }
}

template <PodAtomic T>
void raw_load_bench(benchmark::State& state) {
    const T cell{7};
    for (auto _ : state) {
        T value;
        benchmark::DoNotOptimize(raw_load(&cell, &value));
        benchmark::DoNotOptimize(value);
    }
}

template <PodAtomic T>
void cpp_load(benchmark::State& state, SignalMaskCheck mode) {
    const MaskCheckScope mask(mode);
    const T cell{7};
    for (auto _ : state) {
        benchmark::DoNotOptimize(atomic_load_fallible(&cell));
    }
}

// Every compare-exchange succeeds: it swaps between two values.
template <PodAtomic T>
void std_cmpxchg(benchmark::State& state) {
    std::atomic<T> cell{0};
    T expected = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(cell.compare_exchange_strong(expected, expected ^ 1));
        expected ^= 1;
    }
}

template <PodAtomic T>
void raw_cmpxchg_bench(benchmark::State& state) {
    T cell{0};
    T current = 0;
    for (auto _ : state) {
        T expected = current;
        benchmark::DoNotOptimize(raw_cmpxchg(&cell, &expected, static_cast<T>(current ^ 1)));
        current ^= 1;
    }
}

template <PodAtomic T>
void cpp_cmpxchg(benchmark::State& state, SignalMaskCheck mode) {
    const MaskCheckScope mask(mode);
    T cell{0};
    T current = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(atomic_compare_exchange_fallible(&cell, current, static_cast<T>(current ^ 1)));
        current ^= 1;
    }
}

template <PodAtomic T>
void register_atomics() {
    const std::string load = "atomic_load/" + type_name<T>() + "/";
    benchmark::RegisterBenchmark((load + "std::atomic").c_str(), std_load<T>);
    benchmark::RegisterBenchmark((load + "vmio_atomic_load_fallible").c_str(), raw_load_bench<T>);
    benchmark::RegisterBenchmark((load + "vmio::atomic_load_fallible").c_str(), cpp_load<T>,
                                 SignalMaskCheck::Cached);
    benchmark::RegisterBenchmark((load + "vmio::atomic_load_fallible(every_call)").c_str(), cpp_load<T>,
                                 SignalMaskCheck::EveryCall);
    const std::string cas = "atomic_cmpxchg/" + type_name<T>() + "/";
    benchmark::RegisterBenchmark((cas + "std::atomic").c_str(), std_cmpxchg<T>);
    benchmark::RegisterBenchmark((cas + "vmio_atomic_cmpxchg_fallible").c_str(), raw_cmpxchg_bench<T>);
    benchmark::RegisterBenchmark((cas + "vmio::atomic_compare_exchange_fallible").c_str(), cpp_cmpxchg<T>,
                                 SignalMaskCheck::Cached);
    benchmark::RegisterBenchmark((cas + "vmio::atomic_compare_exchange_fallible(every_call)").c_str(),
                                 cpp_cmpxchg<T>, SignalMaskCheck::EveryCall);
}

[[maybe_unused]] const bool registered = [] {
    register_atomics<std::uint32_t>();
    register_atomics<std::uint64_t>();
    return true;
}();

}  // namespace
}  // namespace vmio::bench
