// Runs one benchmark with the C++ API's signal-mask check on or off, restoring it after.
#pragma once

#include "vmio/signal_mask.hpp"

namespace vmio::bench {

class MaskCheckScope {
public:
    explicit MaskCheckScope(bool enabled) : saved_(signal_mask_check()) { set_signal_mask_check(enabled); }
    ~MaskCheckScope() { set_signal_mask_check(saved_); }
    MaskCheckScope(const MaskCheckScope&) = delete;
    MaskCheckScope& operator=(const MaskCheckScope&) = delete;

private:
    bool saved_;
};

}  // namespace vmio::bench
