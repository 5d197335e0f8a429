/* Install test: a C11 program using vmio's C ABI, built against the installed tree. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS under -std=c11 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <vmio/fallible.h>
#include <vmio/version.h>

#if !defined(VMIO_VERSION_NUMBER) || VMIO_VERSION_NUMBER < 100
#error "<vmio/version.h> does not give the version"
#endif

int main(void) {
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char* mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED || mprotect(mem + page, page, PROT_NONE) != 0) {
        perror("mmap");
        return 2;
    }
    memset(mem, 0x5a, page);

    /* 16 readable bytes, then the PROT_NONE page: 48 of 64 bytes are not copied. */
    unsigned char dst[64];
    memset(dst, 0, sizeof dst);
    const size_t not_copied = vmio_memcpy_fallible(dst, mem + page - 16, sizeof dst);
    if (not_copied != 48 || dst[0] != 0x5a || dst[15] != 0x5a || dst[16] != 0) {
        fprintf(stderr, "vmio_memcpy_fallible: %zu bytes not copied, expected 48\n", not_copied);
        return 1;
    }
    const size_t not_set = vmio_memset_fallible(mem + page - 8, 0, 32);
    if (not_set != 24) {
        fprintf(stderr, "vmio_memset_fallible: %zu bytes not set, expected 24\n", not_set);
        return 1;
    }
    printf("C consumer: vmio %s (%d.%d.%d): %zu of 64 bytes not copied\n", VMIO_VERSION_STRING, VMIO_VERSION_MAJOR,
           VMIO_VERSION_MINOR, VMIO_VERSION_PATCH, not_copied);
    return 0;
}
