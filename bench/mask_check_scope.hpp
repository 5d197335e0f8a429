// Runs one benchmark in a given signal-mask mode of the C++ API, restoring the mode after.
#pragma once

#include "vmio/signal_mask.hpp"

namespace vmio::bench {

class MaskCheckScope {
public:
    explicit MaskCheckScope(SignalMaskCheck mode) : saved_(signal_mask_check()) { set_signal_mask_check(mode); }
    ~MaskCheckScope() { set_signal_mask_check(saved_); }
    MaskCheckScope(const MaskCheckScope&) = delete;
    MaskCheckScope& operator=(const MaskCheckScope&) = delete;

private:
    SignalMaskCheck saved_;
};

}  // namespace vmio::bench
