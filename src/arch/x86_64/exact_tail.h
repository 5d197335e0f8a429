/* The byte-exact tails that every fault of the fast copy and fill routines diverts to, and
 * the fixup stubs that first move the registers to the high-water mark.
 *
 * Contract of every routine: a returned count c (bytes done) means that destination bytes
 * [0, c) hold the source data (or the fill byte) and that no byte at or past c was ever
 * written, also when another thread or a resolver changes protections while the routine
 * runs. Stores go up in address order, so the bytes stored so far are always one interval
 * [dst, high-water mark); overlapping stores may store below the mark again. So a fixup
 * never restarts below the mark: a faulting store whose predecessors reached past the
 * registers has its own stub (vmio_high_water) that advances %rsi / %rdi / %rcx to the end
 * of the highest completed store first; a faulting store writes nothing.
 *
 * On entry to the tail, the registers describe the progress:
 *   %rsi / %rdi  the high-water mark: next source / destination byte, every byte before it
 *                copied (set), none from it on written
 *   %rcx         bytes left from there (>= 0; 0 only when a store below the mark faulted)
 *   %r11         the faulting address (si_addr), put there by vmio's signal handler
 * Protection is per page (4 KiB, or a multiple of it), so on the side that faulted every
 * byte before the faulting page is accessible and none from that page on: the tail copies
 * (sets) byte by byte up to there and returns the count left without faulting again. Without
 * a concurrent change the fault address is never below the mark (everything below it was
 * just accessed), so one fault costs one signal. The other side may still fault earlier:
 * then that byte's fault ends the tail with the exact count. A fault address outside the
 * range from the mark (a page below it revoked meanwhile) makes the tail run to the first
 * byte that faults: a second signal, only when protections change concurrently.
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

/* %rax = max(%rax, %rcx - %rdx + head), signed, if `head` is given: the end of the first
 * `head` bytes, stored unaligned before an aligning rewind, counted from the registers (the
 * paths past such a rewind keep n in %rdx). Clobbers %r8. */
.macro vmio_max_head head
.ifnb \head
    lea     \head(%rcx), %r8
    sub     %rdx, %r8
    cmp     %r8, %rax
    cmovl   %r8, %rax
.endif
.endm

/* Fixup stub `label` of a store that completed stores before it reached past the
 * registers: %rax = max(done, %rcx - from_end, %rcx - %rdx + head), signed, each of the last
 * two only if given, is the count of bytes from the registers already stored, then a jump to
 * `advance` (vmio_advance_high_water). Clobbers %rax, %r8. */
.macro vmio_high_water label, advance, done=0, from_end, head
\label:
    mov     $\done, %eax
.ifnb \from_end
    lea     -\from_end(%rcx), %r8
    cmp     %r8, %rax
    cmovl   %r8, %rax
.endif
    vmio_max_head \head
    jmp     \advance
.endm

/* Fixup `label` of a loop that stores `block` bytes from %rdi as non-overlapping `width`-byte
 * stores in address order, after its loads, and advances the registers after them. One
 * entry covers the loop (VMIO_EXTABLE_RANGE): emulators (valgrind) may report the pc of a
 * neighbouring instruction. The fault address tells which store faulted instead: a faulting
 * store's address lies in its own `width` bytes of [%rdi, %rdi + block), a load's outside
 * (source and destination do not overlap), and the stores before it completed. %rax =
 * max(those stores' bytes, %rcx - %rdx + head if given), then a jump to `advance`.
 * Clobbers %rax, %r8. */
.macro vmio_loop_high_water label, advance, block, width, head
\label:
    mov     %r11, %rax
    sub     %rdi, %rax
    cmp     $\block, %rax
    jb      1f
    xor     %eax, %eax             /* a load: nothing of this block stored */
1:  and     $-\width, %rax
    vmio_max_head \head
    jmp     \advance
.endm

/* Moves %rsi (`kind` copy), %rdi and %rcx past the %rax bytes already stored. */
.macro vmio_advance_high_water kind
.ifc \kind, copy
    add     %rax, %rsi
.endif
    add     %rax, %rdi
    sub     %rax, %rcx
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
