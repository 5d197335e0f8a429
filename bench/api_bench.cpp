// The C++ API's entry cost against the raw routine it calls, in one run:
//
//   api/read_val_u64/VmReader<Fallible>     read_val<std::uint64_t>() from a fallible reader
//                                           over a 4 KiB buffer (rewound when exhausted)
//   api/read_val_u64/vmio_memcpy_fallible   the same work with the raw routine: an 8-byte
//                                           fallible copy at a cursor that advances on success
//   api/read_val_u64/memcpy                 the same with glibc memcpy (no fault handling)
// The 64-byte copy through vmio::memcpy_fallible is in copy_bench.cpp
// (copy/vmio::memcpy_fallible/... against copy/vmio_memcpy_fallible/...).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>

#include "vmio/fallible.h"
#include "vmio/reader.hpp"

namespace vmio::bench {
namespace {

alignas(64) std::uint64_t source[512];

void read_val_from_reader(benchmark::State& state) {
    const auto full = VmReader<Fallible>::from_user_space(source, sizeof source);
    auto reader = full;
    for (auto _ : state) {
        if (reader.remain() < sizeof(std::uint64_t)) [[unlikely]] {
            reader = full;
        }
        const Result<std::uint64_t> value = reader.read_val<std::uint64_t>();
        benchmark::DoNotOptimize(value);
    }
}

template <typename CopyEight>
void read_at_cursor(benchmark::State& state, CopyEight copy_eight) {
    const auto* const begin = reinterpret_cast<const unsigned char*>(source);
    const auto* cursor = begin;
    for (auto _ : state) {
        if (cursor + sizeof(std::uint64_t) > begin + sizeof source) [[unlikely]] {
            cursor = begin;
        }
        std::uint64_t value;
        if (copy_eight(&value, cursor)) {
            cursor += sizeof value;
        }
        benchmark::DoNotOptimize(value);
    }
}

[[maybe_unused]] const bool registered = [] {
    benchmark::RegisterBenchmark("api/read_val_u64/VmReader<Fallible>", read_val_from_reader);
    benchmark::RegisterBenchmark("api/read_val_u64/vmio_memcpy_fallible", [](benchmark::State& state) {
        read_at_cursor(state, [](void* d, const void* s) { return vmio_memcpy_fallible(d, s, 8) == 0; });
    });
    benchmark::RegisterBenchmark("api/read_val_u64/memcpy", [](benchmark::State& state) {
        read_at_cursor(state, [](void* d, const void* s) { return std::memcpy(d, s, 8) != nullptr; });
    });
    return true;
}();

}  // namespace
}  // namespace vmio::bench
