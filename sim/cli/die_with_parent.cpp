#include "die_with_parent.hpp"

#include <sys/prctl.h>

#include <csignal>
#include <unistd.h>

namespace vmio::cli {

void die_with_parent(pid_t parent) noexcept {
    // The parent may have ended between fork() and prctl(): then the signal was never armed.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) {
        _exit(3);
    }
}

}  // namespace vmio::cli
