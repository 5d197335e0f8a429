/* Fallible fill: vmio_memset_fallible (8 bytes at a time) and the byte loop
 * vmio_memset_fallible_bytes, which is also the fast routine's exact tail.
 *
 * Same contract as memcpy.S: a0 is the next byte not yet set (every byte before it set) and
 * a2 the bytes left from there; t0 holds the fill byte broadcast to 8 bytes. The 8-byte
 * loop runs only on an 8-byte aligned destination (no store straddles a page, none is
 * repeated); a fault in it diverts to the byte loop, which returns the exact count left at
 * the first byte that faults. */
#include "asm.h"

/* size_t vmio_memset_fallible(void* dst a0, int value a1, size_t n a2) */
VMIO_FUNC(vmio_memset_fallible)
    andi    t0, a0, 7
    bnez    t0, .Lbytes
    li      t1, 8
    bltu    a2, t1, .Lbytes
    andi    t0, a1, 0xff
    li      t2, 0x0101010101010101
    mul     t0, t0, t2
.Lwords:                           /* a2 >= 8 */
1:  sd      t0, 0(a0)
    addi    a0, a0, 8
    addi    a2, a2, -8
    bgeu    a2, t1, .Lwords
    j       .Lbytes
    VMIO_EXTABLE(1b, .Lbytes)
VMIO_END(vmio_memset_fallible)

/* size_t vmio_memset_fallible_bytes(void* dst a0, int value a1, size_t n a2):
 * the simple variant, a plain byte loop like Asterinas' riscv64 routine. */
VMIO_FUNC(vmio_memset_fallible_bytes)
.Lbytes:
    beqz    a2, .Ldone
2:  sb      a1, 0(a0)
    addi    a0, a0, 1
    addi    a2, a2, -1
    j       .Lbytes
.Ldone:
    mv      a0, a2
    ret
    VMIO_EXTABLE(2b, .Ldone)
VMIO_END(vmio_memset_fallible_bytes)

VMIO_NOEXEC_STACK
