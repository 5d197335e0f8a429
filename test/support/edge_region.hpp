// Test helper: a readable, writable page followed by a "bad" page, i.e. a page edge at
// which fallible operations must stop.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <stdexcept>

namespace vmio::test {

enum class BadPage {
    None,      ///< PROT_NONE: SIGSEGV on any access
    ReadOnly,  ///< PROT_READ: SIGSEGV on stores only
    Truncated, ///< MAP_SHARED memfd page beyond end of file: SIGBUS on any access
};

inline const char* name_of(BadPage kind) {
    switch (kind) {
    case BadPage::None: return "PROT_NONE";
    case BadPage::ReadOnly: return "read-only";
    case BadPage::Truncated: return "truncated memfd";
    }
    return "?";
}

inline std::size_t page_size() { return static_cast<std::size_t>(sysconf(_SC_PAGESIZE)); }

/// [good pages][bad page]; `edge()` is the first byte of the bad page.
class EdgeRegion {
public:
    explicit EdgeRegion(BadPage kind, std::size_t good_pages = 1)
        : kind_(kind), good_size_(good_pages * page_size()), size_(good_size_ + page_size()) {
        if (kind == BadPage::Truncated) {
            const int fd = memfd_create("vmio-edge", 0);
            if (fd < 0 || ftruncate(fd, static_cast<off_t>(good_size_)) != 0) {
                throw std::runtime_error("memfd");
            }
            base_ = static_cast<unsigned char*>(mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
            close(fd);
        } else {
            base_ = static_cast<unsigned char*>(
                mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
        }
        if (base_ == MAP_FAILED) {
            throw std::runtime_error("mmap");
        }
        if (kind != BadPage::Truncated) {
            mprotect(edge(), page_size(), kind == BadPage::None ? PROT_NONE : PROT_READ);
        }
    }
    ~EdgeRegion() { munmap(base_, size_); }
    EdgeRegion(const EdgeRegion&) = delete;
    EdgeRegion& operator=(const EdgeRegion&) = delete;

    [[nodiscard]] BadPage kind() const { return kind_; }
    [[nodiscard]] unsigned char* good() const { return base_; }
    [[nodiscard]] unsigned char* edge() const { return base_ + good_size_; }
    /// The signal an access to the bad page raises.
    [[nodiscard]] int signal() const { return kind_ == BadPage::Truncated ? SIGBUS : SIGSEGV; }

private:
    BadPage kind_;
    std::size_t good_size_;
    std::size_t size_;
    unsigned char* base_;
};

}  // namespace vmio::test
