// Asterinas' safety tags (`#[safety { ValidUse(..), UserSpace(..), Memo(..) }]`) in C++.
//
// Design:
// * At compile time, each unsafe constructor carries its precondition as a tag parameter:
//   `VmReader<Infallible>::from_kernel_space(p, n, safety::ValidUse{})`,
//   `VmReader<>::from_user_space(p, n, safety::UserSpace{})`. The tag is defaulted so that
//   Asterinas' two-argument form `from_kernel_space(p, n)` (the name and arity that outside
//   conformance suites compile against) still works; naming it at the call site states the
//   precondition where a reader and grep can see it. The tags have explicit default
//   constructors, so a bare `{}` cannot stand for one by accident. `Memo` (a precondition
//   stated in prose) has no tag: it belongs to the copy routines that the cursors call
//   internally, not to a public entry point.
// * At run time, every stated precondition is also a `Claim` that a checker can verify: the
//   constructors claim `ValidUse` / `UserSpace` for their whole range, and every copy or fill
//   claims `ValidUse` (infallible side) or `Memo` "valid or in user space" (fallible side) for
//   the bytes it touches -- which catches a cursor used after its memory went away, the C++
//   stand-in for Asterinas' lifetime `'a`. Checks are off by default and cost one relaxed
//   atomic load per claim, or per operation for one that reads the switch once for all its
//   claims (`checking`, then `verify` for each, in order); `set_safety_checks(true)` turns
//   them on. The default checker verifies claims against the address layout
//   (vmio/layout.hpp); a simulator installs its own with `safety::set_checker` to verify
//   them against its real mappings. A claim that does not hold panics with "safety
//   precondition violated: ...".
#pragma once

#include "vmio/detail/language.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "vmio/access.hpp"

namespace vmio {
namespace safety {

/// Tag of `from_kernel_space`: "`ptr` is valid for reads (reader) or writes (writer) of `len`
/// bytes for the whole life of the cursor" -- Asterinas' `ValidUse`.
struct ValidUse {
    explicit ValidUse() = default;
};

/// Tag of `from_user_space`: "`[ptr, ptr + len)` is in user space" -- Asterinas' `UserSpace`.
struct UserSpace {
    explicit UserSpace() = default;
};

/// Which precondition a claim states.
enum class Kind {
    ValidUse,   ///< valid for the access
    UserSpace,  ///< in user space
    Memo,       ///< valid for the access, or in user space (Asterinas' fallible-copy memo)
};

/// One precondition about one range of memory.
struct Claim {
    Kind kind;
    Access access;  ///< the access the precondition is about
    std::uintptr_t address;
    std::size_t length;

    friend constexpr bool operator==(const Claim&, const Claim&) = default;
};

/// Returns whether a claim holds. Runs on the thread that makes the claim, must not throw,
/// and may be called concurrently from several threads.
using Checker = bool (*)(const Claim&) noexcept;

/// Checks `claim` against the installed address layout: `UserSpace` needs user space,
/// `ValidUse` the kernel window, `Memo` either.
[[nodiscard]] bool layout_checker(const Claim& claim) noexcept;

/// Installs `checker` for the whole process; `nullptr` reinstalls `layout_checker`.
void set_checker(Checker checker) noexcept;

}  // namespace safety

/// Turns the run-time verification of safety claims on or off (off by default).
void set_safety_checks(bool enabled) noexcept;

/// Whether safety claims are verified.
[[nodiscard]] bool safety_checks() noexcept;

namespace detail {

extern constinit std::atomic<bool> safety_checks_enabled;
void verify_claim(const safety::Claim& claim) noexcept;

}  // namespace detail

namespace safety {

/// Whether claims are verified: one relaxed load. An operation that states several claims
/// may read it once and then `verify` each of them, in order.
[[nodiscard]] inline bool checking() noexcept {
    return detail::safety_checks_enabled.load(std::memory_order_relaxed);
}

/// Verifies `claim` whatever the switch says: panics unless the installed checker accepts it.
inline void verify(const Claim& claim) noexcept { detail::verify_claim(claim); }

/// States `claim`: when checks are on, panics unless the installed checker accepts it.
inline void claim(Kind kind, Access access, std::uintptr_t address, std::size_t length) noexcept {
    if (checking()) [[unlikely]] {
        verify(Claim{kind, access, address, length});
    }
}

}  // namespace safety
}  // namespace vmio
