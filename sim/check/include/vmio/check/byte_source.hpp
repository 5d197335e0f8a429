// Reads typed values off an arbitrary byte string, like libFuzzer's FuzzedDataProvider: every
// call succeeds, an exhausted source yields zeros, so any input decodes to something valid.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace vmio::check {

class ByteSource {
public:
    explicit ByteSource(std::span<const std::uint8_t> bytes) noexcept : bytes_(bytes) {}

    [[nodiscard]] bool empty() const noexcept { return next_ >= bytes_.size(); }

    /// The next byte, or 0 once the input is used up.
    std::uint8_t byte() noexcept { return empty() ? 0 : bytes_[next_++]; }

    /// A value in [0, bound) from as few bytes as the bound needs (bound >= 1).
    std::uint64_t below(std::uint64_t bound) noexcept {
        std::uint64_t value = 0;
        for (std::uint64_t range = bound - 1; range != 0; range >>= 8) {
            value = (value << 8) | byte();
        }
        return value % bound;
    }

    /// A value in [low, high].
    std::uint64_t in_range(std::uint64_t low, std::uint64_t high) noexcept { return low + below(high - low + 1); }

    /// One of `values`.
    template <typename T, std::size_t N>
    T pick(const std::array<T, N>& values) noexcept {
        return values[below(N)];
    }

    /// An unsigned integer filling all `bytes` bytes.
    std::uint64_t word(unsigned bytes = 8) noexcept {
        std::uint64_t value = 0;
        for (unsigned i = 0; i < bytes; ++i) {
            value |= std::uint64_t{byte()} << (8 * i);
        }
        return value;
    }

private:
    std::span<const std::uint8_t> bytes_;
    std::size_t next_ = 0;
};

}  // namespace vmio::check
