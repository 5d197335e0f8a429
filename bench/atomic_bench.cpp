// Fallible atomics against std::atomic on a cache-hot, aligned cell. Names:
// atomic_<load|store|exchange|fetch_add|cmpxchg|fetch_update>/<u32|u64>/<variant>:
//
//   std::atomic                     the std::atomic operation, sequentially consistent (the
//                                   order every fallible routine has); fetch_update is a
//                                   load and a compare_exchange_weak loop
//   vmio_atomic_<op>_fallible       the raw routine of the C ABI (none for fetch_update)
//   vmio::atomic_<op>_fallible      the C++ wrapper, signal-mask check off (no system call)
//   vmio::atomic_<op>_fallible(every_call)  the same, one rt_sigprocmask per operation
//
// Every compare-exchange succeeds: it swaps between two values. Stores, exchanges and
// fetch-adds write a counter; fetch_update adds one.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <string>

#include "mask_check_scope.hpp"
#include "vmio/atomic.hpp"
#include "vmio/fallible.h"

namespace vmio::bench {
namespace {

using detail::raw_cmpxchg;
using detail::raw_exchange;
using detail::raw_fetch_add;
using detail::raw_load;
using detail::raw_store;

template <PodAtomic T>
std::string type_name() {
    return sizeof(T) == 4 ? "u32" : "u64";
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

template <PodAtomic T>
void std_store(benchmark::State& state) {
    std::atomic<T> cell{0};
    T counter = 0;
    for (auto _ : state) {
        cell.store(++counter);
    }
    benchmark::DoNotOptimize(cell.load());
}

template <PodAtomic T>
void raw_store_bench(benchmark::State& state) {
    T cell{0};
    T counter = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(raw_store(&cell, ++counter));
    }
}

template <PodAtomic T>
void cpp_store(benchmark::State& state, SignalMaskCheck mode) {
    const MaskCheckScope mask(mode);
    T cell{0};
    T counter = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(atomic_store_fallible(&cell, ++counter));
    }
}

template <PodAtomic T>
void std_exchange(benchmark::State& state) {
    std::atomic<T> cell{0};
    T counter = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(cell.exchange(++counter));
    }
}

template <PodAtomic T>
void raw_exchange_bench(benchmark::State& state) {
    T cell{0};
    T counter = 0;
    for (auto _ : state) {
        T previous;
        benchmark::DoNotOptimize(raw_exchange(&cell, ++counter, &previous));
        benchmark::DoNotOptimize(previous);
    }
}

template <PodAtomic T>
void cpp_exchange(benchmark::State& state, SignalMaskCheck mode) {
    const MaskCheckScope mask(mode);
    T cell{0};
    T counter = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(atomic_exchange_fallible(&cell, ++counter));
    }
}

template <PodAtomic T>
void std_fetch_add(benchmark::State& state) {
    std::atomic<T> cell{0};
    T counter = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(cell.fetch_add(++counter));
    }
}

template <PodAtomic T>
void raw_fetch_add_bench(benchmark::State& state) {
    T cell{0};
    T counter = 0;
    for (auto _ : state) {
        T previous;
        benchmark::DoNotOptimize(raw_fetch_add(&cell, ++counter, &previous));
        benchmark::DoNotOptimize(previous);
    }
}

template <PodAtomic T>
void cpp_fetch_add(benchmark::State& state, SignalMaskCheck mode) {
    const MaskCheckScope mask(mode);
    T cell{0};
    T counter = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(atomic_fetch_add_fallible(&cell, ++counter));
    }
}

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
T plus_one(T value) {
    return static_cast<T>(value + 1);
}

template <PodAtomic T>
void std_fetch_update(benchmark::State& state) {
    std::atomic<T> cell{0};
    for (auto _ : state) {
        T old = cell.load();
        while (!cell.compare_exchange_weak(old, plus_one(old))) {
        }
        benchmark::DoNotOptimize(old);
    }
}

template <PodAtomic T>
void cpp_fetch_update(benchmark::State& state, SignalMaskCheck mode) {
    const MaskCheckScope mask(mode);
    T cell{0};
    for (auto _ : state) {
        benchmark::DoNotOptimize(atomic_fetch_update_fallible(&cell, plus_one<T>));
    }
}

/// Registers the rows of one operation; `raw` is null where the C ABI has no routine.
template <PodAtomic T>
void register_operation(const std::string& operation, const std::string& routine, void (*std_bench)(benchmark::State&),
                        void (*raw)(benchmark::State&), void (*cpp)(benchmark::State&, SignalMaskCheck)) {
    const std::string prefix = "atomic_" + operation + "/" + type_name<T>() + "/";
    benchmark::RegisterBenchmark((prefix + "std::atomic").c_str(), std_bench);
    if (raw != nullptr) {
        benchmark::RegisterBenchmark((prefix + "vmio_atomic_" + operation + "_fallible").c_str(), raw);
    }
    benchmark::RegisterBenchmark((prefix + "vmio::" + routine).c_str(), cpp, SignalMaskCheck::Cached);
    benchmark::RegisterBenchmark((prefix + "vmio::" + routine + "(every_call)").c_str(), cpp,
                                 SignalMaskCheck::EveryCall);
}

template <PodAtomic T>
void register_atomics() {
    register_operation<T>("load", "atomic_load_fallible", std_load<T>, raw_load_bench<T>, cpp_load<T>);
    register_operation<T>("store", "atomic_store_fallible", std_store<T>, raw_store_bench<T>, cpp_store<T>);
    register_operation<T>("exchange", "atomic_exchange_fallible", std_exchange<T>, raw_exchange_bench<T>,
                          cpp_exchange<T>);
    register_operation<T>("fetch_add", "atomic_fetch_add_fallible", std_fetch_add<T>, raw_fetch_add_bench<T>,
                          cpp_fetch_add<T>);
    register_operation<T>("cmpxchg", "atomic_compare_exchange_fallible", std_cmpxchg<T>, raw_cmpxchg_bench<T>,
                          cpp_cmpxchg<T>);
    register_operation<T>("fetch_update", "atomic_fetch_update_fallible", std_fetch_update<T>, nullptr,
                          cpp_fetch_update<T>);
}

[[maybe_unused]] const bool registered = [] {
    register_atomics<std::uint32_t>();
    register_atomics<std::uint64_t>();
    return true;
}();

}  // namespace
}  // namespace vmio::bench
