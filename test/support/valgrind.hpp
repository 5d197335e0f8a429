// Whether the test runs under valgrind (the meson setup 'valgrind' sets VMIO_UNDER_VALGRIND):
// valgrind runs one thread at a time, so tests whose threads race each other do fewer rounds
// there and yield where a busy thread would otherwise hold valgrind's lock for long slices.
#pragma once

#include <cstdlib>

namespace vmio::test {

inline bool under_valgrind() { return std::getenv("VMIO_UNDER_VALGRIND") != nullptr; }

}  // namespace vmio::test
