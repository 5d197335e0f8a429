// Files of scenario bytes: the failure files a campaign writes (its reported failure's minimised
// input, named vmio-sim-failure-<FNV-1a hash of the contents, 16 hex digits>.bin), read back by
// `vmio-sim replay FILE`, and fuzz's corpus files.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace vmio::cli {

/// Writes `input` to a failure file in `dir`; its path, or why it could not be written.
[[nodiscard]] std::expected<std::filesystem::path, std::string> write_failure_file(
    const std::filesystem::path& dir, std::span<const std::uint8_t> input);

/// The bytes of a regular file, or why they cannot be read ("'/tmp' is a directory").
[[nodiscard]] std::expected<std::vector<std::uint8_t>, std::string> read_scenario_file(
    const std::filesystem::path& path);

}  // namespace vmio::cli
