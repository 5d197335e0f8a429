// vmio-sim explore: the kernel-style examples (sim/examples) under the fault explorer, one
// after another, with a progress bar, Ctrl-C (stops after the current run, with the reports so
// far) and the reports as text or JSON on stdout.
#pragma once

#include <nlohmann/json.hpp>

#include "options.hpp"
#include "vmio/testing/explorer.hpp"

namespace vmio::cli {

struct ExploreOutcome {
    bool finding = false;      ///< some example had a finding
    bool interrupted = false;  ///< Ctrl-C
};

/// Explores the request's examples and prints their reports.
[[nodiscard]] ExploreOutcome run_explorations(const ExploreRequest& request, bool json);

/// Prints every example with its summary and its planted bug.
void print_examples();

/// A report as JSON: counts per class by name, the first findings with layout and replay line.
[[nodiscard]] nlohmann::json to_json(const testing::Report& report);

}  // namespace vmio::cli
