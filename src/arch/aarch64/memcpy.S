/* Fallible copy: vmio_memcpy_fallible (8 bytes at a time) and the byte loop
 * vmio_memcpy_fallible_bytes, which is also the fast routine's exact tail.
 *
 * Register contract, kept at every faulting instruction:
 *   x1 / x0  next source / destination byte not yet copied; every byte before it copied
 *   x2       bytes left from there
 * Contract: a returned count c (bytes done) means that destination bytes [0, c) hold the
 * source data and no byte at or past c was written, also when protections change while
 * the routine runs. Bytes are copied one at a time up to an 8-byte aligned destination,
 * then 8 at a time: an aligned 8-byte store never straddles a page, so a faulting store
 * writes nothing (an unaligned one that straddles a page edge may write its bytes below the
 * edge). The registers advance only after a block's store and no store is repeated, so the
 * registers are always the high-water mark: a fault diverts to the byte loop, which
 * restarts from them, stops at the first byte that faults and returns the exact count left. */
#include "asm.h"

/* size_t vmio_memcpy_fallible(void* dst x0, const void* src x1, size_t n x2) */
VMIO_FUNC(vmio_memcpy_fallible)
    cmp     x2, #8
    b.lo    .Lbytes
    neg     x4, x0
    ands    x4, x4, #7             /* bytes up to an 8-byte aligned destination (< x2) */
    b.eq    .Lwords
.Lhead:
5:  ldrb    w3, [x1]
6:  strb    w3, [x0]
    add     x1, x1, #1
    add     x0, x0, #1
    sub     x2, x2, #1
    subs    x4, x4, #1
    b.ne    .Lhead
    cmp     x2, #8
    b.lo    .Lbytes
.Lwords:                           /* x2 >= 8, x0 8-byte aligned */
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
    VMIO_EXTABLE(5b, .Ldone)       /* the head is a byte loop: its count is exact */
    VMIO_EXTABLE(6b, .Ldone)
VMIO_END(vmio_memcpy_fallible)

/* size_t vmio_memcpy_fallible_bytes(void* dst x0, const void* src x1, size_t n x2):
 * the simple variant, a plain byte loop like Asterinas' riscv64 routine. */
VMIO_FUNC(vmio_memcpy_fallible_bytes)
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
VMIO_END(vmio_memcpy_fallible_bytes)

VMIO_NOEXEC_STACK
