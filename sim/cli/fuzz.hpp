// vmio-sim fuzz: byte strings mutated from a pool (the corpus, then every input that reached an
// operation outcome not seen before in this worker) and decoded by the same decoder as check.
// A fuzz case depends on its worker's pool, not only on its seed: a failure is replayed from its
// input (the failure file), never from the case seed.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "campaign.hpp"
#include "mutator.hpp"
#include "shared_corpus.hpp"

namespace vmio::cli {

/// The regular files of a corpus directory, by name, but dot-files (a shared corpus's files being
/// written); or why one cannot be read.
[[nodiscard]] std::expected<std::vector<Bytes>, std::string> read_corpus(const std::string& dir);

/// A case runner for run_campaign (with replays_by_seed false): each case seed picks and mutates
/// an input of the worker's pool, which starts as `corpus` (topped up to 8 inputs with
/// generated ones). With a shared corpus, the inputs the worker keeps are written to it and the
/// others' are added to the pool as they appear.
[[nodiscard]] CaseRunner fuzz_runner(std::vector<Bytes> corpus, std::optional<SharedCorpus> shared = std::nullopt);

}  // namespace vmio::cli
