// Ctrl-C for long-running subcommands: while an InterruptHandler lives, the first SIGINT calls
// its function (in the signal handler: it may only touch lock-free atomics) and the second one
// kills as usual (SA_RESETHAND). Nothing is installed if SIGINT is ignored (a background job).
// Inherited by forked workers. One handler at a time.
#pragma once

#include <csignal>

namespace vmio::cli {

class InterruptHandler {
public:
    using Function = void (*)(void* context) noexcept;

    InterruptHandler(Function on_interrupt, void* context);
    ~InterruptHandler();
    InterruptHandler(const InterruptHandler&) = delete;
    InterruptHandler& operator=(const InterruptHandler&) = delete;

private:
    struct sigaction previous_ {};
    bool installed_ = false;
};

}  // namespace vmio::cli
