// The handler side of the sigsetjmp engine (src/recovery_engine.cpp).
#pragma once

#include <cstdint>

namespace vmio::sim::detail {

/// Called by the fault handler for a fault it could not resolve: if the calling thread's
/// sigsetjmp engine is copying to or from `address`, jumps back to it (does not return).
void leave_to_sigsetjmp_engine(std::uintptr_t address) noexcept;

}  // namespace vmio::sim::detail
