#include "fuzz.hpp"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <fmt/core.h>
#include <random>
#include <set>
#include <vector>

#include "cases.hpp"
#include "scenario_file.hpp"
#include "vmio/sim/machine.hpp"
#include "vmio/check/scenario.hpp"
#include "vmio/check/scenario_check.hpp"

namespace vmio::cli {

using namespace vmio::check;
namespace {

// The worker's evolving state (one per process: the campaign forks after this is built).
struct Pool {
    std::vector<Bytes> inputs;
    std::set<std::uint32_t> features;  // (operation kind, error, partial?) seen so far
    std::optional<SharedCorpus> shared;
};

}  // namespace

std::expected<std::vector<Bytes>, std::string> read_corpus(const std::string& dir) {
    std::vector<std::filesystem::path> files;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
        if (entry.is_regular_file() && !entry.path().filename().string().starts_with('.')) {
            files.push_back(entry.path());
        }
    }
    if (error) {
        return std::unexpected(fmt::format("cannot read the directory '{}': {}", dir, error.message()));
    }
    std::ranges::sort(files);
    std::vector<Bytes> inputs;
    for (const auto& file : files) {
        auto bytes = read_regular_file(file);
        if (!bytes) {
            return std::unexpected(bytes.error());
        }
        inputs.push_back(std::move(*bytes));
    }
    return inputs;
}

CaseRunner fuzz_runner(std::vector<Bytes> corpus, std::optional<SharedCorpus> shared) {
    if (shared) {
        std::ranges::move(shared->take_new(), std::back_inserter(corpus));
    }
    for (std::uint64_t seed = 1; corpus.size() < 8; ++seed) {
        corpus.push_back(generate_bytes(seed));
    }
    auto pool = std::make_shared<Pool>(Pool{std::move(corpus), {}, std::move(shared)});
    return [pool](std::uint64_t seed) {
        if (pool->shared) {
            std::ranges::move(pool->shared->take_new_if_due(), std::back_inserter(pool->inputs));
        }
        std::mt19937_64 random(seed);
        Bytes input = pool->inputs[random() % pool->inputs.size()];
        for (std::uint64_t n = 1 + random() % 4; n > 0; --n) {
            mutate(input, pool->inputs, random);
        }
        bool new_feature = false;
        const Scenario scenario = decode_scenario(input);
        CheckHooks hooks{.on_operation = [&](std::size_t index, const std::string&, const OperationOutcome& outcome) {
            const auto kind = static_cast<std::uint32_t>(scenario.operations[index].kind);
            const std::uint32_t error = outcome.error ? static_cast<std::uint32_t>(*outcome.error) + 1 : 0;
            const std::uint32_t partial = outcome.count > 0 ? 1 : 0;
            new_feature |= pool->features.insert(kind << 8 | error << 1 | partial).second;
        },
                         .alter_expectation = {}};
        CheckReport report;
        try {
            report = check_scenario(process_machine(), scenario, hooks);
        } catch (const std::exception& error) {  // kept with its input: the seed cannot replay it
            return CaseOutcome{{},
                               CaseFailure{.kind = FailureKind::Exception,
                                           .invariant = {},
                                           .operation = std::nullopt,
                                           .description = fmt::format("the case threw an exception: {}", error.what()),
                                           .input = input,
                                           .case_bytes = input.size()}};
        }
        if (report.violation) {
            return run_bytes_case(input);  // runs it again and minimises it
        }
        if (new_feature) {
            if (pool->shared) {
                pool->shared->add(input);
            }
            pool->inputs.push_back(std::move(input));
        }
        return CaseOutcome{report.stats, std::nullopt};
    };
}

}  // namespace vmio::cli
