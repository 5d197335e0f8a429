// Simulated physical memory: the kernel arena, a memfd mapped once as the kernel's direct
// mapping, handed out in frames. Being a file, a frame can also be mapped at user addresses,
// and at several of them at once.
//
// Thread-safe, and safe across fork: while a process forks, every arena's lock is held by the
// forking thread, so that the child does not inherit a lock another thread held (it would hang
// at its first allocation) nor a half-updated arena.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "vmio/error.hpp"

namespace vmio::sim {

class Segment;
class Frame;

class PhysicalMemory : public std::enable_shared_from_this<PhysicalMemory> {
public:
    /// The arena of `frames` frames. Always held by a shared_ptr: frames keep it alive.
    /// Throws std::invalid_argument for 0 or for more frames than a size_t can count in bytes.
    [[nodiscard]] static std::shared_ptr<PhysicalMemory> create(std::size_t frames);
    ~PhysicalMemory();
    PhysicalMemory(const PhysicalMemory&) = delete;
    PhysicalMemory& operator=(const PhysicalMemory&) = delete;

    /// A zeroed frame, or NoMemory.
    [[nodiscard]] Result<Frame> alloc_frame();
    /// `frames` zeroed, physically contiguous frames, or NoMemory (InvalidArgs for zero).
    [[nodiscard]] Result<Segment> alloc_segment(std::size_t frames);

    [[nodiscard]] std::byte* base() const noexcept { return base_; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    /// The memfd behind the arena: a frame at physical address p is at file offset p.
    [[nodiscard]] int fd() const noexcept { return fd_; }
    /// Frames currently allocated.
    [[nodiscard]] std::size_t allocated_frames() const;
    /// Whether every frame that [offset, offset + length) of the arena touches is allocated.
    [[nodiscard]] bool is_allocated(std::size_t offset, std::size_t length) const;

private:
    friend class Segment;
    friend class VmSpace;  // asks for the frame a user page showed last, to spare a remapping
    explicit PhysicalMemory(std::size_t frames);
    /// The zeroed frame at `paddr` if it is free, otherwise any zeroed frame, or NoMemory.
    [[nodiscard]] Result<Frame> alloc_frame_preferring(std::uintptr_t paddr);
    static std::size_t checked_size(std::size_t frames);
    /// The `count` frames from `first`, which the caller marked used, zeroed and in one Segment
    /// (given back if that cannot be made).
    Segment hand_out(std::size_t first, std::size_t count);
    void release(std::size_t first, std::size_t count) noexcept;
    // pthread_atfork's handlers: every live arena's lock, taken before fork, given back after.
    static void lock_all_arenas() noexcept;
    static void unlock_all_arenas() noexcept;
    static const int fork_handlers_registered_;  // pthread_atfork's result: 0 when registered

    int fd_ = -1;
    std::byte* base_ = nullptr;
    std::size_t size_ = 0;
    mutable std::mutex mutex_;
    std::vector<bool> used_;
    PhysicalMemory* next_arena_ = nullptr;  // the live arenas, a list guarded by a lock of their own
    PhysicalMemory* previous_arena_ = nullptr;
};

}  // namespace vmio::sim
