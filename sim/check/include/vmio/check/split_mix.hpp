// SplitMix64: a 64-bit counter stepped by the golden ratio and passed through a mixing
// function. Campaigns derive their case seeds with it and the checker turns seeds into bytes
// with it: it starts from any seed at no cost (mt19937_64 first fills and twists 312 words)
// and every 64-bit draw is usable whole.
// Draws from nearby seeds look unrelated; the streams of two seeds overlap only if the seeds
// differ by a small multiple of the step.
#pragma once

#include <cstdint>

namespace vmio::check {

class SplitMix64 {
public:
    explicit constexpr SplitMix64(std::uint64_t seed) noexcept : state_(seed) {}

    constexpr std::uint64_t operator()() noexcept {
        state_ += step;
        return mix(state_);
    }

    /// Draw `n` (from 0) of SplitMix64(seed), without the draws before it.
    [[nodiscard]] static constexpr std::uint64_t nth(std::uint64_t seed, std::uint64_t n) noexcept {
        return mix(seed + (n + 1) * step);
    }

private:
    static constexpr std::uint64_t step = 0x9e3779b97f4a7c15ULL;

    static constexpr std::uint64_t mix(std::uint64_t z) noexcept {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    std::uint64_t state_;
};

}  // namespace vmio::check
