// The mmap operations that lay pages out in the user window.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>

namespace vmio::sim::detail {

/// Leaves [addr, addr+len) reserved but inaccessible (PROT_NONE, no memory committed).
void reserve(std::uintptr_t addr, std::size_t len);
/// Maps the page of `fd` at `offset` at `addr`, shared, with `prot`.
void map_file_page(std::uintptr_t addr, int fd, off_t offset, int prot);
/// Changes a page's protection; async-signal-safe.
bool protect_page(std::uintptr_t addr, int prot) noexcept;

}  // namespace vmio::sim::detail
