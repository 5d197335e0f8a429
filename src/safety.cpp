#include "vmio/safety.hpp"

#include <cinttypes>
#include <cstdio>

#include "vmio/layout.hpp"
#include "vmio/panic.hpp"

namespace vmio {
namespace detail {

constinit std::atomic<bool> safety_checks_enabled{false};

namespace {

constinit std::atomic<safety::Checker> installed_checker{&safety::layout_checker};

const char* name_of(safety::Kind kind) noexcept {
    switch (kind) {
    case safety::Kind::ValidUse: return "ValidUse";
    case safety::Kind::UserSpace: return "UserSpace";
    case safety::Kind::Memo: return "Memo";
    }
    return "?";
}

}  // namespace

void verify_claim(const safety::Claim& claim) noexcept {
    // An empty range makes no claim (Asterinas does not check `len == 0` either).
    if (claim.length == 0 || installed_checker.load(std::memory_order_acquire)(claim)) {
        return;
    }
    char message[160];
    std::snprintf(message, sizeof message,
                  "safety precondition violated: %s(0x%" PRIxPTR ", %s of %zu bytes)", name_of(claim.kind),
                  claim.address, claim.access == Access::Read ? "reads" : "writes", claim.length);
    panic(message);
}

}  // namespace detail

namespace safety {

bool layout_checker(const Claim& claim) noexcept {
    const AddressLayout layout = address_layout();
    switch (claim.kind) {
    case Kind::ValidUse: return layout.in_kernel_space(claim.address, claim.length);
    case Kind::UserSpace: return layout.in_user_space(claim.address, claim.length);
    case Kind::Memo:
        return layout.in_kernel_space(claim.address, claim.length) ||
               layout.in_user_space(claim.address, claim.length);
    }
    return false;
}

void set_checker(Checker checker) noexcept {
    detail::installed_checker.store(checker != nullptr ? checker : &layout_checker, std::memory_order_release);
}

}  // namespace safety

void set_safety_checks(bool enabled) noexcept {
    detail::safety_checks_enabled.store(enabled, std::memory_order_relaxed);
}

bool safety_checks() noexcept {
    return detail::safety_checks_enabled.load(std::memory_order_relaxed);
}

}  // namespace vmio
