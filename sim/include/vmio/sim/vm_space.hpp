// A user address space: frames mapped at user pages in given states, live in the Machine's
// user window while the space is active. Unmapped or faulting pages are found lazily, by the
// fault path, never checked up front.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "vmio/error.hpp"
#include "vmio/reader.hpp"
#include "vmio/writer.hpp"
#include "vmio/sim/layout.hpp"
#include "vmio/sim/page_state.hpp"
#include "vmio/sim/page_table.hpp"
#include "vmio/sim/segment.hpp"

namespace vmio::sim {

class Machine;

class VmSpace {
public:
    /// An empty space: every user page Inaccessible.
    explicit VmSpace(Machine& machine);
    ~VmSpace();
    VmSpace(const VmSpace&) = delete;
    VmSpace& operator=(const VmSpace&) = delete;

    /// Maps the frames of `segment` at consecutive pages from `addr` (page-aligned, in the user
    /// window), in `state` (ReadWrite, ReadOnly or FaultOnTouch). The same frames may be
    /// mapped elsewhere too. Throws std::invalid_argument on misuse.
    void map(std::uintptr_t addr, const Segment& segment, PageStatus status = page(PageState::ReadWrite));

    /// Sets `pages` pages from `addr` to `status`. A page that needs a frame keeps its own or
    /// gets a fresh zeroed one; DemandZero always gets a fresh zeroed one (its own frame, zeroed,
    /// if no other handle to it exists), which the first touch maps in. Inaccessible and
    /// Truncated drop the frame. Throws std::invalid_argument on misuse.
    void set_pages(std::uintptr_t addr, std::size_t pages, PageStatus status);

    /// Sets consecutive pages from `addr` to `pages` and writes `content` (which may run past
    /// them) into the frames of those that have one; DemandZero pages keep their fresh zeroed
    /// frame. The start of every scenario and test: a row of pages holding known bytes.
    void lay_out(std::uintptr_t addr, std::span<const PageStatus> pages, std::span<const std::byte> content);

    /// The Machine's layout: where the user window lies.
    [[nodiscard]] const Layout& layout() const noexcept;

    [[nodiscard]] PageStatus status(std::uintptr_t addr) const;
    /// Faults taken on the page of `addr` since its state was last set, resolved or not: which
    /// pages an access reached, including ReadOnly and Truncated ones that keep no touch count.
    [[nodiscard]] std::uint32_t faults(std::uintptr_t addr) const;
    /// A page's status and the faults taken on it (as faults() counts them).
    struct PageReading {
        PageStatus status;
        std::uint32_t faults = 0;
    };
    /// The readings of `out.size()` consecutive pages from `addr` (page-aligned, in the user
    /// window), in one pass: what a checker looks at around every operation.
    void read_pages(std::uintptr_t addr, std::span<PageReading> out) const;
    /// The states of all pages not Inaccessible: the reference model's input.
    [[nodiscard]] PageTable page_table() const;

    /// Makes this the Machine's active space (re-arming its FaultOnTouch pages). Only the pages
    /// of the user window that differ from what it shows now are mapped or protected again.
    void activate();
    [[nodiscard]] bool is_active() const noexcept;

    /// The user range [addr, addr+len) if this space is the active one and the range lies in
    /// user space; AccessDenied otherwise (Asterinas' VmSpace reader/writer check). Its pages
    /// may still fault.
    [[nodiscard]] Result<std::span<std::byte>> user_range(std::uintptr_t addr, std::size_t len) const;
    /// A fallible reader / writer of [addr, addr+len) (Asterinas' `VmSpace::reader` /
    /// `writer`): AccessDenied unless this space is the active one and the range lies in user
    /// space. Unmapped pages are not checked here: the fault path finds them.
    [[nodiscard]] Result<VmReader<Fallible>> reader(std::uintptr_t addr, std::size_t len) const;
    [[nodiscard]] Result<VmWriter<Fallible>> writer(std::uintptr_t addr, std::size_t len) const;
    /// Fallible copies between the active user space and kernel memory: all bytes, or
    /// AccessDenied (nothing copied) or PageFault with the exact count copied.
    [[nodiscard]] CopyResult copy_from_user(std::uintptr_t addr, std::span<std::byte> to) const;
    [[nodiscard]] CopyResult copy_to_user(std::uintptr_t addr, std::span<const std::byte> from) const;

    /// What the frames behind [addr, addr+len) hold, read through the kernel's direct mapping
    /// (no fault, no touch); pages without a frame read as zero.
    [[nodiscard]] std::vector<std::byte> peek(std::uintptr_t addr, std::size_t len) const;
    /// The same into `into` (its size is the length), allocating nothing.
    void peek(std::uintptr_t addr, std::span<std::byte> into) const;
    /// Whether peek(addr, bytes.size()) would give `bytes`, compared in place.
    [[nodiscard]] bool holds(std::uintptr_t addr, std::span<const std::byte> bytes) const;
    /// Writes through the kernel's direct mapping into the frames behind the range; pages
    /// without a frame are skipped.
    void poke(std::uintptr_t addr, std::span<const std::byte> bytes);

private:
    friend class Machine;

    // What the page-fault handler reads and updates: async-signal-safe, preallocated.
    struct PageEntry {
        std::atomic<PageState> state{PageState::Inaccessible};
        std::atomic<std::uint32_t> failing_touch{0};
        std::atomic<std::uint32_t> touches{0};
        std::atomic<bool> resident{false};
        std::atomic<std::uint32_t> faults{0};
    };

    std::size_t page_index(std::uintptr_t addr, std::size_t pages) const;
    std::uintptr_t page_address(std::size_t index) const noexcept;
    void set_page(std::size_t index, PageStatus status, std::optional<Frame> frame);
    Result<Frame> fresh_frame(std::size_t index);
    PageStatus load(std::size_t index) const noexcept;
    void install(std::size_t index);
    void install_all();
    // Calls visit(offset in the range, size, the frame's bytes for the piece or empty if no
    // frame) for each page-bounded piece of [addr, addr+len).
    template <typename Visit>
    void for_each_frame_piece(std::uintptr_t addr, std::size_t len, Visit visit) const;
    /// The page-fault handler for this space: true if it made the page accessible.
    bool handle_page_fault(std::uintptr_t addr) noexcept;

    Machine& machine_;
    std::unique_ptr<PageEntry[]> entries_;
    std::map<std::size_t, Frame> frames_;  // page index -> the frame mapped there
};

}  // namespace vmio::sim
