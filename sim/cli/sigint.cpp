#include "sigint.hpp"

#include <atomic>

namespace vmio::cli {
namespace {

// Set before the handler is installed and cleared after it is removed.
std::atomic<InterruptHandler::Function> interrupt_function{nullptr};
std::atomic<void*> interrupt_context{nullptr};
static_assert(std::atomic<InterruptHandler::Function>::is_always_lock_free && std::atomic<void*>::is_always_lock_free);

extern "C" void on_sigint(int) {
    if (const InterruptHandler::Function function = interrupt_function.load()) {
        function(interrupt_context.load());
    }
}

}  // namespace

InterruptHandler::InterruptHandler(Function on_interrupt, void* context) {
    interrupt_context.store(context);
    interrupt_function.store(on_interrupt);
    struct sigaction action {};
    action.sa_handler = on_sigint;
    action.sa_flags = SA_RESETHAND | SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, nullptr, &previous_);
    installed_ = previous_.sa_handler != SIG_IGN && sigaction(SIGINT, &action, nullptr) == 0;
}

InterruptHandler::~InterruptHandler() {
    if (installed_) {
        sigaction(SIGINT, &previous_, nullptr);
    }
    interrupt_function.store(nullptr);
    interrupt_context.store(nullptr);
}

}  // namespace vmio::cli
