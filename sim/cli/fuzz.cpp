#include "fuzz.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <vector>

#include "cases.hpp"
#include "mutator.hpp"
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
};

std::vector<Bytes> load_corpus(const std::string& dir) {
    std::vector<Bytes> inputs;
    if (!dir.empty() && std::filesystem::is_directory(dir)) {
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            std::ifstream in(entry.path(), std::ios::binary);
            inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
    }
    for (std::uint64_t seed = 1; inputs.size() < 8; ++seed) {
        inputs.push_back(generate_bytes(seed));
    }
    return inputs;
}

}  // namespace

CaseRunner fuzz_runner(std::string corpus_dir) {
    auto pool = std::make_shared<Pool>(Pool{load_corpus(corpus_dir), {}});
    const std::string failure_dir = corpus_dir.empty() ? "." : corpus_dir;
    return [pool, failure_dir](std::uint64_t seed) {
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
        const CheckReport report = check_scenario(process_machine(), scenario, hooks);
        if (report.violation) {
            return run_bytes_case(input, failure_dir);  // runs it again, minimises and saves it
        }
        if (new_feature) {
            pool->inputs.push_back(input);
        }
        return CaseOutcome{report.stats, std::nullopt};
    };
}

}  // namespace vmio::cli
