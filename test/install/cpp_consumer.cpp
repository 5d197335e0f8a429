// Install test: a C++ program using vmio's core API, built against the installed tree.
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <span>

#include <vmio/version.h>
#include <vmio/vmio.hpp>

int main() {
    std::printf("vmio %s\n", VMIO_VERSION_STRING);

    const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    auto* mem = static_cast<std::uint8_t*>(
        mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    if (mem == MAP_FAILED || mprotect(mem + page, page, PROT_NONE) != 0) {
        std::perror("mmap");
        return 2;
    }
    std::memset(mem, 0x5a, page);

    // The raw routine: bytes copied, exact, and the fault recorded.
    std::array<std::uint8_t, 64> dst{};
    const std::size_t copied = vmio::memcpy_fallible(dst.data(), mem + page - 16, dst.size());
    const auto fault = vmio::last_fault();
    if (copied != 16 || !fault) {
        std::fprintf(stderr, "memcpy_fallible copied %zu bytes, expected 16\n", copied);
        return 1;
    }

    // The cursors: a fallible reader of "user" memory into an infallible writer.
    auto reader = vmio::VmReader<>::from_user_space(mem + page - 24, 40, vmio::safety::UserSpace{});
    std::array<std::uint8_t, 40> buf{};
    vmio::VmWriter writer{std::span(buf)};
    const vmio::CopyResult result = reader.read_fallible(writer);
    if (result || result.error().error != vmio::Error::PageFault || result.error().copied != 24) {
        std::fprintf(stderr, "read_fallible did not stop after exactly 24 bytes\n");
        return 1;
    }

    // An object with the VmIo family.
    vmio::VmBuffer buffer(64);
    if (!buffer.write_val(8, std::uint32_t{7}) || buffer.read_val<std::uint32_t>(8).value_or(0) != 7) {
        std::fprintf(stderr, "VmBuffer write_val/read_val failed\n");
        return 1;
    }
    std::printf("C++ consumer: %zu of 64 bytes copied, reader stopped after %zu\n", copied, result.error().copied);
    return 0;
}
