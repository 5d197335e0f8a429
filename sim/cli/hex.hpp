// A case's input bytes as text: two lowercase hex digits a byte. The JSON report's input_hex
// and the text summary carry a failing input this way, and `vmio-sim replay hex:DIGITS` takes
// it back, so an input travels without its file.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vmio::cli {

[[nodiscard]] std::string to_hex(std::span<const std::uint8_t> bytes);
/// The bytes `text` spells (either case); throws std::invalid_argument, saying why, for an odd
/// number of digits or a character that is not one.
[[nodiscard]] std::vector<std::uint8_t> from_hex(std::string_view text);

}  // namespace vmio::cli
