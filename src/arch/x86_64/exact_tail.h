/* The byte-exact tails that every fault of the fast copy and fill routines diverts to.
 *
 * On entry (a fixup), the routine's registers describe its progress:
 *   %rsi / %rdi  next source / destination byte not yet known to be copied or set
 *   %rcx         bytes left from there (> 0, since a fault left bytes to do)
 *   %r11         the faulting address (si_addr), put there by vmio's signal handler
 * Protection is per page (4 KiB, or a multiple of it), so on the side that faulted every
 * byte before the faulting page is accessible and none from that page on: the tail copies
 * (sets) byte by byte up to there and returns the count left without faulting again; one
 * fault costs one signal. The other side may still fault earlier: then that byte's fault
 * ends the tail with the exact count. A fault address in neither range (never seen on
 * Linux) makes the tail run to the first byte that faults. Re-copying bytes that a wide
 * move already copied is harmless, and no wide store reached past the first bad byte,
 * because a faulting store writes nothing.
 * Clobbers %rax, %rdx, %r8. */
#ifndef VMIO_ARCH_X86_64_EXACT_TAIL_H
#define VMIO_ARCH_X86_64_EXACT_TAIL_H

#include "asm.h"

#define VMIO_FAULT_PAGE_MASK (-4096)

/* %rdx = bytes before the faulting page on the side whose range [\base, \base + %rcx)
 * holds the fault address; unchanged if the range does not hold it. */
.macro vmio_limit_to_fault_page base
    mov     %r11, %r8
    sub     \base, %r8
    cmp     %rcx, %r8
    jae     1f                     /* fault address outside this range */
    mov     %r11, %rdx
    and     $VMIO_FAULT_PAGE_MASK, %rdx
    sub     \base, %rdx            /* negative: the range starts inside the faulting page */
    jns     1f
    xor     %edx, %edx
1:
.endm

/* Fixup `entry` of a copy (`kind` copy) or of a fill (`kind` fill, %al the fill byte). */
.macro vmio_exact_tail entry, kind
\entry:
    mov     %rcx, %rdx
.ifc \kind, copy
    vmio_limit_to_fault_page %rsi
.endif
    vmio_limit_to_fault_page %rdi
    test    %rdx, %rdx
    jz      4f
3:
.ifc \kind, copy
    movzbl  (%rsi), %eax
    mov     %al, (%rdi)
    inc     %rsi
.else
    mov     %al, (%rdi)
.endif
    inc     %rdi
    dec     %rcx
    dec     %rdx
    jnz     3b
4:  mov     %rcx, %rax
    ret
    VMIO_EXTABLE_RANGE(\entry, 4b, 4b)
.endm

#endif
