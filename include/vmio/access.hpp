// Whether an access to memory loads or stores: the one such enum of vmio, used by fault
// records and resolvers (vmio/fault.hpp) and by safety claims (vmio/safety.hpp).
#pragma once

#include "vmio/detail/language.hpp"

#include <cstdint>

namespace vmio {

/// Whether an access loads (`Read`) or stores (`Write`).
enum class Access : std::uint8_t { Read, Write };

}  // namespace vmio
