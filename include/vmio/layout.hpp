// The address layout behind the seed's `debug_assert`s on `from_user_space` and
// `from_kernel_space` (`MAX_USERSPACE_VADDR`, `KERNEL_BASE_VADDR`, `KERNEL_END_VADDR`).
//
// A kernel knows its layout at compile time; a process does not have one. vmio therefore
// keeps it at run time: ordinary programs use the permissive default, in which every range
// that does not wrap around the address space counts as both user and kernel memory; a
// simulator that lays out a "user" region installs a strict layout, and from then on the
// constructors panic on a range outside its space -- always, not only in debug builds.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>

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
    std::uintptr_t user_end = 0;  ///< the seed's `MAX_USERSPACE_VADDR`
    std::uintptr_t kernel_begin = 0;  ///< the seed's `KERNEL_BASE_VADDR`
    std::uintptr_t kernel_end = std::numeric_limits<std::uintptr_t>::max();  ///< `KERNEL_END_VADDR`

    /// Whether `[address, address + length)` lies in user space. Never for a range that
    /// wraps around; always, otherwise, for a permissive layout.
    [[nodiscard]] constexpr bool in_user_space(std::uintptr_t address, std::size_t length) const noexcept {
        std::uintptr_t end = 0;
        if (__builtin_add_overflow(address, length, &end)) {
            return false;
        }
        return !strict || (user_begin <= address && end <= user_end);
    }

    /// Whether `[address, address + length)` lies in the kernel window and outside user
    /// space. Never for a range that wraps around; always, otherwise, for a permissive layout.
    [[nodiscard]] constexpr bool in_kernel_space(std::uintptr_t address, std::size_t length) const noexcept {
        std::uintptr_t end = 0;
        if (__builtin_add_overflow(address, length, &end)) {
            return false;
        }
        const bool overlaps_user = length != 0 && address < user_end && user_begin < end;
        return !strict || (kernel_begin <= address && end <= kernel_end && !overlaps_user);
    }

    friend constexpr bool operator==(const AddressLayout&, const AddressLayout&) = default;
};

/// Installs `layout` for the whole process. Install it before other threads construct
/// readers or writers: a constructor running during the switch may see the old layout or a
/// permissive one, never a mix of the two.
void set_address_layout(const AddressLayout& layout) noexcept;

/// The layout currently installed (the permissive default until `set_address_layout`).
[[nodiscard]] AddressLayout address_layout() noexcept;

namespace detail {

extern constinit std::atomic<bool> address_layout_strict;
[[nodiscard]] bool in_strict_user_space(std::uintptr_t address, std::size_t length) noexcept;
[[nodiscard]] bool in_strict_kernel_space(std::uintptr_t address, std::size_t length) noexcept;

/// The seed's `from_user_space` assertion: panics if a non-empty range wraps around or, with
/// a strict layout, leaves user space.
inline void check_user_space_range(std::uintptr_t address, std::size_t length) noexcept {
    if (length == 0) {
        return;
    }
    if (address + length < address) {
        panic("from_user_space: range overflows the address space");
    }
    if (address_layout_strict.load(std::memory_order_acquire) && !in_strict_user_space(address, length)) {
        panic("from_user_space: range is not in user space");
    }
}

/// The seed's `from_kernel_space` assertion: panics if a non-empty range wraps around or,
/// with a strict layout, leaves the kernel window or touches user space.
inline void check_kernel_space_range(std::uintptr_t address, std::size_t length) noexcept {
    if (length == 0) {
        return;
    }
    if (address + length < address) {
        panic("from_kernel_space: range overflows the address space");
    }
    if (address_layout_strict.load(std::memory_order_acquire) && !in_strict_kernel_space(address, length)) {
        panic("from_kernel_space: range is not in kernel space");
    }
}

}  // namespace detail
}  // namespace vmio
