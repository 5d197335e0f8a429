// The kernel-style examples as explorer subjects: what `vmio-sim explore`, the examples'
// tests and the explorer benchmark run. Each example is ordinary kernel code over vmio's VM
// I/O API (pipe.hpp, iovec.hpp, ioctl.hpp, path_lookup.hpp). Four of them carry a planted
// bug, a classic mistake switched on at run time, that the explorer must find; pipe-write and
// writev carry none, and their subject is the same whether `planted` is set or not.
#pragma once

#include <span>
#include <string_view>

#include "vmio/testing/explorer.hpp"

namespace vmio::examples {

struct Example {
    std::string_view name;     ///< "pipe-read": also the subject's name
    std::string_view summary;  ///< one line: the system call and its fault semantics
    std::string_view bug;      ///< the planted bug's name, "consume-before-copy"; empty if none
    std::string_view bug_summary;  ///< one line: what the planted bug does; empty if none
    /// The subject, with the planted bug switched on or off; a fresh, self-contained Subject
    /// (its kernel state is shared by its own set-up, body and check only).
    testing::Subject (*subject)(bool planted);
};

/// Every example, in a fixed order.
[[nodiscard]] std::span<const Example> all_examples() noexcept;

}  // namespace vmio::examples
