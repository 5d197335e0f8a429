// Plain-old-data: the types that VM I/O may fill with arbitrary bytes (Asterinas' `Pod`), and
// the subset that one non-tearing load or store can move (`PodOnce`).
#pragma once

#include "vmio/detail/language.hpp"

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace vmio {

/// A type whose objects are nothing but their bytes, so that a reader may overwrite them with
/// any byte sequence: trivially copyable and trivially default-constructible (Asterinas'
/// `new_uninit`), standard layout, not cv-qualified, and not a pointer or `bool` (for which
/// some byte patterns are not values). Members of class types are the author's promise: C++
/// cannot check that every byte pattern of a member is valid, so keep pointers, `bool` and
/// enumerations without a fixed underlying type out of structs used as `Pod`.
template <typename T>
concept Pod = std::is_trivially_copyable_v<T> && std::is_trivially_default_constructible_v<T> &&
              std::is_standard_layout_v<T> && !std::is_const_v<T> && !std::is_volatile_v<T> &&
              !std::is_pointer_v<T> && !std::is_member_pointer_v<T> && !std::is_same_v<T, bool>;

/// Opt-in for `PodOnce`: true for the integer types; specialise it as `true` for your own
/// `Pod` type (Asterinas' `impl PodOnce for T {}`). Opting in a type whose size or alignment
/// does not allow a single access still leaves it outside `PodOnce`.
template <typename T>
inline constexpr bool enable_pod_once = std::is_integral_v<T> && !std::is_same_v<T, bool>;

/// A `Pod` type that one load or store reads or writes without tearing: opted in through
/// `enable_pod_once`, 1, 2, 4 or 8 bytes large, and aligned to its size (an access at natural
/// alignment never crosses a cache line). `read_once` / `write_once` of any other type does
/// not compile.
template <typename T>
concept PodOnce = Pod<T> && enable_pod_once<T> &&
                  (sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8) &&
                  alignof(T) == sizeof(T);

}  // namespace vmio

namespace vmio::detail {

/// The unsigned integer that moves a `PodOnce` value in one access.
template <std::size_t Size>
struct OnceWord;
template <> struct OnceWord<1> { using type = std::uint8_t; };
template <> struct OnceWord<2> { using type = std::uint16_t; };
template <> struct OnceWord<4> { using type = std::uint32_t; };
template <> struct OnceWord<8> { using type = std::uint64_t; };
template <PodOnce T>
using once_word_t = typename OnceWord<sizeof(T)>::type;

}  // namespace vmio::detail
