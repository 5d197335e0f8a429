#include "task_stacks.hpp"

#include <boost/context/protected_fixedsize_stack.hpp>

#include <array>
#include <mutex>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace vmio::sim::detail {
namespace {

namespace ctx = boost::context;

// Enough for the tasks of one case; a program that runs more at once maps the others afresh.
constexpr std::size_t kept_stacks = 8;

struct Kept {
    std::size_t size;  // as asked for (the stack's own size counts the guard page)
    ctx::stack_context stack;
};

struct Pool {
    std::mutex lock;
    std::array<Kept, kept_stacks> stacks{};
    std::size_t count = 0;
};

Pool& pool() {
    static Pool stacks;  // the stacks it keeps are left mapped at exit
    return stacks;
}

}  // namespace

ctx::stack_context ReusedStack::allocate() {
    {
        Pool& kept = pool();
        const std::scoped_lock held(kept.lock);
        for (std::size_t i = kept.count; i-- > 0;) {
            if (kept.stacks[i].size == size_) {
                const ctx::stack_context stack = kept.stacks[i].stack;
                kept.stacks[i] = kept.stacks[--kept.count];
                return stack;
            }
        }
    }
    return ctx::protected_fixedsize_stack(size_).allocate();
}

void ReusedStack::deallocate(ctx::stack_context& stack) noexcept {
#if defined(__SANITIZE_ADDRESS__)
    // A task's frames may have left poisoned redzones behind (a fiber unwound by Boost.Context).
    __asan_unpoison_memory_region(static_cast<char*>(stack.sp) - stack.size, stack.size);
#endif
    {
        Pool& kept = pool();
        const std::scoped_lock held(kept.lock);
        if (kept.count < kept_stacks) {
            kept.stacks[kept.count++] = {size_, stack};
            return;
        }
    }
    ctx::protected_fixedsize_stack(stack.size).deallocate(stack);
}

}  // namespace vmio::sim::detail
