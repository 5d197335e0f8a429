// Pointer forwarding for VM I/O objects (Asterinas' `impl VmIo for &T / Box<T> / Arc<T>`):
// generic code accepts an object or anything that points to one -- raw pointers,
// `std::unique_ptr`, `std::shared_ptr`, and chains of them -- and reaches the object with
// `deref_vm_io`. (A C++ reference already is the object.)
#pragma once

#include "vmio/detail/language.hpp"

#include <type_traits>
#include <utility>

#include "vmio/vm_io.hpp"

namespace vmio {
namespace detail {

template <typename T>
concept VmIoFamily = VmIo<T> || VmIoOnce<T> || VmIoFill<T>;

template <typename P>
struct VmIoTarget {};

template <typename P>
    requires VmIoFamily<P>
struct VmIoTarget<P> {
    using type = P;
    static P& get(P& object) noexcept { return object; }
};

template <typename P>
using pointee_t = std::remove_reference_t<decltype(*std::declval<P&>())>;

template <typename P>
    requires(!VmIoFamily<P>) && requires { typename VmIoTarget<pointee_t<P>>::type; }
struct VmIoTarget<P> {
    using Pointee = pointee_t<P>;
    using type = typename VmIoTarget<Pointee>::type;
    static type& get(P& pointer) noexcept { return VmIoTarget<Pointee>::get(*pointer); }
};

}  // namespace detail

/// The VM I/O object that `P` is or (through any number of pointers) points to.
template <typename P>
using vm_io_target_t = typename detail::VmIoTarget<std::remove_reference_t<P>>::type;

/// The VM I/O object `x` is or points to. Does not check for null pointers.
template <typename P>
    requires requires { typename vm_io_target_t<P>; }
[[nodiscard]] vm_io_target_t<P>& deref_vm_io(P& x) noexcept {
    return detail::VmIoTarget<P>::get(x);
}

/// A `VmIo` object or a pointer to one.
template <typename P>
concept VmIoObject = requires { typename vm_io_target_t<P>; } && VmIo<vm_io_target_t<P>>;

/// A `VmIoOnce` object or a pointer to one.
template <typename P>
concept VmIoOnceObject = requires { typename vm_io_target_t<P>; } && VmIoOnce<vm_io_target_t<P>>;

/// A `VmIoFill` object or a pointer to one.
template <typename P>
concept VmIoFillObject = requires { typename vm_io_target_t<P>; } && VmIoFill<vm_io_target_t<P>>;

}  // namespace vmio
