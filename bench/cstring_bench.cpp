// VmReader::read_cstring against strnlen + memcpy on valid, cache-hot memory. Names:
// read_cstring/<variant>/<length>, a string of <length> bytes and its NUL at the start of a
// page, read with max_len 4096 (PATH_MAX):
//
//   VmReader<Fallible>    a fallible reader (user space): 128-byte chunks through the fallible
//                         copy, memchr on each
//   VmReader<Infallible>  the same chunks through memmove (no fault handling)
//   strnlen+memcpy        strnlen over the string, then a std::string of that many bytes (one
//                         memcpy)
//
// Every row returns a std::string: up to 15 bytes it lives in the string object, longer ones
// allocate (the fallible and infallible readers grow theirs chunk by chunk).
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstring>
#include <string>

#include "vmio/reader.hpp"

namespace vmio::bench {
namespace {

constexpr std::size_t max_len = 4096;

alignas(4096) char text[max_len];

/// Puts a string of `length` bytes and its NUL at the start of `text`.
void place_string(std::size_t length) {
    std::memset(text, 'a', length);
    text[length] = '\0';
}

void fallible_reader(benchmark::State& state) {
    const auto length = static_cast<std::size_t>(state.range(0));
    place_string(length);
    for (auto _ : state) {
        auto reader = VmReader<Fallible>::from_user_space(text, sizeof text);
        benchmark::DoNotOptimize(reader.read_cstring(max_len));
    }
}

void infallible_reader(benchmark::State& state) {
    const auto length = static_cast<std::size_t>(state.range(0));
    place_string(length);
    for (auto _ : state) {
        auto reader = VmReader<Infallible>::from_kernel_space(text, sizeof text);
        benchmark::DoNotOptimize(reader.read_cstring(max_len));
    }
}

void strnlen_memcpy(benchmark::State& state) {
    const auto length = static_cast<std::size_t>(state.range(0));
    place_string(length);
    for (auto _ : state) {
        benchmark::DoNotOptimize(text);
        const std::size_t found = strnlen(text, max_len);
        benchmark::DoNotOptimize(std::string(text, found));
    }
}

void lengths(benchmark::internal::Benchmark* b) {
    for (const long length : {0L, 8L, 15L, 16L, 64L, 127L, 255L, 1000L, 4095L}) {
        b->Arg(length);
    }
}

BENCHMARK(fallible_reader)->Name("read_cstring/VmReader<Fallible>")->Apply(lengths);
BENCHMARK(infallible_reader)->Name("read_cstring/VmReader<Infallible>")->Apply(lengths);
BENCHMARK(strnlen_memcpy)->Name("read_cstring/strnlen+memcpy")->Apply(lengths);

}  // namespace
}  // namespace vmio::bench
