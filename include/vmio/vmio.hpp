// Umbrella header: everything in vmio's public API.
#pragma once

#include "vmio/atomic.hpp"
#include "vmio/copy.hpp"
#include "vmio/error.hpp"
#include "vmio/fallible.h"
#include "vmio/fault.hpp"
#include "vmio/panic.hpp"
#include "vmio/signal_mask.hpp"
