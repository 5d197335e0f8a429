// The address layout behind Asterinas' `debug_assert`s on `from_user_space` and
// `from_kernel_space` (`MAX_USERSPACE_VADDR`, `KERNEL_BASE_VADDR`, `KERNEL_END_VADDR`).
//
// A kernel knows its layout at compile time; a process does not have one. vmio therefore
// keeps it at run time: ordinary programs use the permissive default, in which every range
// that does not wrap around the address space counts as both user and kernel memory; a
// simulator that lays out a "user" region installs a strict layout, and from then on the
// constructors panic on a range outside its space -- always, not only in debug builds.
//
// Concurrency: a reader never sees a mix of two layouts. The installed layout is an immutable
// record published through one atomic pointer; every check loads that pointer once (acquire)
// and reads all fields through it, so a check that runs while another thread installs a layout
// uses the old layout or the new one. Reading takes no lock and allocates nothing, so it is
// async-signal-safe. Records are never freed, since a reader may still be using one after it
// was replaced; installing a layout equal to one installed before reuses that record, so the
// memory kept is one small record per distinct layout the process ever installs.
#pragma once

#include "vmio/detail/language.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "vmio/detail/range.hpp"
#include "vmio/panic.hpp"

namespace vmio {

/// Where user space and the kernel window lie. With `strict == false` only wrap-around is
/// an error. With `strict == true`, user space is `[user_begin, user_end)` and kernel memory
/// is `[kernel_begin, kernel_end)` minus user space. The default kernel window is the whole
/// address space, so that a simulator that only sets the user range keeps the program's own
/// stack, heap and spans usable as kernel memory.
struct AddressLayout {
    bool strict = false;
    std::uintptr_t user_begin = 0;
    std::uintptr_t user_end = 0;  ///< Asterinas' `MAX_USERSPACE_VADDR`
    std::uintptr_t kernel_begin = 0;  ///< Asterinas' `KERNEL_BASE_VADDR`
    std::uintptr_t kernel_end = std::numeric_limits<std::uintptr_t>::max();  ///< `KERNEL_END_VADDR`

    /// Whether `[address, address + length)` lies in user space. Never for a range that
    /// wraps around; always, otherwise, for a permissive layout.
    [[nodiscard]] constexpr bool in_user_space(std::uintptr_t address, std::size_t length) const noexcept {
        if (!strict) {
            return !detail::range_wraps(address, length);
        }
        return detail::range_within(address, length, user_begin, user_end);
    }

    /// Whether `[address, address + length)` lies in the kernel window and outside user
    /// space. Never for a range that wraps around; always, otherwise, for a permissive layout.
    [[nodiscard]] constexpr bool in_kernel_space(std::uintptr_t address, std::size_t length) const noexcept {
        if (!strict) {
            return !detail::range_wraps(address, length);
        }
        const bool overlaps_user =
            length != 0 && address < user_end && !detail::range_within(address, length, 0, user_begin);
        return detail::range_within(address, length, kernel_begin, kernel_end) && !overlaps_user;
    }

    friend constexpr bool operator==(const AddressLayout&, const AddressLayout&) = default;
};

/// Installs `layout` for the whole process; threads checking ranges meanwhile use the old
/// layout or this one. Throws `std::bad_alloc` if a layout not installed before cannot be
/// recorded (nothing changes then). Not for use in a signal handler. A process forked while
/// another thread was installing a layout can install its own.
void set_address_layout(const AddressLayout& layout);

/// The layout currently installed (the permissive default until `set_address_layout`).
[[nodiscard]] AddressLayout address_layout() noexcept;

namespace detail {

/// The installed layout: never null; the record it points to never changes or goes away.
extern constinit std::atomic<const AddressLayout*> installed_address_layout;

/// Asterinas' `from_user_space` assertion: panics if a non-empty range wraps around or, with
/// a strict layout, leaves user space.
inline void check_user_space_range(std::uintptr_t address, std::size_t length) noexcept {
    if (length == 0) {
        return;
    }
    if (range_wraps(address, length)) {
        panic("from_user_space: range overflows the address space");
    }
    if (!installed_address_layout.load(std::memory_order_acquire)->in_user_space(address, length)) {
        panic("from_user_space: range is not in user space");
    }
}

/// Asterinas' `from_kernel_space` assertion: panics if a non-empty range wraps around or,
/// with a strict layout, leaves the kernel window or touches user space.
inline void check_kernel_space_range(std::uintptr_t address, std::size_t length) noexcept {
    if (length == 0) {
        return;
    }
    if (range_wraps(address, length)) {
        panic("from_kernel_space: range overflows the address space");
    }
    if (!installed_address_layout.load(std::memory_order_acquire)->in_kernel_space(address, length)) {
        panic("from_kernel_space: range is not in kernel space");
    }
}

}  // namespace detail
}  // namespace vmio
