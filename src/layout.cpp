#include "vmio/layout.hpp"

#include <mutex>

namespace vmio {
namespace detail {

constinit std::atomic<bool> address_layout_strict{false};

namespace {

// The ranges are only read while `address_layout_strict` is set; a replacement clears it
// first, so that a concurrent reader falls back to the permissive checks instead of
// combining fields of two layouts.
constinit std::atomic<std::uintptr_t> user_begin{0};
constinit std::atomic<std::uintptr_t> user_end{0};
constinit std::atomic<std::uintptr_t> kernel_begin{0};
constinit std::atomic<std::uintptr_t> kernel_end{AddressLayout{}.kernel_end};
constinit std::mutex setter;

}  // namespace

bool in_strict_user_space(std::uintptr_t address, std::size_t length) noexcept {
    return address_layout().in_user_space(address, length);
}

bool in_strict_kernel_space(std::uintptr_t address, std::size_t length) noexcept {
    return address_layout().in_kernel_space(address, length);
}

}  // namespace detail

void set_address_layout(const AddressLayout& layout) noexcept {
    const std::lock_guard lock(detail::setter);
    detail::address_layout_strict.store(false, std::memory_order_seq_cst);
    detail::user_begin.store(layout.user_begin, std::memory_order_relaxed);
    detail::user_end.store(layout.user_end, std::memory_order_relaxed);
    detail::kernel_begin.store(layout.kernel_begin, std::memory_order_relaxed);
    detail::kernel_end.store(layout.kernel_end, std::memory_order_relaxed);
    detail::address_layout_strict.store(layout.strict, std::memory_order_release);
}

AddressLayout address_layout() noexcept {
    return AddressLayout{
        .strict = detail::address_layout_strict.load(std::memory_order_acquire),
        .user_begin = detail::user_begin.load(std::memory_order_relaxed),
        .user_end = detail::user_end.load(std::memory_order_relaxed),
        .kernel_begin = detail::kernel_begin.load(std::memory_order_relaxed),
        .kernel_end = detail::kernel_end.load(std::memory_order_relaxed),
    };
}

}  // namespace vmio
