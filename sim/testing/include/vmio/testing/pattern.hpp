// The recognisable bytes that test layouts put in user memory: byte i of a range holds
// pattern_byte(i): neighbours always differ, and a shifted copy is easy to tell apart.
#pragma once

#include <cstddef>

namespace vmio::testing {

[[nodiscard]] constexpr std::byte pattern_byte(std::size_t offset) noexcept {
    return static_cast<std::byte>((offset * 131 + offset / 251) & 0xff);
}

}  // namespace vmio::testing
