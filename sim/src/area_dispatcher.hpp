// The libsigsegv area dispatcher a Machine routes user-window faults through, kept out of the
// public header so that users of <vmio/sim/machine.hpp> need no libsigsegv headers.
#pragma once

#include <sigsegv.h>

#include "vmio/sim/machine.hpp"

namespace vmio::sim {

struct Machine::AreaDispatcher {
    sigsegv_dispatcher dispatcher{};
    void* user_window_ticket = nullptr;
};

}  // namespace vmio::sim
