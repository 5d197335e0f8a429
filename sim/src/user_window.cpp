#include "user_window.hpp"

#include <sys/mman.h>

#include <cerrno>
#include <system_error>

#include "vmio/sim/layout.hpp"

namespace vmio::sim::detail {
namespace {

void map_fixed(std::uintptr_t addr, std::size_t len, int prot, int flags, int fd, off_t offset) {
    void* at = reinterpret_cast<void*>(addr);
    if (mmap(at, len, prot, flags | MAP_FIXED, fd, offset) != at) {
        throw std::system_error(errno, std::system_category(), "vmio-sim: mmap in the user window");
    }
}

}  // namespace

void reserve(std::uintptr_t addr, std::size_t len) {
    map_fixed(addr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
}

void map_file_page(std::uintptr_t addr, int fd, off_t offset, int prot) {
    map_fixed(addr, page_size, prot, MAP_SHARED, fd, offset);
}

bool protect_page(std::uintptr_t addr, int prot) noexcept {
    return mprotect(reinterpret_cast<void*>(addr), page_size, prot) == 0;
}

}  // namespace vmio::sim::detail
