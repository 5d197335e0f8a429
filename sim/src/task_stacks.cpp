#include "task_stacks.hpp"

#include <boost/context/protected_fixedsize_stack.hpp>

#include <array>
#include <atomic>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace vmio::sim::detail {
namespace {

namespace ctx = boost::context;

// Enough for the tasks of one case; a program that runs more at once maps the others afresh.
constexpr std::size_t kept_stacks = 8;

// A slot of the pool. Its state is claimed with one compare-exchange, so no thread ever waits
// for another: a process forked while another thread was filling or emptying a slot merely
// never uses that slot (a lock held at fork would stay held in the child for ever). A thread
// looking for a stack of its size briefly claims the full slots it passes, so that under
// contention another thread may find none and map a fresh stack: harmless.
struct Slot {
    enum class State { Empty, Busy, Full };
    std::atomic<State> state{State::Empty};
    std::size_t size = 0;  // as asked for (the stack's own size counts the guard page)
    ctx::stack_context stack{};

    bool claim(State from) noexcept {
        return state.compare_exchange_strong(from, State::Busy, std::memory_order_acquire);
    }
    void release(State to) noexcept { state.store(to, std::memory_order_release); }
};

// The first slot that fits is taken (no guard: constant-initialised). The stacks it keeps are
// left mapped at exit.
constinit std::array<Slot, kept_stacks> pool{};

}  // namespace

ctx::stack_context ReusedStack::allocate() {
    for (Slot& slot : pool) {
        if (slot.claim(Slot::State::Full)) {
            if (slot.size == size_) {
                const ctx::stack_context stack = slot.stack;
                slot.release(Slot::State::Empty);
                return stack;
            }
            slot.release(Slot::State::Full);
        }
    }
    return ctx::protected_fixedsize_stack(size_).allocate();
}

void ReusedStack::deallocate(ctx::stack_context& stack) noexcept {
#if defined(__SANITIZE_ADDRESS__)
    // A task's frames may have left poisoned redzones behind (a fiber unwound by Boost.Context).
    __asan_unpoison_memory_region(static_cast<char*>(stack.sp) - stack.size, stack.size);
#endif
    for (Slot& slot : pool) {
        if (slot.claim(Slot::State::Empty)) {
            slot.size = size_;
            slot.stack = stack;
            slot.release(Slot::State::Full);
            return;
        }
    }
    ctx::protected_fixedsize_stack(stack.size).deallocate(stack);
}

}  // namespace vmio::sim::detail
