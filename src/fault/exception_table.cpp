#include "exception_table.hpp"

#include <algorithm>
#include <span>

namespace {

// Faults at any pc in [start, end) resume at fixup. Ranges never overlap.
struct Entry {
    std::uintptr_t start;
    std::uintptr_t end;
    std::uintptr_t fixup;
};

}  // namespace

// Provided by the linker around the section. Hidden, so that each DSO that links vmio
// finds its own table.
extern "C" {
extern Entry __start___vmio_extable[] __attribute__((visibility("hidden")));
extern Entry __stop___vmio_extable[] __attribute__((visibility("hidden")));
}

namespace vmio::detail {
namespace {

std::span<Entry> table() noexcept {
    return {__start___vmio_extable, __stop___vmio_extable};
}

}  // namespace

void sort_exception_table() noexcept {
    std::ranges::sort(table(), {}, &Entry::start);
}

std::uintptr_t find_fixup(std::uintptr_t pc) noexcept {
    const auto entries = table();
    // The last entry that starts at or before pc is the only one that can hold it.
    const auto after = std::ranges::upper_bound(entries, pc, {}, &Entry::start);
    if (after == entries.begin()) {
        return 0;
    }
    const Entry& candidate = *(after - 1);
    return pc < candidate.end ? candidate.fixup : 0;
}

}  // namespace vmio::detail
