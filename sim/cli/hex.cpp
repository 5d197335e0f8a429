#include "hex.hpp"

#include <fmt/core.h>

#include <charconv>
#include <stdexcept>

namespace vmio::cli {

std::string to_hex(std::span<const std::uint8_t> bytes) {
    std::string text;
    text.reserve(2 * bytes.size());
    for (const std::uint8_t byte : bytes) {
        text += fmt::format("{:02x}", byte);
    }
    return text;
}

std::vector<std::uint8_t> from_hex(std::string_view text) {
    if (text.size() % 2 != 0) {
        throw std::invalid_argument(fmt::format("{} hex digits: an odd number", text.size()));
    }
    std::vector<std::uint8_t> bytes(text.size() / 2);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const char* digits = text.data() + 2 * i;
        if (std::from_chars(digits, digits + 2, bytes[i], 16).ptr != digits + 2) {
            throw std::invalid_argument(
                fmt::format("'{}' at offset {} is not a hex digit pair", std::string_view(digits, 2), 2 * i));
        }
    }
    return bytes;
}

}  // namespace vmio::cli
