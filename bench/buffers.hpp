// Benchmark workload: the sizes every copy/fill benchmark runs at, and one pair of
// populated, page-aligned buffers large enough for the biggest size.
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>

namespace vmio::bench {

/// Powers of two from 1 B to 64 MiB, plus sizes that end in a partial vector or block.
void apply_sizes(benchmark::internal::Benchmark* b);

/// Where the copy/fill pointers sit relative to 64-byte-aligned buffers.
enum class Alignment { Aligned, Misaligned };

const char* name_of(Alignment alignment);

/// Source and destination for one run: 64-byte aligned, or with the source 1 byte and the
/// destination 3 bytes past a 64-byte boundary (so that they are also misaligned relative
/// to each other).
struct Buffers {
    unsigned char* dst;
    const unsigned char* src;
};
Buffers buffers(Alignment alignment);

}  // namespace vmio::bench
