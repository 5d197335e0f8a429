// A process-local machine: a user window in which the active VmSpace's pages are mapped, a
// kernel arena of simulated physical memory, and the page-fault handler that resolves
// faults before vmio's exception table sees them.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include <sys/types.h>

#include "vmio/fault.hpp"
#include "vmio/layout.hpp"
#include "vmio/safety.hpp"
#include "vmio/sim/layout.hpp"
#include "vmio/sim/physical_memory.hpp"

namespace vmio::sim {

class VmSpace;

/// Fault counts since the Machine was made (or the counters were reset).
struct FaultCounters {
    std::uint64_t raised = 0;    ///< faults in the user window
    std::uint64_t resolved = 0;  ///< ... made good by the page-fault handler, invisible to the caller
    std::uint64_t fixed_up = 0;  ///< ... left to recovery: the exception table or the sigsetjmp engine

    friend constexpr bool operator==(const FaultCounters&, const FaultCounters&) = default;
};

/// At most one Machine exists at a time: it is the process's fault resolver while it lives.
class Machine : private FaultResolver {
public:
    struct Config {
        std::size_t user_pages = 16384;    // 64 MiB of user window
        std::size_t kernel_frames = 8192;  // 32 MiB of physical memory
    };

    Machine() : Machine(Config{}) {}
    explicit Machine(Config config);
    ~Machine();
    Machine(const Machine&) = delete;
    Machine& operator=(const Machine&) = delete;

    [[nodiscard]] const Layout& layout() const noexcept { return layout_; }
    [[nodiscard]] PhysicalMemory& memory() noexcept { return *memory_; }

    /// Makes `space`'s mappings the live ones in the user window; nullptr leaves the whole
    /// window inaccessible, as for a kernel thread.
    void activate(VmSpace* space);
    [[nodiscard]] VmSpace* active_space() const noexcept { return active_.load(std::memory_order_acquire); }

    [[nodiscard]] FaultCounters counters() const noexcept;
    void reset_counters() noexcept;

private:
    friend class VmSpace;

    // What one page of the user window maps now, so that a page is mapped again only when what
    // it should show changes: `fd` at `offset` (fd -1: nothing, an anonymous PROT_NONE
    // reservation) with `prot`. The fault path changes `prot` (mprotect), hence the atomic.
    struct WindowPage {
        int fd = -1;
        off_t offset = 0;
        std::atomic<int> prot{0};
    };
    /// Makes page `index` of the window show `fd` at `offset` with `prot` (fd -1: nothing, and
    /// then any mapping left there inaccessible will do): nothing if it does already, an
    /// mprotect if only the protection differs, an mmap otherwise.
    void show(std::size_t index, int fd, off_t offset, int prot);
    /// Changes the protection of `count` window pages from `index`, which keep their mappings
    /// (activate(nullptr): runs of accessible pages).
    void protect_run(std::size_t index, std::size_t count, int prot);
    /// Changes the protection of window page `index`; async-signal-safe (the fault path).
    bool protect(std::size_t index, int prot) noexcept;

    bool resolve(const FaultInfo& fault) noexcept override;
    static int on_user_window_fault(void* address, void* machine) noexcept;

    /// The safety checker installed while the Machine lives: claims are verified against
    /// the real user window and the allocated frames of the kernel arena.
    static bool check_claim(const safety::Claim& claim) noexcept;

    Layout layout_{};
    AddressLayout previous_address_layout_{};
    std::shared_ptr<PhysicalMemory> memory_;
    int truncated_file_ = -1;  // an empty memfd: its pages lie beyond the end of the file
    struct AreaDispatcher;
    std::unique_ptr<AreaDispatcher> dispatcher_;  // built before the handler can route to it
    std::unique_ptr<WindowPage[]> window_;  // one per user page
    std::atomic<VmSpace*> active_{nullptr};
    std::atomic<std::uint64_t> raised_{0};
    std::atomic<std::uint64_t> resolved_{0};
    std::atomic<std::uint64_t> fixed_up_{0};
};

}  // namespace vmio::sim
