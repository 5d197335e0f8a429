// The C++ API's entry cost against the raw routine it calls, in one run:
//
//   api/read_val_u64/VmReader<Fallible>     read_val<std::uint64_t>() from a fallible reader
//                                           over a 4 KiB buffer (rewound when exhausted)
//   api/read_val_u64/vmio_memcpy_fallible   the same work with the raw routine: an 8-byte
//                                           fallible copy at a cursor that advances on success
//   api/read_val_u64/memcpy                 the same with glibc memcpy (no fault handling)
//   api/write_val_u64/VmWriter<Fallible>    write_val<std::uint64_t>() of a counter to a
//                                           fallible writer over a 4 KiB buffer (rewound)
//   api/write_val_u64/vmio_memcpy_fallible  the same work with the raw routine: an 8-byte
//                                           fallible copy to a cursor that advances on success
//   api/write_val_u64/memcpy                the same with glibc memcpy (no fault handling)
//   api/.../vmio_memcpy_fallible_sse2       (x86_64) the raw routine the cursors call for
//                                           values up to 16 bytes (vmio/detail/transfer.hpp)
// With the AVX-512 default routine an 8-byte copy is a masked store (load), which cannot be
// forwarded to a later load of the value (from the caller's just-stored value): the raw
// write row pays that stall, the raw read row does not read the value back.
// The 64-byte copy through vmio::memcpy_fallible is in copy_bench.cpp
// (copy/vmio::memcpy_fallible/... against copy/vmio_memcpy_fallible/...).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>

#include "vmio/fallible.h"
#include "vmio/reader.hpp"
#include "vmio/writer.hpp"

namespace vmio::bench {
namespace {

alignas(64) std::uint64_t source[512];
alignas(64) std::uint64_t destination[512];

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

void write_val_to_writer(benchmark::State& state) {
    auto writer = VmWriter<Fallible>::from_user_space(destination, sizeof destination);
    std::uint64_t counter = 0;
    for (auto _ : state) {
        if (writer.avail() < sizeof(std::uint64_t)) [[unlikely]] {
            writer = VmWriter<Fallible>::from_user_space(destination, sizeof destination);  // not copyable
        }
        ++counter;
        const Result<void> written = writer.write_val(counter);
        benchmark::DoNotOptimize(written);
    }
}

template <typename CopyEight>
void write_at_cursor(benchmark::State& state, CopyEight copy_eight) {
    auto* const begin = reinterpret_cast<unsigned char*>(destination);
    auto* cursor = begin;
    std::uint64_t counter = 0;
    for (auto _ : state) {
        if (cursor + sizeof(std::uint64_t) > begin + sizeof destination) [[unlikely]] {
            cursor = begin;
        }
        ++counter;
        const bool written = copy_eight(cursor, &counter);
        if (written) {
            cursor += sizeof counter;
        }
        benchmark::DoNotOptimize(written);
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
    benchmark::RegisterBenchmark("api/write_val_u64/VmWriter<Fallible>", write_val_to_writer);
    benchmark::RegisterBenchmark("api/write_val_u64/vmio_memcpy_fallible", [](benchmark::State& state) {
        write_at_cursor(state, [](void* d, const void* s) { return vmio_memcpy_fallible(d, s, 8) == 0; });
    });
    benchmark::RegisterBenchmark("api/write_val_u64/memcpy", [](benchmark::State& state) {
        write_at_cursor(state, [](void* d, const void* s) { return std::memcpy(d, s, 8) != nullptr; });
    });
#if defined(__x86_64__)
    benchmark::RegisterBenchmark("api/read_val_u64/vmio_memcpy_fallible_sse2", [](benchmark::State& state) {
        read_at_cursor(state, [](void* d, const void* s) { return vmio_memcpy_fallible_sse2(d, s, 8) == 0; });
    });
    benchmark::RegisterBenchmark("api/write_val_u64/vmio_memcpy_fallible_sse2", [](benchmark::State& state) {
        write_at_cursor(state, [](void* d, const void* s) { return vmio_memcpy_fallible_sse2(d, s, 8) == 0; });
    });
#endif
    return true;
}();

}  // namespace
}  // namespace vmio::bench
