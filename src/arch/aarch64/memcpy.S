/* Fallible copy: vmio_memcpy_fallible (8 bytes at a time) and the byte loop
 * vmio_memcpy_fallible_movsb, which is also the fast routine's exact tail.
 *
 * Register contract, kept at every faulting instruction:
 *   x1 / x0  next source / destination byte not yet known to be copied
 *   x2       bytes left from there
 * The registers advance only after a block's store, so a fault in the 8-byte loop diverts
 * to the byte loop, which restarts from the registers, stops at the first byte that faults
 * and returns the exact count left. Re-copying bytes is harmless (same values): an
 * unaligned 8-byte store that faults may have written its bytes below the edge, never any
 * byte at or past it. */
#include "asm.h"

/* size_t vmio_memcpy_fallible(void* dst x0, const void* src x1, size_t n x2) */
VMIO_FUNC(vmio_memcpy_fallible)
    cmp     x2, #8
    b.lo    .Lbytes
.Lwords:                           /* x2 >= 8 */
1:  ldr     x3, [x1]
2:  str     x3, [x0]
    add     x1, x1, #8
    add     x0, x0, #8
    sub     x2, x2, #8
    cmp     x2, #8
    b.hs    .Lwords
    b       .Lbytes
    VMIO_EXTABLE(1b, .Lbytes)
    VMIO_EXTABLE(2b, .Lbytes)
VMIO_END(vmio_memcpy_fallible)

/* size_t vmio_memcpy_fallible_movsb(void* dst x0, const void* src x1, size_t n x2):
 * on aarch64 the seed-faithful variant is a plain byte loop. */
VMIO_FUNC(vmio_memcpy_fallible_movsb)
.Lbytes:
    cbz     x2, .Ldone
3:  ldrb    w3, [x1]
4:  strb    w3, [x0]
    add     x1, x1, #1
    add     x0, x0, #1
    sub     x2, x2, #1
    b       .Lbytes
.Ldone:
    mov     x0, x2
    ret
    VMIO_EXTABLE(3b, .Ldone)
    VMIO_EXTABLE(4b, .Ldone)
VMIO_END(vmio_memcpy_fallible_movsb)

VMIO_NOEXEC_STACK
