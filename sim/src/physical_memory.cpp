#include "vmio/sim/physical_memory.hpp"

#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <system_error>

#include "segment_block.hpp"
#include "vmio/sim/frame.hpp"
#include "vmio/sim/segment.hpp"

namespace vmio::sim {
namespace {

constinit std::mutex arenas_lock;  // taken before any arena's own lock, never after
constinit PhysicalMemory* arenas = nullptr;

}  // namespace

void PhysicalMemory::lock_all_arenas() noexcept {
    arenas_lock.lock();
    for (PhysicalMemory* arena = arenas; arena != nullptr; arena = arena->next_arena_) {
        arena->mutex_.lock();
    }
}

void PhysicalMemory::unlock_all_arenas() noexcept {
    for (PhysicalMemory* arena = arenas; arena != nullptr; arena = arena->next_arena_) {
        arena->mutex_.unlock();
    }
    arenas_lock.unlock();
}

std::size_t PhysicalMemory::checked_size(std::size_t frames) {
    if (frames == 0 || frames > std::numeric_limits<std::size_t>::max() / page_size) {
        throw std::invalid_argument("vmio-sim: physical memory needs between 1 and SIZE_MAX / page_size frames");
    }
    return frames * page_size;
}

std::shared_ptr<PhysicalMemory> PhysicalMemory::create(std::size_t frames) {
    return std::shared_ptr<PhysicalMemory>(new PhysicalMemory(frames));
}

// Registered when the library is loaded (a function-local static would have an initialisation
// guard: a lock of its own that a fork could catch held).
const int PhysicalMemory::fork_handlers_registered_ =
    pthread_atfork(lock_all_arenas, unlock_all_arenas, unlock_all_arenas);

PhysicalMemory::PhysicalMemory(std::size_t frames) : size_(checked_size(frames)), used_(frames, false) {
    if (fork_handlers_registered_ != 0) {
        throw std::system_error(fork_handlers_registered_, std::system_category(), "vmio-sim: pthread_atfork");
    }
    fd_ = memfd_create("vmio-sim-physical-memory", MFD_CLOEXEC);
    if (fd_ < 0 || ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
        const int error = errno;
        if (fd_ >= 0) {
            close(fd_);
        }
        throw std::system_error(error, std::system_category(), "vmio-sim: physical memory memfd");
    }
    void* base = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
    if (base == MAP_FAILED) {
        const int error = errno;
        close(fd_);
        throw std::system_error(error, std::system_category(), "vmio-sim: physical memory mapping");
    }
    base_ = static_cast<std::byte*>(base);
    const std::lock_guard listed(arenas_lock);
    next_arena_ = arenas;
    if (arenas != nullptr) {
        arenas->previous_arena_ = this;
    }
    arenas = this;
}

PhysicalMemory::~PhysicalMemory() {
    {
        const std::lock_guard listed(arenas_lock);
        (previous_arena_ != nullptr ? previous_arena_->next_arena_ : arenas) = next_arena_;
        if (next_arena_ != nullptr) {
            next_arena_->previous_arena_ = previous_arena_;
        }
    }
    munmap(base_, size_);
    close(fd_);
}

Result<Frame> PhysicalMemory::alloc_frame() {
    Result<Segment> one = alloc_segment(1);
    if (!one) {
        return std::unexpected(one.error());
    }
    return one->frame(0);
}

Result<Frame> PhysicalMemory::alloc_frame_preferring(std::uintptr_t paddr) {
    const std::size_t first = paddr / page_size;
    bool taken = false;
    if (paddr % page_size == 0 && first < used_.size()) {
        const std::lock_guard lock(mutex_);
        taken = !used_[first];
        used_[first] = true;
    }
    if (!taken) {
        return alloc_frame();
    }
    return hand_out(first, 1).frame(0);
}

Result<Segment> PhysicalMemory::alloc_segment(std::size_t frames) {
    if (frames == 0) {
        return std::unexpected(Error::InvalidArgs);
    }
    if (frames > used_.size()) {  // also keeps the signed count and the byte size from wrapping
        return std::unexpected(Error::NoMemory);
    }
    std::size_t first = 0;
    {
        const std::lock_guard lock(mutex_);
        const auto free_run = std::search_n(used_.begin(), used_.end(), static_cast<std::ptrdiff_t>(frames), false);
        if (free_run == used_.end()) {
            return std::unexpected(Error::NoMemory);
        }
        std::fill_n(free_run, frames, true);
        first = static_cast<std::size_t>(free_run - used_.begin());
    }
    return hand_out(first, frames);
}

// Outside the lock: zeroing and allocating take no lock of the arena's while holding it.
Segment PhysicalMemory::hand_out(std::size_t first, std::size_t count) {
    std::memset(base_ + first * page_size, 0, count * page_size);
    try {
        return Segment(std::make_shared<const Segment::Block>(shared_from_this(), first, count), first, count);
    } catch (...) {
        release(first, count);
        throw;
    }
}

bool PhysicalMemory::is_allocated(std::size_t offset, std::size_t length) const {
    if (length == 0) {
        return true;
    }
    std::size_t end = 0;
    if (__builtin_add_overflow(offset, length, &end) || end > size_) {
        return false;
    }
    const std::lock_guard lock(mutex_);
    for (std::size_t frame = offset / page_size; frame <= (end - 1) / page_size; ++frame) {
        if (!used_[frame]) {
            return false;
        }
    }
    return true;
}

std::size_t PhysicalMemory::allocated_frames() const {
    const std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(std::count(used_.begin(), used_.end(), true));
}

void PhysicalMemory::release(std::size_t first, std::size_t count) noexcept {
    const std::lock_guard lock(mutex_);
    std::fill_n(used_.begin() + static_cast<std::ptrdiff_t>(first), count, false);
}

}  // namespace vmio::sim
