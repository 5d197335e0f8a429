// The README's "Using the core" example, run: a copy that stops exactly at an inaccessible page.
#include <sys/mman.h>
#include <unistd.h>

#include <cassert>
#include <cstdint>
#include <cstdio>
#include <cstring>

// README:begin
#include <vmio/vmio.hpp>

// Copies up to n bytes that may run into memory that faults; reports where it stopped.
std::size_t copy_what_you_can(void* dst, const void* maybe_bad_src, std::size_t n) {
    const std::size_t got = vmio::memcpy_fallible(dst, maybe_bad_src, n);  // bytes copied, exact
    if (got < n) {
        if (const auto fault = vmio::last_fault()) {  // address, Read/Write, SIGSEGV/SIGBUS, pc
            std::printf("stopped after %zu bytes: fault at %#zx\n", got, static_cast<std::size_t>(fault->address));
        }
    }
    return got;
}

bool bump(std::uint32_t* counter) {  // a counter in memory that may fault
    const vmio::Result<std::uint32_t> seen = vmio::atomic_load_fallible(counter);  // value or PageFault
    if (!seen) {
        return false;
    }
    const auto swapped = vmio::atomic_compare_exchange_fallible(counter, *seen, *seen + 1);
    return swapped && swapped->exchanged;
}
// README:end

int main() {
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    auto* region = static_cast<std::uint8_t*>(
        mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    assert(region != MAP_FAILED);
    std::memset(region, 0x5a, page);
    mprotect(region + page, page, PROT_NONE);
    std::uint8_t out[64] = {};
    const std::size_t got = copy_what_you_can(out, region + page - 10, sizeof out);
    assert(got == 10 && out[9] == 0x5a && out[10] == 0);
    assert(vmio::last_fault()->address == reinterpret_cast<std::uintptr_t>(region + page));

    auto* counter = reinterpret_cast<std::uint32_t*>(region);
    *counter = 41;
    assert(bump(counter) && *counter == 42);
    assert(!bump(reinterpret_cast<std::uint32_t*>(region + page)));
    std::puts("ok");
}
