// Test helper: what the fault record can say about a read or a write on this architecture.
#pragma once

#include "vmio/fault.hpp"

namespace vmio::test {

/// Whether `reported` is the right record for an access of kind `actual`. x86_64 always
/// tells; aarch64 tells when the kernel puts an ESR record in the signal frame (qemu-user
/// does not); riscv64 never tells.
inline bool access_matches(FaultAccess reported, FaultAccess actual) {
#if defined(__x86_64__)
    return reported == actual;
#elif defined(__aarch64__)
    return reported == actual || reported == FaultAccess::Unknown;
#else
    (void)actual;
    return reported == FaultAccess::Unknown;
#endif
}

}  // namespace vmio::test
