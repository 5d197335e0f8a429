#include "buffers.hpp"

#include <sys/mman.h>

#include <cstring>
#include <new>

namespace vmio::bench {
namespace {

constexpr std::size_t max_size = std::size_t{64} << 20;
constexpr std::size_t slack = 4096;  // room for the misalignment offsets

unsigned char* populated_mapping(std::size_t size, unsigned char value) {
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        throw std::bad_alloc();
    }
    std::memset(p, value, size);  // fault every page in before any timing
    return static_cast<unsigned char*>(p);
}

}  // namespace

void apply_sizes(benchmark::internal::Benchmark* b) {
    for (std::size_t size = 1; size <= max_size; size *= 2) {
        b->Arg(static_cast<std::int64_t>(size));
    }
    for (const std::int64_t odd : {3, 7, 13, 100, 1000, 4097}) {
        b->Arg(odd);
    }
}

const char* name_of(Alignment alignment) { return alignment == Alignment::Aligned ? "aligned" : "misaligned"; }

Buffers buffers(Alignment alignment) {
    static unsigned char* const dst = populated_mapping(max_size + slack, 0x11);
    static unsigned char* const src = populated_mapping(max_size + slack, 0x22);
    if (alignment == Alignment::Aligned) {
        return {dst, src};
    }
    return {dst + 3, src + 1};
}

}  // namespace vmio::bench
