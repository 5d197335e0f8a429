/* Fallible copy: vmio_memcpy_fallible (8 bytes at a time) and the byte loop
 * vmio_memcpy_fallible_bytes, which is also the fast routine's exact tail.
 *
 * Register contract, kept at every faulting instruction:
 *   a1 / a0  next source / destination byte not yet copied; every byte before it copied
 *   a2       bytes left from there
 * Contract: a returned count c (bytes done) means that destination bytes [0, c) hold the
 * source data and no byte at or past c was written, also when protections change while
 * the routine runs. The 8-byte loop runs only when source and destination are both 8-byte
 * aligned (misaligned accesses may trap to a slow emulation, or not be supported at all),
 * so no store straddles a page and a faulting store writes nothing; no store is repeated
 * and the registers advance only after a block's store, so they are always the high-water
 * mark. A fault diverts to the byte loop, which restarts from the registers, stops at the
 * first byte that faults and returns the exact count left. */
#include "asm.h"

/* size_t vmio_memcpy_fallible(void* dst a0, const void* src a1, size_t n a2) */
VMIO_FUNC(vmio_memcpy_fallible)
    or      t0, a0, a1
    andi    t0, t0, 7
    bnez    t0, .Lbytes
    li      t1, 8
    bltu    a2, t1, .Lbytes
.Lwords:                           /* a2 >= 8 */
1:  ld      t0, 0(a1)
2:  sd      t0, 0(a0)
    addi    a1, a1, 8
    addi    a0, a0, 8
    addi    a2, a2, -8
    bgeu    a2, t1, .Lwords
    j       .Lbytes
    VMIO_EXTABLE(1b, .Lbytes)
    VMIO_EXTABLE(2b, .Lbytes)
VMIO_END(vmio_memcpy_fallible)

/* size_t vmio_memcpy_fallible_bytes(void* dst a0, const void* src a1, size_t n a2):
 * the simple variant, a plain byte loop like Asterinas' riscv64 routine. */
VMIO_FUNC(vmio_memcpy_fallible_bytes)
.Lbytes:
    beqz    a2, .Ldone
3:  lbu     t0, 0(a1)
4:  sb      t0, 0(a0)
    addi    a1, a1, 1
    addi    a0, a0, 1
    addi    a2, a2, -1
    j       .Lbytes
.Ldone:
    mv      a0, a2
    ret
    VMIO_EXTABLE(3b, .Ldone)
    VMIO_EXTABLE(4b, .Ldone)
VMIO_END(vmio_memcpy_fallible_bytes)

VMIO_NOEXEC_STACK
