// The simulator: everything in one include.
#pragma once

#include "vmio/sim/frame.hpp"
#include "vmio/sim/layout.hpp"
#include "vmio/sim/machine.hpp"
#include "vmio/sim/page_state.hpp"
#include "vmio/sim/page_table.hpp"
#include "vmio/sim/physical_memory.hpp"
#include "vmio/sim/recovery_engine.hpp"
#include "vmio/sim/scheduler.hpp"
#include "vmio/sim/segment.hpp"
#include "vmio/sim/vm_space.hpp"
