#include "vmio/check/model.hpp"

#include <algorithm>
#include <cstring>

#include "page_rules.hpp"
#include "vmio/sim/layout.hpp"

namespace vmio::check::model {

using namespace vmio::sim;  // the simulator this component checks
using rules::Walk;
namespace {

// Whether an access of `kind` gets through a page, updating the page as the fault path would.
bool passes(PageTable& pages, PageTable::iterator found, Access kind) {
    if (found == pages.end()) {
        return false;
    }
    PageStatus& status = found->second;
    switch (status.state) {
    case PageState::ReadWrite: return true;
    case PageState::ReadOnly: return kind == Access::Read;
    case PageState::DemandZero: status.state = PageState::ReadWrite; return true;
    case PageState::FaultOnTouch:
        if (status.resident) {
            return true;
        }
        if (++status.touches < status.failing_touch) {
            status.resident = true;
            return true;
        }
        pages.erase(found);
        return false;
    case PageState::Inaccessible:
    case PageState::Truncated: break;
    }
    return false;
}

// Walks the page-bounded pieces of [addr, addr + len) in order while `piece(offset, size, state
// before, passed)` returns true; an access of `kind` goes through each piece until one fails.
// After the access stopped, the walk goes on (passed false, the table unchanged) as long as
// `after` asks for it.
template <typename Piece>
Walk walk(PageTable& pages, std::uintptr_t addr, std::size_t len, Access kind, bool after, Piece piece) {
    Walk result;
    bool going = true;
    for (std::size_t offset = 0; offset < len;) {
        const std::uintptr_t at = addr + offset;
        const std::uintptr_t page = at & ~(page_size - 1);
        const std::size_t size = std::min(len - offset, page + page_size - at);
        const auto found = pages.find(page);
        const PageState before = found == pages.end() ? PageState::Inaccessible : found->second.state;
        if (going && !passes(pages, found, kind)) {
            going = false;
            result.done = offset;
            result.stopped_by = before;
            if (!after) {
                return result;
            }
        }
        piece(offset, size, before, going);
        offset += size;
    }
    if (going) {
        result.done = len;
    }
    return result;
}

Expected finish(std::size_t done, std::size_t len, std::vector<std::byte> destination, PageTable pages) {
    return {copy_result(done, len), std::move(destination), std::move(pages)};
}

}  // namespace

namespace rules {

Walk access(PageTable& pages, std::uintptr_t addr, std::size_t len, Access kind) {
    return walk(pages, addr, len, kind, false, [](std::size_t, std::size_t, PageState, bool) {});
}

// What a read of the user range sees: unresolved demand-zero pages read as zero.
Walk copy_from_user(PageTable& pages, std::uintptr_t addr, std::span<const std::byte> user, std::span<std::byte> into) {
    return walk(pages, addr, user.size(), Access::Read, false,
                [&](std::size_t offset, std::size_t size, PageState before, bool passed) {
                    if (!passed) {
                        return;
                    }
                    if (before == PageState::DemandZero) {
                        std::memset(into.data() + offset, 0, size);
                    } else {
                        std::memcpy(into.data() + offset, user.data() + offset, size);
                    }
                });
}

Walk write_to_user(PageTable& pages, std::uintptr_t addr, const std::byte* from, std::byte value,
                   std::span<std::byte> user) {
    return walk(pages, addr, user.size(), Access::Write, true,
                [&](std::size_t offset, std::size_t size, PageState before, bool passed) {
                    if (passed && from != nullptr) {
                        std::memcpy(user.data() + offset, from + offset, size);
                    } else if (passed) {
                        std::memset(user.data() + offset, std::to_integer<int>(value), size);
                    } else if (before == PageState::DemandZero) {
                        std::memset(user.data() + offset, 0, size);
                    }
                });
}

}  // namespace rules

AccessOutcome access(PageTable pages, std::uintptr_t addr, std::size_t len, Access kind) {
    const std::size_t done = rules::access(pages, addr, len, kind).done;
    return {done, std::move(pages)};
}

Expected copy_from_user(const PageTable& pages, std::uintptr_t addr, std::span<const std::byte> user_bytes,
                        std::span<const std::byte> kernel_before) {
    PageTable after = pages;
    std::vector<std::byte> kernel(kernel_before.begin(), kernel_before.end());
    const Walk walked = rules::copy_from_user(after, addr, user_bytes, std::span(kernel).first(user_bytes.size()));
    return finish(walked.done, user_bytes.size(), std::move(kernel), std::move(after));
}

Expected copy_to_user(const PageTable& pages, std::uintptr_t addr, std::span<const std::byte> kernel_bytes,
                      std::span<const std::byte> user_before) {
    PageTable after = pages;
    std::vector<std::byte> user(user_before.begin(), user_before.end());
    const Walk walked = rules::write_to_user(after, addr, kernel_bytes.data(), std::byte{0}, user);
    return finish(walked.done, kernel_bytes.size(), std::move(user), std::move(after));
}

Expected fill_user(const PageTable& pages, std::uintptr_t addr, std::byte value, std::span<const std::byte> user_before) {
    PageTable after = pages;
    std::vector<std::byte> user(user_before.begin(), user_before.end());
    const Walk walked = rules::write_to_user(after, addr, nullptr, value, user);
    return finish(walked.done, user_before.size(), std::move(user), std::move(after));
}

}  // namespace vmio::check::model
