// How vmio-sim fuzz changes an input: one of six small edits (flip a bit, set a byte, insert a
// byte, erase up to 8 bytes, splice the tail of another input, nudge a byte by -4..+4), drawn
// from a seeded generator, so that a case seed decides the mutation. Inputs never grow past
// max_fuzz_input bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace vmio::cli {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::size_t max_fuzz_input = 1024;

/// Applies one mutation to `input`; `pool` (non-empty) supplies splices.
void mutate(Bytes& input, const std::vector<Bytes>& pool, std::mt19937_64& random);

}  // namespace vmio::cli
