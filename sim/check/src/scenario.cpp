#include "vmio/check/scenario.hpp"

#include <array>
#include <cstring>

#include "vmio/sim/layout.hpp"

namespace vmio::check {
namespace {

// xorshift64 words with every byte made non-zero, then NULs planted at random gaps averaging
// 16, 128 or 1024 bytes, or none, as the seed has it.
std::vector<std::byte> content(std::size_t len, std::uint64_t seed) {
    constexpr std::array<std::size_t, 4> mean_nul_gaps = {0, 16, 128, 1024};  // 0: none
    std::uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1;
    const auto next = [&x] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    std::vector<std::byte> bytes(len + 8);
    for (std::size_t i = 0; i < len; i += 8) {
        const std::uint64_t word = next() | 0x0101010101010101ULL;
        std::memcpy(bytes.data() + i, &word, 8);
    }
    bytes.resize(len);
    if (const std::size_t gap = mean_nul_gaps[seed % mean_nul_gaps.size()]; gap != 0) {
        for (std::size_t i = next() % (2 * gap); i < len; i += 1 + next() % (2 * gap)) {
            bytes[i] = std::byte{0};
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
