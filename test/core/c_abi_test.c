/* The C ABI on its own, from C: a program that installs its own SIGSEGV handler in main
 * puts vmio back on top with vmio_install_fault_handler(); vmio's faults are then recovered
 * with exact counts (copies, fills) or VMIO_FAULTED and untouched out-parameters (atomics),
 * and foreign faults still reach the program's handler. Exits 0 on success, 1 with a message
 * otherwise. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmio/fallible.h"

static void program_handler(int sig, siginfo_t* info, void* context) {
    (void)sig;
    (void)info;
    (void)context;
    _exit(42);
}

static int fail(const char* what) {
    fprintf(stderr, "c_abi: %s\n", what);
    return 1;
}

int main(void) {
    struct sigaction sa = {0};
    sa.sa_sigaction = program_handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    vmio_install_fault_handler();
    vmio_prepare_thread();

    const long page = sysconf(_SC_PAGESIZE);
    unsigned char* region = mmap(NULL, (size_t)(2 * page), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED || mprotect(region + page, (size_t)page, PROT_NONE) != 0) {
        return fail("mmap");
    }
    unsigned char* edge = region + page;
    unsigned char out[64];
    if (vmio_memcpy_fallible(out, edge - 10, sizeof out) != sizeof out - 10) {
        return fail("copy count");
    }
    if (vmio_memset_fallible(edge - 3, 0x1ab, 16) != 13 || edge[-1] != 0xab) {
        return fail("fill count or byte");
    }
    uint64_t value = 0;
    if (vmio_atomic_load_u64_fallible((const uint64_t*)(void*)edge, &value) != VMIO_FAULTED) {
        return fail("atomic load");
    }
    uint64_t* const cell64 = (uint64_t*)(void*)(edge - 8);
    uint32_t* const cell32 = (uint32_t*)(void*)(edge - 12);
    uint64_t previous64 = 0;
    uint32_t previous32 = 0;
    if (vmio_atomic_store_u64_fallible(cell64, UINT64_MAX) != 0 ||
        vmio_atomic_exchange_u64_fallible(cell64, 5, &previous64) != 0 || previous64 != UINT64_MAX ||
        vmio_atomic_load_u64_fallible(cell64, &value) != 0 || value != 5) {
        return fail("atomic store, exchange or load (64 bits)");
    }
    if (vmio_atomic_store_u32_fallible(cell32, UINT32_MAX) != 0 ||
        vmio_atomic_fetch_add_u32_fallible(cell32, 2, &previous32) != 0 || previous32 != UINT32_MAX || *cell32 != 1) {
        return fail("atomic store or fetch-add (32 bits, wrapping)");
    }
    uint32_t expected32 = 1;
    if (vmio_atomic_cmpxchg_u32_fallible(cell32, &expected32, 7) != 0 || expected32 != 1 || *cell32 != 7) {
        return fail("atomic compare-exchange");
    }
    previous64 = 42;
    previous32 = 42;
    if (vmio_atomic_store_u32_fallible((uint32_t*)(void*)edge, 1) != VMIO_FAULTED ||
        vmio_atomic_exchange_u64_fallible((uint64_t*)(void*)edge, 1, &previous64) != VMIO_FAULTED ||
        vmio_atomic_fetch_add_u32_fallible((uint32_t*)(void*)edge, 1, &previous32) != VMIO_FAULTED ||
        previous64 != 42 || previous32 != 42) {
        return fail("faulting atomic store, exchange or fetch-add");
    }
    const pid_t child = fork();
    if (child == 0) {
        *(volatile unsigned char*)edge = 1; /* a foreign fault */
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 42) {
        return fail("the foreign fault did not reach the program's handler");
    }
    puts("c_abi: ok");
    return 0;
}
