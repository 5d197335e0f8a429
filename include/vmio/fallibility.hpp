// Whether accesses through a VmReader / VmWriter may fault: the `Fallible` and `Infallible`
// markers, and the declarations of the two cursor types that they parameterise.
#pragma once

#include "vmio/detail/language.hpp"

#include <concepts>

namespace vmio {

/// Marker: the memory may fault (user space, a mapping another party may shrink or unmap).
/// Accesses go through the fallible routines and report `PageFault` with an exact count.
struct Fallible {
    Fallible() = delete;
};

/// Marker: the caller vouches that the memory is valid for the whole life of the cursor
/// (Asterinas' kernel space). Accesses are plain loads and stores.
struct Infallible {
    Infallible() = delete;
};

/// `Fallible` or `Infallible`.
template <typename F>
concept Fallibility = std::same_as<F, Fallible> || std::same_as<F, Infallible>;

template <Fallibility F = Fallible>
class VmReader;

template <Fallibility F = Fallible>
class VmWriter;

}  // namespace vmio
