// Test helper: the death-test style of the suites.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>

namespace vmio::test {

/// Death tests run in a fresh execution of the test binary ("threadsafe"): the child starts
/// with vmio's handler as installed at load, whatever the parent did. GTEST_DEATH_TEST_STYLE
/// overrides it; test/meson.build sets "fast" (fork only) for runs under qemu-user, which
/// cannot re-execute a foreign binary.
inline void use_fresh_process_death_tests() {
    if (std::getenv("GTEST_DEATH_TEST_STYLE") == nullptr) {
        GTEST_FLAG_SET(death_test_style, "threadsafe");
    }
}

}  // namespace vmio::test
