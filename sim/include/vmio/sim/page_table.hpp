// A snapshot of a space's page states, by page address; absent pages are Inaccessible.
#pragma once

#include <cstdint>
#include <map>

#include "vmio/sim/page_state.hpp"

namespace vmio::sim {

using PageTable = std::map<std::uintptr_t, PageStatus>;

}  // namespace vmio::sim
