#include "vmio/sim/scheduler.hpp"

#include <boost/context/fiber.hpp>

#include <stdexcept>
#include <utility>

#include "vmio/fault.hpp"
#include "task_stacks.hpp"
#include "vmio/sim/machine.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

namespace vmio::sim {
namespace ctx = boost::context;

namespace {

// Room for the task and whatever it calls; signals run on the thread's alternate stack.
constexpr std::size_t task_stack_size = 256 * 1024;

// AddressSanitizer must be told about each stack switch: `save` keeps the fake stack of the
// context being left (nullptr when it ends), `bottom`/`size` describe the stack entered.
void start_switch([[maybe_unused]] void** save, [[maybe_unused]] const void* bottom,
                  [[maybe_unused]] std::size_t size) noexcept {
#if defined(__SANITIZE_ADDRESS__)
    __sanitizer_start_switch_fiber(save, bottom, size);
#endif
}

void finish_switch([[maybe_unused]] void* save, [[maybe_unused]] const void** from_bottom,
                   [[maybe_unused]] std::size_t* from_size) noexcept {
#if defined(__SANITIZE_ADDRESS__)
    __sanitizer_finish_switch_fiber(save, from_bottom, from_size);
#endif
}

}  // namespace

struct Scheduler::Task {
    std::string name;
    VmSpace* space;
    std::function<void()> body;
    ctx::fiber fiber;
    ctx::fiber back;  // the scheduler, while the task runs
    ctx::stack_context stack;
    void* fake_stack = nullptr;
    bool finished = false;
};

Scheduler::Scheduler(Machine& machine, std::uint64_t seed) : machine_(machine), random_(seed) {}

Scheduler::~Scheduler() = default;

std::size_t Scheduler::spawn_process(std::string name, VmSpace& space, std::function<void()> body) {
    return spawn(std::move(name), &space, std::move(body));
}

std::size_t Scheduler::spawn_kernel_thread(std::string name, std::function<void()> body) {
    return spawn(std::move(name), nullptr, std::move(body));
}

std::size_t Scheduler::spawn(std::string name, VmSpace* space, std::function<void()> body) {
    auto task = std::make_unique<Task>();
    task->name = std::move(name);
    task->space = space;
    task->body = std::move(body);
    detail::ReusedStack allocator(task_stack_size);
    task->stack = allocator.allocate();
    Task* t = task.get();
    task->fiber = ctx::fiber(std::allocator_arg, ctx::preallocated(t->stack.sp, t->stack.size, t->stack), allocator,
                             [this, t](ctx::fiber&& scheduler) {
                                 finish_switch(nullptr, &scheduler_stack_bottom_, &scheduler_stack_size_);
                                 t->back = std::move(scheduler);
                                 try {
                                     t->body();
                                 } catch (const ctx::detail::forced_unwind&) {
                                     throw;  // the fiber is being destroyed: Boost.Context unwinds it
                                 } catch (...) {
                                     if (!failure_) {
                                         failure_ = std::current_exception();
                                     }
                                 }
                                 t->finished = true;
                                 start_switch(nullptr, scheduler_stack_bottom_, scheduler_stack_size_);
                                 return std::move(t->back);
                             });
    tasks_.push_back(std::move(task));
    return tasks_.size() - 1;
}

const std::string& Scheduler::name(std::size_t task) const { return tasks_.at(task)->name; }

void Scheduler::yield() {
    Task& task = *tasks_.at(current_);
    start_switch(&task.fake_stack, scheduler_stack_bottom_, scheduler_stack_size_);
    task.back = std::move(task.back).resume();
    finish_switch(task.fake_stack, &scheduler_stack_bottom_, &scheduler_stack_size_);
}

void Scheduler::run_slice(Task& task) {
    trace_.push_back(current_);
    machine_.activate(task.space);
    start_switch(&scheduler_fake_stack_, static_cast<char*>(task.stack.sp) - task.stack.size, task.stack.size);
    task.fiber = std::move(task.fiber).resume();
    finish_switch(scheduler_fake_stack_, nullptr, nullptr);
}

void Scheduler::run() {
    prepare_thread();
    std::vector<std::size_t> runnable;
    for (;;) {
        runnable.clear();
        for (std::size_t id = 0; id < tasks_.size(); ++id) {
            if (!tasks_[id]->finished) {
                runnable.push_back(id);
            }
        }
        if (runnable.empty()) {
            break;
        }
        current_ = runnable[random_() % runnable.size()];
        run_slice(*tasks_[current_]);
    }
    machine_.activate(nullptr);
    if (failure_) {
        std::rethrow_exception(std::exchange(failure_, nullptr));
    }
}

}  // namespace vmio::sim
