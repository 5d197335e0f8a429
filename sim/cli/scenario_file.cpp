#include "scenario_file.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace vmio::cli {

std::expected<std::filesystem::path, std::string> write_failure_file(const std::filesystem::path& dir,
                                                                     std::span<const std::uint8_t> input) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const std::uint8_t byte : input) {
        hash = (hash ^ byte) * 0x100000001b3ULL;
    }
    const std::filesystem::path path = dir / fmt::format("vmio-sim-failure-{:016x}.bin", hash);
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(input.data()), static_cast<std::streamsize>(input.size()));
    out.close();
    if (!out) {
        return std::unexpected(fmt::format("cannot write '{}': {}", path.string(), std::strerror(errno)));
    }
    return path;
}

std::expected<std::vector<std::uint8_t>, std::string> read_scenario_file(const std::filesystem::path& path) {
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (error) {
        return std::unexpected(fmt::format("cannot read '{}': {}", path.string(), error.message()));
    }
    if (!std::filesystem::is_regular_file(status)) {
        return std::unexpected(fmt::format("'{}' is {}, not a file", path.string(),
                                           std::filesystem::is_directory(status) ? "a directory" : "special"));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::unexpected(fmt::format("cannot read '{}': {}", path.string(), std::strerror(errno)));
    }
    try {  // libstdc++'s filebuf throws on a read error
        return std::vector<std::uint8_t>{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    } catch (const std::exception& failure) {
        return std::unexpected(fmt::format("cannot read '{}': {}", path.string(), failure.what()));
    }
}

}  // namespace vmio::cli
