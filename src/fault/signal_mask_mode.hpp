// The process-wide signal-mask mode (vmio/signal_mask.hpp), read when a thread is prepared
// and on the slow entry path; set from the environment at load or by set_signal_mask_check().
#pragma once

#include <atomic>

#include "vmio/signal_mask.hpp"

namespace vmio::detail {

extern constinit std::atomic<SignalMaskCheck> signal_mask_check_mode;

}  // namespace vmio::detail
