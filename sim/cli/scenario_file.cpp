#include "scenario_file.hpp"

#include <fmt/core.h>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

namespace vmio::cli {

std::string content_name(std::span<const std::uint8_t> bytes) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const std::uint8_t byte : bytes) {
        hash = (hash ^ byte) * 0x100000001b3ULL;
    }
    return fmt::format("{:016x}", hash);
}

std::expected<std::filesystem::path, std::string> write_file_atomically(const std::filesystem::path& dir,
                                                                        const std::string& name,
                                                                        std::span<const std::uint8_t> bytes) {
    static std::uint64_t writes = 0;
    char host[256] = "host";
    gethostname(host, sizeof host - 1);
    const std::filesystem::path temporary = dir / fmt::format(".tmp-{}-{}-{}", host, getpid(), ++writes);
    const std::filesystem::path path = dir / name;
    std::ofstream out(temporary, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out || std::rename(temporary.c_str(), path.c_str()) != 0) {
        const int error = errno;
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        return std::unexpected(fmt::format("cannot write '{}': {}", path.string(), std::strerror(error)));
    }
    return path;
}

std::expected<std::filesystem::path, std::string> write_failure_file(const std::filesystem::path& dir,
                                                                     std::span<const std::uint8_t> input) {
    return write_file_atomically(dir, fmt::format("vmio-sim-failure-{}.bin", content_name(input)), input);
}

std::expected<std::vector<std::uint8_t>, std::string> read_regular_file(const std::filesystem::path& path) {
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
