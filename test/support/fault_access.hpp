// Test helper: what the fault record can say about a read or a write on this architecture.
#pragma once

#include <optional>

#include "vmio/fault.hpp"

namespace vmio::test {

/// Whether `reported` is the right record for an access of kind `actual`. x86_64 always
/// tells; aarch64 tells when the kernel puts an ESR record in the signal frame (qemu-user
/// does not); riscv64 never tells.
inline bool access_matches(std::optional<Access> reported, Access actual) {
#if defined(__x86_64__)
    return reported == actual;
#elif defined(__aarch64__)
    return !reported || reported == actual;
#else
    (void)actual;
    return !reported;
#endif
}

}  // namespace vmio::test
