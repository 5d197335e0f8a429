// Files of scenario bytes: the failure files a campaign writes (its reported failure's minimised
// input, named vmio-sim-failure-<FNV-1a hash of the contents, 16 hex digits>.bin), read back by
// `vmio-sim replay FILE`, and fuzz's corpus files; and the reading of any input file (merge's
// reports too), with a reason when it cannot be read. Files are written under a temporary name
// (a dot-name unique to the host, process and write) and renamed into place: a reader, even on
// another machine sharing the directory, sees a whole file or none.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace vmio::cli {

/// The FNV-1a hash of `bytes` as 16 hex digits: the name part that identifies a content.
[[nodiscard]] std::string content_name(std::span<const std::uint8_t> bytes);

/// Writes `bytes` to `dir / name` through a temporary dot-file and a rename; the path, or why it
/// could not be written (the temporary file is removed).
[[nodiscard]] std::expected<std::filesystem::path, std::string> write_file_atomically(
    const std::filesystem::path& dir, const std::string& name, std::span<const std::uint8_t> bytes);

/// Writes `input` to a failure file in `dir`; its path, or why it could not be written.
[[nodiscard]] std::expected<std::filesystem::path, std::string> write_failure_file(
    const std::filesystem::path& dir, std::span<const std::uint8_t> input);

/// The bytes of a regular file, or why they cannot be read ("'/tmp' is a directory").
[[nodiscard]] std::expected<std::vector<std::uint8_t>, std::string> read_regular_file(
    const std::filesystem::path& path);

}  // namespace vmio::cli
