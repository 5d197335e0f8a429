// Asterinas' panics: a violated precondition aborts the process with a message.
#pragma once

#include "vmio/detail/language.hpp"

#include <source_location>
#include <string_view>

namespace vmio {

/// Prints "vmio panic: <message> (file:line)" to stderr and aborts.
[[noreturn]] void panic(std::string_view message,
                        std::source_location where = std::source_location::current()) noexcept;

}  // namespace vmio
