// Counts in vmio-sim's text: "1 case", "2 cases" (every noun it counts takes an s).
#pragma once

#include <cstdint>
#include <fmt/core.h>
#include <string>
#include <string_view>

namespace vmio::cli {

[[nodiscard]] inline std::string counted(std::uint64_t n, std::string_view noun) {
    return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

}  // namespace vmio::cli
