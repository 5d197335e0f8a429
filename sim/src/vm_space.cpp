#include "vmio/sim/vm_space.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <new>
#include <stdexcept>

#include "user_window.hpp"
#include "vmio/copy.hpp"
#include "vmio/detail/range.hpp"
#include "vmio/sim/machine.hpp"

namespace vmio::sim {
namespace {

int protection_of(const PageStatus& status) {
    switch (status.state) {
    case PageState::ReadWrite: return PROT_READ | PROT_WRITE;
    case PageState::ReadOnly: return PROT_READ;
    case PageState::FaultOnTouch: return status.resident ? PROT_READ | PROT_WRITE : PROT_NONE;
    case PageState::Truncated: return PROT_READ | PROT_WRITE;
    case PageState::DemandZero:
    case PageState::Inaccessible: break;
    }
    return PROT_NONE;
}

}  // namespace

VmSpace::VmSpace(Machine& machine)
    : machine_(machine), entries_(std::make_unique<PageEntry[]>(machine.layout().user_pages())) {}

VmSpace::~VmSpace() {
    if (is_active()) {
        machine_.activate(nullptr);
    }
}

const Layout& VmSpace::layout() const noexcept { return machine_.layout(); }

std::uintptr_t VmSpace::page_address(std::size_t index) const noexcept {
    return machine_.layout().user_begin + index * page_size;
}

std::size_t VmSpace::page_index(std::uintptr_t addr, std::size_t pages) const {
    const Layout& layout = machine_.layout();
    if (addr % page_size != 0 || !layout.is_user(addr) || pages > (layout.user_end - addr) / page_size) {
        throw std::invalid_argument("vmio-sim: pages not page-aligned or not in the user window");
    }
    return (addr - layout.user_begin) / page_size;
}

PageStatus VmSpace::load(std::size_t index) const noexcept {
    const PageEntry& entry = entries_[index];
    return {entry.state.load(), entry.failing_touch.load(), entry.touches.load(), entry.resident.load()};
}

void VmSpace::set_page(std::size_t index, PageStatus status, std::optional<Frame> frame) {
    PageEntry& entry = entries_[index];
    entry.state = PageState::Inaccessible;  // never half-updated in the handler's eyes
    entry.failing_touch = status.failing_touch;
    entry.touches = 0;
    entry.resident = false;
    entry.faults = 0;
    if (frame) {
        frames_.insert_or_assign(index, std::move(*frame));
    } else {
        frames_.erase(index);
    }
    entry.state = status.state;
    if (is_active()) {
        install(index);
    }
}

void VmSpace::map(std::uintptr_t addr, const Segment& segment, PageStatus status) {
    if (status.state != PageState::ReadWrite && status.state != PageState::ReadOnly &&
        status.state != PageState::FaultOnTouch) {
        throw std::invalid_argument("vmio-sim: a frame is mapped ReadWrite, ReadOnly or FaultOnTouch");
    }
    const std::size_t first = page_index(addr, segment.frames());
    for (std::size_t i = 0; i < segment.frames(); ++i) {
        set_page(first + i, status, segment.frame(i));
    }
}

// A fresh frame for page `index`: the one the window maps there now if it is free, so that
// laying a space out where another was costs no mmap.
Result<Frame> VmSpace::fresh_frame(std::size_t index) {
    const Machine::WindowPage& shown = machine_.window_[index];
    if (shown.fd == machine_.memory().fd()) {
        return machine_.memory().alloc_frame_preferring(static_cast<std::uintptr_t>(shown.offset));
    }
    return machine_.memory().alloc_frame();
}

void VmSpace::set_pages(std::uintptr_t addr, std::size_t pages, PageStatus status) {
    if (status.state == PageState::FaultOnTouch && status.failing_touch == 0) {
        throw std::invalid_argument("vmio-sim: FaultOnTouch needs k >= 1");
    }
    const std::size_t first = page_index(addr, pages);
    for (std::size_t index = first; index < first + pages; ++index) {
        std::optional<Frame> frame;
        if (has_frame(status.state)) {
            const auto held = frames_.find(index);
            if (held != frames_.end() && status.state != PageState::DemandZero) {
                frame = held->second;
            } else if (held != frames_.end() && held->second.block_.use_count() == 1) {
                // A frame nobody else holds, mapped nowhere else: as good as a fresh one once
                // zeroed, and the window need not map another.
                frame = held->second;
                std::memset(frame->bytes().data(), 0, frame->size());
            } else if (auto fresh = fresh_frame(index)) {
                frame = std::move(*fresh);
            } else {
                throw std::bad_alloc();
            }
        }
        set_page(index, status, std::move(frame));
    }
}

void VmSpace::lay_out(std::uintptr_t addr, std::span<const PageStatus> pages, std::span<const std::byte> content) {
    for (std::size_t i = 0; i < pages.size(); ++i) {
        const std::uintptr_t page = addr + i * page_size;
        set_pages(page, 1, pages[i]);
        if (pages[i].state != PageState::DemandZero && i * page_size < content.size()) {
            poke(page, content.subspan(i * page_size, std::min(page_size, content.size() - i * page_size)));
        }
    }
}

PageStatus VmSpace::status(std::uintptr_t addr) const {
    return load(page_index(addr - addr % page_size, 1));
}

std::uint32_t VmSpace::faults(std::uintptr_t addr) const {
    return entries_[page_index(addr - addr % page_size, 1)].faults.load();
}

void VmSpace::read_pages(std::uintptr_t addr, std::span<PageReading> out) const {
    const std::size_t first = page_index(addr, out.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = {load(first + i), entries_[first + i].faults.load()};
    }
}

PageTable VmSpace::page_table() const {
    PageTable table;
    for (std::size_t index = 0; index < machine_.layout().user_pages(); ++index) {
        if (const PageStatus status = load(index); status.state != PageState::Inaccessible) {
            table.emplace(page_address(index), status);
        }
    }
    return table;
}

void VmSpace::activate() { machine_.activate(this); }

bool VmSpace::is_active() const noexcept { return machine_.active_space() == this; }

// Asks the Machine to show the page; it maps it again only if what the window holds there differs.
// (Batching the protection changes of neighbouring pages into one mprotect was measured slower:
// an mprotect over several mappings costs more than the calls it saves.)
void VmSpace::install(std::size_t index) {
    const PageStatus status = load(index);
    if (status.state == PageState::Truncated) {
        machine_.show(index, machine_.truncated_file_, 0, protection_of(status));
    } else if (status.state == PageState::Inaccessible) {
        machine_.show(index, -1, 0, PROT_NONE);
    } else if (const auto frame = frames_.find(index); frame != frames_.end()) {
        machine_.show(index, machine_.memory().fd(), static_cast<off_t>(frame->second.paddr()), protection_of(status));
    } else {
        machine_.show(index, -1, 0, PROT_NONE);
    }
}

void VmSpace::install_all() {
    const std::size_t pages = machine_.layout().user_pages();
    for (std::size_t index = 0; index < pages; ++index) {
        PageEntry& entry = entries_[index];
        entry.resident.store(false, std::memory_order_relaxed);  // re-arms FaultOnTouch pages
        if (entry.state.load(std::memory_order_relaxed) != PageState::Inaccessible ||
            machine_.window_[index].prot.load(std::memory_order_relaxed) != PROT_NONE) {
            install(index);  // (an Inaccessible page the window shows inaccessible needs nothing)
        }
    }
}

Result<std::span<std::byte>> VmSpace::user_range(std::uintptr_t addr, std::size_t len) const {
    const Layout& layout = machine_.layout();
    if (!is_active() || !vmio::detail::range_within(addr, len, layout.user_begin, layout.user_end)) {
        return std::unexpected(Error::AccessDenied);
    }
    return std::span(reinterpret_cast<std::byte*>(addr), len);
}

Result<VmReader<Fallible>> VmSpace::reader(std::uintptr_t addr, std::size_t len) const {
    const auto range = user_range(addr, len);
    if (!range) {
        return std::unexpected(range.error());
    }
    return VmReader<Fallible>::from_user_space(range->data(), range->size(), safety::UserSpace{});
}

Result<VmWriter<Fallible>> VmSpace::writer(std::uintptr_t addr, std::size_t len) const {
    const auto range = user_range(addr, len);
    if (!range) {
        return std::unexpected(range.error());
    }
    return VmWriter<Fallible>::from_user_space(range->data(), range->size(), safety::UserSpace{});
}

CopyResult VmSpace::copy_from_user(std::uintptr_t addr, std::span<std::byte> to) const {
    auto from = reader(addr, to.size());
    if (!from) {
        return std::unexpected(CopyError{from.error(), 0});
    }
    VmWriter<Infallible> into(to);
    return from->read_fallible(into);
}

CopyResult VmSpace::copy_to_user(std::uintptr_t addr, std::span<const std::byte> from) const {
    auto to = writer(addr, from.size());
    if (!to) {
        return std::unexpected(CopyError{to.error(), 0});
    }
    VmReader<Infallible> source(from);
    return to->write_fallible(source);
}

template <typename Visit>
void VmSpace::for_each_frame_piece(std::uintptr_t addr, std::size_t len, Visit visit) const {
    const Layout& layout = machine_.layout();
    if (!vmio::detail::range_within(addr, len, layout.user_begin, layout.user_end)) {
        throw std::invalid_argument("vmio-sim: range not in the user window");
    }
    const std::uintptr_t end = addr + len;
    for (std::uintptr_t at = addr; at < end;) {
        const std::size_t index = (at - layout.user_begin) / page_size;
        const std::size_t in_page = (at - layout.user_begin) % page_size;
        const std::size_t piece = std::min(page_size - in_page, end - at);
        const auto frame = frames_.find(index);
        visit(at - addr, piece,
              frame == frames_.end() ? std::span<std::byte>() : frame->second.bytes().subspan(in_page, piece));
        at += piece;
    }
}

std::vector<std::byte> VmSpace::peek(std::uintptr_t addr, std::size_t len) const {
    std::vector<std::byte> bytes(len);
    peek(addr, bytes);
    return bytes;
}

void VmSpace::peek(std::uintptr_t addr, std::span<std::byte> into) const {
    for_each_frame_piece(addr, into.size(), [&](std::size_t offset, std::size_t size, std::span<std::byte> frame) {
        if (frame.empty()) {  // memcpy / memset: ranges::copy moves std::byte one at a time
            std::memset(into.data() + offset, 0, size);
        } else {
            std::memcpy(into.data() + offset, frame.data(), size);
        }
    });
}

bool VmSpace::holds(std::uintptr_t addr, std::span<const std::byte> bytes) const {
    static constexpr std::array<std::byte, page_size> zeros{};
    bool same = true;
    for_each_frame_piece(addr, bytes.size(), [&](std::size_t offset, std::size_t size, std::span<std::byte> frame) {
        same = same && std::memcmp(bytes.data() + offset, frame.empty() ? zeros.data() : frame.data(), size) == 0;
    });
    return same;
}

void VmSpace::poke(std::uintptr_t addr, std::span<const std::byte> bytes) {
    for_each_frame_piece(addr, bytes.size(), [&](std::size_t offset, std::size_t size, std::span<std::byte> frame) {
        if (!frame.empty()) {
            std::memcpy(frame.data(), bytes.data() + offset, size);
        }
    });
}

}  // namespace vmio::sim
