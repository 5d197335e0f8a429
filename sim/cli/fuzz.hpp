// vmio-sim fuzz: byte strings mutated from a pool (the corpus, then every input that reached an
// operation outcome not seen before in this worker) and decoded by the same decoder as check.
#pragma once

#include <string>

#include "campaign.hpp"

namespace vmio::cli {

/// A case runner for run_campaign: each case seed picks and mutates an input of the worker's
/// pool. `corpus_dir` (may be empty) holds the starting inputs; failures are written there, or
/// to the current directory.
[[nodiscard]] CaseRunner fuzz_runner(std::string corpus_dir);

}  // namespace vmio::cli
