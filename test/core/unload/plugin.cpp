// A plugin linked with libvmio, for the unload test: one faulting copy through the raw C
// routine, which leaves no per-thread state behind that could keep the library loaded.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>

#include "vmio/fallible.h"

extern "C" std::size_t plugin_faulting_copy() {
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    auto* region = static_cast<unsigned char*>(
        mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    mprotect(region + page, page, PROT_NONE);
    unsigned char out[32];
    const std::size_t copied = sizeof out - vmio_memcpy_fallible(out, region + page - 8, sizeof out);
    munmap(region, 2 * page);
    return copied;
}
