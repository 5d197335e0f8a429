// Where the simulator's "user" and "kernel" memory lie in this process.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vmio::sim {

/// The simulator's page and frame size.
inline constexpr std::size_t page_size = 4096;

/// The bounds of a Machine's address regions, each [begin, end), named as in AddressLayout.
struct Layout {
    std::uintptr_t user_begin;    ///< first byte of the user window
    std::uintptr_t user_end;      ///< one past the user window (MAX_USERSPACE_VADDR's analogue)
    std::uintptr_t kernel_begin;  ///< first byte of the kernel arena (simulated physical memory)
    std::uintptr_t kernel_end;    ///< one past the kernel arena

    [[nodiscard]] constexpr bool is_user(std::uintptr_t addr) const noexcept {
        return addr >= user_begin && addr < user_end;
    }
    [[nodiscard]] constexpr bool is_kernel(std::uintptr_t addr) const noexcept {
        return addr >= kernel_begin && addr < kernel_end;
    }
    [[nodiscard]] constexpr std::size_t user_pages() const noexcept { return (user_end - user_begin) / page_size; }
};

}  // namespace vmio::sim
