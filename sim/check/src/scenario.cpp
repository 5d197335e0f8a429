#include "vmio/check/scenario.hpp"

#include <array>
#include <cstring>

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

// xorshift64 is linear over GF(2): `steps` steps are one 64x64 bit matrix, applied as the XOR of
// the columns of the bits set. jump(x, n) gives x after n steps, from the matrices of 2^j steps.
struct Jumps {
    std::array<std::array<std::uint64_t, 64>, 32> columns{};  // [j][bit]: 2^j steps of 1 << bit

    Jumps() {
        for (unsigned bit = 0; bit < 64; ++bit) {
            columns[0][bit] = xorshift(std::uint64_t{1} << bit);
        }
        for (std::size_t j = 1; j < columns.size(); ++j) {
            for (unsigned bit = 0; bit < 64; ++bit) {
                columns[j][bit] = apply(columns[j - 1], columns[j - 1][bit]);
            }
        }
    }
    static std::uint64_t apply(const std::array<std::uint64_t, 64>& matrix, std::uint64_t x) noexcept {
        std::uint64_t result = 0;
        for (unsigned bit = 0; bit < 64; ++bit) {
            result ^= matrix[bit] & (std::uint64_t{0} - ((x >> bit) & 1));
        }
        return result;
    }
    [[nodiscard]] std::uint64_t jump(std::uint64_t x, std::size_t steps) const noexcept {
        for (std::size_t j = 0; steps != 0; ++j, steps >>= 1) {
            if ((steps & 1) != 0) {
                x = apply(columns[j], x);
            }
        }
        return x;
    }
};

// xorshift64 words with every byte made non-zero, then NULs planted at random gaps averaging
// 16, 128 or 1024 bytes, or none, as the seed has it. (The generator's state is a local, not
// captured by reference: stores of std::byte may alias anything it could be reloaded from.)
// Long contents are made as four interleaved runs of the same sequence, each started where the
// one before ends (a jump ahead): the chains of shifts of one run take turns with the others'.
std::vector<std::byte> content(std::size_t len, std::uint64_t seed) {
    constexpr std::array<std::size_t, 4> mean_nul_gaps = {0, 16, 128, 1024};  // 0: none
    constexpr std::size_t runs = 4;
    constexpr std::size_t interleaved_from = 512;  // words; below, jumping costs more than it saves
    const std::uint64_t start = seed * 0x9e3779b97f4a7c15ULL + 1;
    const std::size_t words = (len + 7) / 8;
    std::uint64_t x = start;
    std::vector<std::byte> bytes;
    if (words < interleaved_from) {
        bytes.resize(len + 8);
        std::byte* const out = bytes.data();
        for (std::size_t i = 0; i < len; i += 8) {
            x = xorshift(x);
            const std::uint64_t word = x | 0x0101010101010101ULL;
            std::memcpy(out + i, &word, 8);
        }
    } else {
        static const Jumps jumps;
        const std::size_t per_run = (words + runs - 1) / runs;
        bytes.resize(runs * per_run * 8);
        std::byte* const out = bytes.data();
        std::array<std::uint64_t, runs> state{};
        state[0] = start;
        for (std::size_t r = 1; r < runs; ++r) {
            state[r] = jumps.jump(state[r - 1], per_run);
        }
        for (std::size_t i = 0; i < per_run; ++i) {
            for (std::size_t r = 0; r < runs; ++r) {
                state[r] = xorshift(state[r]);
                const std::uint64_t word = state[r] | 0x0101010101010101ULL;
                std::memcpy(out + (r * per_run + i) * 8, &word, 8);
            }
        }
        x = jumps.jump(start, words);  // where the NULs' draws go on
    }
    std::byte* const out = bytes.data();
    bytes.resize(len);
    if (const std::size_t gap = mean_nul_gaps[seed % mean_nul_gaps.size()]; gap != 0) {
        const std::size_t mask = 2 * gap - 1;  // x % (2 * gap): the gaps are powers of two
        x = xorshift(x);
        for (std::size_t i = x & mask; i < len;) {
            out[i] = std::byte{0};
            x = xorshift(x);
            i += 1 + (x & mask);
        }
    }
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

std::vector<std::byte> Scenario::user_content() const { return content(area_size(), content_seed); }

std::vector<std::byte> Scenario::kernel_content() const { return content(kernel_size, content_seed + 1); }

}  // namespace vmio::check
