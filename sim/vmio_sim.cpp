// vmio-sim: fallible copies across an inaccessible page, and what vmio made of them.
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "vmio/vmio.hpp"

namespace {

const char* access_name(vmio::FaultAccess access) {
    switch (access) {
    case vmio::FaultAccess::Read: return "read";
    case vmio::FaultAccess::Write: return "write";
    case vmio::FaultAccess::Unknown: break;
    }
    return "unknown";
}

void report(const char* what, std::size_t asked, std::size_t done) {
    std::printf("%-44s asked %4zu, got %4zu", what, asked, done);
    if (const auto fault = vmio::last_fault(); fault && done < asked) {
        std::printf("  <- %s fault (%s) at %#zx\n", fault->signal == SIGBUS ? "SIGBUS" : "SIGSEGV",
                    access_name(fault->access), static_cast<std::size_t>(fault->address));
    } else {
        std::printf("\n");
    }
    vmio::clear_last_fault();
}

}  // namespace

int main() {
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    auto* region = static_cast<unsigned char*>(
        mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    if (region == MAP_FAILED) {
        std::perror("mmap");
        return 1;
    }
    unsigned char* edge = region + page;
    mprotect(edge, page, PROT_NONE);
    std::memset(region, 0xab, page);
    std::printf("layout: readable page at %p, inaccessible page at %p\n\n", static_cast<void*>(region),
                static_cast<void*>(edge));

    std::array<unsigned char, 256> buffer{};
    report("copy 100 bytes ending 40 past the edge", 100,
           vmio::memcpy_fallible(buffer.data(), edge - 60, 100));
    report("copy 64 bytes wholly before the edge", 64, vmio::memcpy_fallible(buffer.data(), edge - 64, 64));
    report("copy 16 bytes starting on the bad page", 16, vmio::memcpy_fallible(buffer.data(), edge + 8, 16));
    report("write 200 bytes into the last 33 good ones", 200, vmio::memcpy_fallible(edge - 33, buffer.data(), 200));
    report("fill 4096 bytes from 1000 before the edge", 4096, vmio::memset_fallible(edge - 1000, 0, 4096));

    const auto loaded = vmio::atomic_load_fallible(reinterpret_cast<const std::uint32_t*>(edge));
    const std::string_view outcome = loaded ? std::string_view("loaded") : vmio::to_string(loaded.error());
    std::printf("%-44s %.*s\n", "atomic load from the bad page", static_cast<int>(outcome.size()), outcome.data());
    std::printf("\nfaults recovered on this thread: %llu\n",
                static_cast<unsigned long long>(vmio::recovered_fault_count()));
    munmap(region, 2 * page);
    return 0;
}
