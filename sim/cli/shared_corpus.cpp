#include "shared_corpus.hpp"

#include <algorithm>

#include "scenario_file.hpp"

namespace vmio::cli {

SharedCorpus::SharedCorpus(std::filesystem::path dir, std::chrono::milliseconds period)
    : dir_(std::move(dir)), period_(period) {}

void SharedCorpus::add(std::span<const std::uint8_t> input) {
    const std::string name = content_name(input);
    if (known_.insert(name).second) {
        (void)write_file_atomically(dir_, name, input);
    }
}

std::vector<Bytes> SharedCorpus::take_new() {
    last_read_ = std::chrono::steady_clock::now();
    std::vector<std::filesystem::path> fresh;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir_, error)) {
        const std::string name = entry.path().filename().string();
        if (!name.starts_with('.') && entry.is_regular_file(error) && !known_.contains(name)) {
            fresh.push_back(entry.path());
        }
    }
    std::ranges::sort(fresh);
    std::vector<Bytes> inputs;
    for (const std::filesystem::path& path : fresh) {
        if (auto bytes = read_regular_file(path)) {
            known_.insert(path.filename().string());
            inputs.push_back(std::move(*bytes));
        }
    }
    return inputs;
}

std::vector<Bytes> SharedCorpus::take_new_if_due() {
    if (std::chrono::steady_clock::now() - last_read_ < period_) {
        return {};
    }
    return take_new();
}

}  // namespace vmio::cli
