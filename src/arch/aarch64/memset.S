/* Fallible fill: vmio_memset_fallible (8 bytes at a time) and the byte loop
 * vmio_memset_fallible_bytes, which is also the fast routine's exact tail.
 *
 * Same contract as memcpy.S: x0 is the next byte not yet set (every byte before it set) and
 * x2 the bytes left from there; x3 holds the fill byte broadcast to 8 bytes. Bytes are set
 * one at a time up to an 8-byte aligned destination, then 8 at a time, so that no store
 * straddles a page and none is repeated. A fault in the 8-byte loop diverts to the byte
 * loop, which returns the exact count left at the first byte that faults. */
#include "asm.h"

/* size_t vmio_memset_fallible(void* dst x0, int value w1, size_t n x2) */
VMIO_FUNC(vmio_memset_fallible)
    and     x1, x1, #0xff
    mov     x3, #0x0101010101010101
    mul     x3, x3, x1
    cmp     x2, #8
    b.lo    .Lbytes
    neg     x4, x0
    ands    x4, x4, #7             /* bytes up to an 8-byte aligned destination (< x2) */
    b.eq    .Lwords
.Lhead:
3:  strb    w1, [x0]
    add     x0, x0, #1
    sub     x2, x2, #1
    subs    x4, x4, #1
    b.ne    .Lhead
    cmp     x2, #8
    b.lo    .Lbytes
.Lwords:                           /* x2 >= 8, x0 8-byte aligned */
1:  str     x3, [x0]
    add     x0, x0, #8
    sub     x2, x2, #8
    cmp     x2, #8
    b.hs    .Lwords
    b       .Lbytes
    VMIO_EXTABLE(1b, .Lbytes)
    VMIO_EXTABLE(3b, .Ldone)       /* the head is a byte loop: its count is exact */
VMIO_END(vmio_memset_fallible)

/* size_t vmio_memset_fallible_bytes(void* dst x0, int value w1, size_t n x2):
 * the simple variant, a plain byte loop like Asterinas' riscv64 routine. */
VMIO_FUNC(vmio_memset_fallible_bytes)
.Lbytes:
    cbz     x2, .Ldone
2:  strb    w1, [x0]
    add     x0, x0, #1
    sub     x2, x2, #1
    b       .Lbytes
.Ldone:
    mov     x0, x2
    ret
    VMIO_EXTABLE(2b, .Ldone)
VMIO_END(vmio_memset_fallible_bytes)

VMIO_NOEXEC_STACK
