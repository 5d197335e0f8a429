/* The copy of 0..16 bytes shared by the memcpy variants: %rcx (<= 16) bytes from %rsi to
 * %rdi as the first and last 8, 4, 2 or 1 bytes (overlapping), every load before any
 * store, then a return of 0. A fault resumes at `fixup` with %rsi, %rdi and %rcx
 * unchanged, except on a second store: its predecessor stored the first 8, 4 or 2 bytes,
 * so it resumes at the stubs \hw\()8, \hw\()4, \hw\()2 (vmio_copy_upto16_high_water), which
 * advance the registers past them (exact_tail.h). Clobbers %r8, %r9. */
#ifndef VMIO_ARCH_X86_64_SMALL_COPY_H
#define VMIO_ARCH_X86_64_SMALL_COPY_H

#include "asm.h"
#include "exact_tail.h"

.macro vmio_copy_upto16 fixup, hw
    cmp     $8, %ecx
    jb      .Lcopy0_7\@
    vmio_may_fault \fixup, mov     (%rsi), %r8              /* 8..16 */
    vmio_may_fault \fixup, mov     -8(%rsi,%rcx), %r9
    vmio_may_fault \fixup, mov     %r8, (%rdi)
    vmio_may_fault \hw\()8, mov     %r9, -8(%rdi,%rcx)
    xor     %eax, %eax
    ret
.Lcopy0_7\@:
    cmp     $4, %ecx
    jb      .Lcopy0_3\@
    vmio_may_fault \fixup, mov     (%rsi), %r8d             /* 4..7 */
    vmio_may_fault \fixup, mov     -4(%rsi,%rcx), %r9d
    vmio_may_fault \fixup, mov     %r8d, (%rdi)
    vmio_may_fault \hw\()4, mov     %r9d, -4(%rdi,%rcx)
    xor     %eax, %eax
    ret
.Lcopy0_3\@:
    test    %ecx, %ecx
    jz      .Lcopied\@
    cmp     $2, %ecx
    jb      .Lcopy1\@
    vmio_may_fault \fixup, movzwl  (%rsi), %r8d             /* 2..3 */
    vmio_may_fault \fixup, movzwl  -2(%rsi,%rcx), %r9d
    vmio_may_fault \fixup, mov     %r8w, (%rdi)
    vmio_may_fault \hw\()2, mov     %r9w, -2(%rdi,%rcx)
    xor     %eax, %eax
    ret
.Lcopy1\@:
    vmio_may_fault \fixup, movzbl  (%rsi), %r8d
    vmio_may_fault \fixup, mov     %r8b, (%rdi)
.Lcopied\@:
    xor     %eax, %eax
    ret
.endm

/* The stubs of vmio_copy_upto16's second stores; they jump to `advance`. */
.macro vmio_copy_upto16_high_water hw, advance
    vmio_high_water \hw\()8, \advance, 8
    vmio_high_water \hw\()4, \advance, 4
    vmio_high_water \hw\()2, \advance, 2
.endm

#endif
