#include "vmio/check/model.hpp"

#include <algorithm>

#include "vmio/sim/layout.hpp"

namespace vmio::check::model {

using namespace vmio::sim;  // the simulator this component checks
namespace {

// Whether an access of `kind` gets through a page, updating the page as the fault path would.
bool passes(PageTable& pages, std::uintptr_t page, Access kind) {
    const auto found = pages.find(page);
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

// What a read of the user range sees: unresolved demand-zero pages read as zero.
std::vector<std::byte> as_read(const PageTable& pages, std::uintptr_t addr, std::span<const std::byte> bytes) {
    std::vector<std::byte> seen(bytes.begin(), bytes.end());
    for (std::size_t i = 0; i < seen.size(); ++i) {
        const auto found = pages.find((addr + i) & ~(page_size - 1));
        if (found != pages.end() && found->second.state == PageState::DemandZero) {
            seen[i] = std::byte{0};
        }
    }
    return seen;
}

Expected finish(AccessOutcome outcome, std::size_t len, std::vector<std::byte> destination) {
    return {copy_result(outcome.done, len), std::move(destination), std::move(outcome.pages)};
}

}  // namespace

AccessOutcome access(PageTable pages, std::uintptr_t addr, std::size_t len, Access kind) {
    std::size_t done = 0;
    while (done < len) {
        const std::uintptr_t at = addr + done;
        const std::uintptr_t page = at & ~(page_size - 1);
        if (!passes(pages, page, kind)) {
            break;
        }
        done += std::min(len - done, page + page_size - at);
    }
    return {done, std::move(pages)};
}

Expected copy_from_user(const PageTable& pages, std::uintptr_t addr, std::span<const std::byte> user_bytes,
                        std::span<const std::byte> kernel_before) {
    AccessOutcome outcome = access(pages, addr, user_bytes.size(), Access::Read);
    std::vector<std::byte> kernel(kernel_before.begin(), kernel_before.end());
    std::ranges::copy(as_read(pages, addr, user_bytes.first(outcome.done)), kernel.begin());
    return finish(std::move(outcome), user_bytes.size(), std::move(kernel));
}

Expected copy_to_user(const PageTable& pages, std::uintptr_t addr, std::span<const std::byte> kernel_bytes,
                      std::span<const std::byte> user_before) {
    AccessOutcome outcome = access(pages, addr, kernel_bytes.size(), Access::Write);
    std::vector<std::byte> user = as_read(pages, addr, user_before);
    std::ranges::copy(kernel_bytes.first(outcome.done), user.begin());
    return finish(std::move(outcome), kernel_bytes.size(), std::move(user));
}

Expected fill_user(const PageTable& pages, std::uintptr_t addr, std::byte value, std::span<const std::byte> user_before) {
    AccessOutcome outcome = access(pages, addr, user_before.size(), Access::Write);
    std::vector<std::byte> user = as_read(pages, addr, user_before);
    std::fill_n(user.begin(), outcome.done, value);
    return finish(std::move(outcome), user_before.size(), std::move(user));
}

}  // namespace vmio::check::model
