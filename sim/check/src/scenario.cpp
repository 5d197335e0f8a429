#include "vmio/check/scenario.hpp"

#include <array>
#include <cstring>

#include "vmio/check/split_mix.hpp"
#include "vmio/sim/layout.hpp"

namespace vmio::check {
namespace {

// One xorshift64 step.
constexpr std::uint64_t xorshift(std::uint64_t x) noexcept {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
}

// One 4 KiB chunk of content, from its own key: xorshift64 words with every byte made non-zero,
// written as four interleaved runs (the chains of shifts of one run take turns with the
// others'), then NULs planted at random gaps averaging `mean_nul_gap` bytes (0: none). (The
// generators' states are locals, not captured by reference: stores of std::byte may alias
// anything they could be reloaded from.)
void fill_chunk(std::span<std::byte, sim::page_size> out, std::uint64_t key, std::size_t mean_nul_gap) {
    constexpr std::size_t runs = 4;
    constexpr std::size_t words_per_run = sim::page_size / 8 / runs;
    SplitMix64 draws(key);
    std::array<std::uint64_t, runs> state{};
    for (std::uint64_t& x : state) {
        x = draws() | 1;  // xorshift64 never leaves 0
    }
    std::byte* const at = out.data();
    for (std::size_t i = 0; i < words_per_run; ++i) {
        for (std::size_t r = 0; r < runs; ++r) {
            state[r] = xorshift(state[r]);
            const std::uint64_t word = state[r] | 0x0101010101010101ULL;
            std::memcpy(at + (r * words_per_run + i) * 8, &word, 8);
        }
    }
    if (mean_nul_gap != 0) {
        const std::size_t mask = 2 * mean_nul_gap - 1;  // x % (2 * gap): the gaps are powers of two
        std::size_t i = draws() & mask;  // the first NUL: any offset, the chunk's first byte too
        for (std::uint64_t x = draws() | 1; i < out.size();) {
            at[i] = std::byte{0};
            x = xorshift(x);
            i += 1 + (x & mask);
        }
    }
}

// `len` bytes made 4 KiB at a time (the last chunk cut short), each chunk from its own key, so
// that a chunk `keep` turns down is zeros and costs nothing. NULs: one byte in about 16, 128
// or 1024, or none, by the seed.
template <typename Keep>
std::vector<std::byte> content(std::size_t len, std::uint64_t seed, Keep keep) {
    constexpr std::array<std::size_t, 4> mean_nul_gaps = {0, 16, 128, 1024};
    const std::size_t chunks = (len + sim::page_size - 1) / sim::page_size;
    std::vector<std::byte> bytes(chunks * sim::page_size);
    SplitMix64 keys(seed);
    for (std::size_t c = 0; c < chunks; ++c) {
        const std::uint64_t key = keys();
        if (keep(c)) {
            fill_chunk(std::span<std::byte, sim::page_size>(bytes.data() + c * sim::page_size, sim::page_size), key,
                       mean_nul_gaps[seed % mean_nul_gaps.size()]);
        }
    }
    bytes.resize(len);
    return bytes;
}

}  // namespace

std::size_t size_of(ValueType type) noexcept {
    switch (type) {
    case ValueType::U8: return 1;
    case ValueType::U16: return 2;
    case ValueType::U32: return 4;
    case ValueType::U64: return 8;
    case ValueType::Struct13: return 13;
    }
    return 0;
}

std::vector<std::byte> bytes_of_value(ValueType type, std::uint64_t value) {
    std::vector<std::byte> bytes(size_of(type));
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        bytes[i] = static_cast<std::byte>(value >> (8 * (i % 8)));
    }
    return bytes;
}

std::size_t Scenario::area_size() const noexcept { return (pages.size() + 1) * sim::page_size; }

std::vector<std::byte> Scenario::user_content() const {
    return content(area_size(), content_seed, [&](std::size_t page) {
        return page < pages.size() && sim::has_frame(pages[page].state) && pages[page].state != sim::PageState::DemandZero;
    });
}

std::vector<std::byte> Scenario::kernel_content() const {
    return content(kernel_size, content_seed + 1, [](std::size_t) { return true; });
}

}  // namespace vmio::check
