// A corpus directory that several fuzz campaigns share — workers of one campaign, shards on other
// machines through a shared file system: each input a worker keeps (it reached an operation
// outcome the worker had not seen) is written to it, and the inputs the others wrote are read
// back every few seconds.
//
// Files are named by the hash of their bytes (scenario_file.hpp), so an input kept by two
// writers is one file, and written through a temporary dot-file and a rename, so a reader sees a
// whole file or none; dot-files are never read. Any regular file put there is an input (the
// seed corpus may be copied in). A file that cannot be read or written is skipped: sharing
// never stops a campaign.
#pragma once

#include <chrono>
#include <filesystem>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "mutator.hpp"

namespace vmio::cli {

class SharedCorpus {
public:
    /// Shares `dir` (which must exist), reading it back at most every `period`.
    explicit SharedCorpus(std::filesystem::path dir, std::chrono::milliseconds period = std::chrono::seconds(2));

    /// Writes `input` into the directory unless this corpus already knows a file of that name.
    void add(std::span<const std::uint8_t> input);

    /// The inputs in the directory this corpus has not seen yet (read or added), by name.
    [[nodiscard]] std::vector<Bytes> take_new();

    /// take_new() if `period` has passed since the directory was last read; none otherwise.
    [[nodiscard]] std::vector<Bytes> take_new_if_due();

    [[nodiscard]] const std::filesystem::path& directory() const noexcept { return dir_; }

private:
    std::filesystem::path dir_;
    std::chrono::milliseconds period_;
    std::chrono::steady_clock::time_point last_read_{};
    std::set<std::string> known_;  // file names read or written
};

}  // namespace vmio::cli
