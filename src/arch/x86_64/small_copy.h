/* The copy of 0..16 bytes shared by the SSE2 and AVX2 memcpy variants: %rcx (<= 16) bytes
 * from %rsi to %rdi as the first and last 8 or 4 bytes, or the first byte and the last 2
 * (overlapping), every load before any store, then a return of 0. As glibc's memmove, at
 * most one taken branch: 2..3 bytes fall through, 1, 4..7 and 8..16 take one (each target
 * 16-byte aligned).
 * A fault resumes at `fixup` with %rsi, %rdi and %rcx unchanged, except on a second store:
 * its predecessor stored the first 8, 4 or 1 bytes, so it resumes at the stubs \hw\()8,
 * \hw\()4, \hw\()1 (vmio_upto16_high_water), which advance the registers past them
 * (exact_tail.h). Clobbers %r8, %r9. */
#ifndef VMIO_ARCH_X86_64_SMALL_COPY_H
#define VMIO_ARCH_X86_64_SMALL_COPY_H

#include "asm.h"
#include "exact_tail.h"

.macro vmio_copy_upto16 fixup, hw
    cmp     $8, %ecx
    jae     .Lcopy8_16\@
    cmp     $4, %ecx
    jae     .Lcopy4_7\@
    cmp     $1, %ecx
    jb      .Lcopied\@
    vmio_may_fault \fixup, movzbl  (%rsi), %r8d             /* 1..3 (flags of the cmp) */
    je      .Lcopy1\@
    vmio_may_fault \fixup, movzwl  -2(%rsi,%rcx), %r9d      /* 2..3 */
    vmio_may_fault \fixup, mov     %r8b, (%rdi)
    vmio_may_fault \hw\()1, mov     %r9w, -2(%rdi,%rcx)
    xor     %eax, %eax
    ret
.Lcopy1\@:
    vmio_may_fault \fixup, mov     %r8b, (%rdi)
.Lcopied\@:
    xor     %eax, %eax
    ret
    .p2align 4
.Lcopy4_7\@:
    vmio_may_fault \fixup, mov     (%rsi), %r8d
    vmio_may_fault \fixup, mov     -4(%rsi,%rcx), %r9d
    vmio_may_fault \fixup, mov     %r8d, (%rdi)
    vmio_may_fault \hw\()4, mov     %r9d, -4(%rdi,%rcx)
    xor     %eax, %eax
    ret
    .p2align 4
.Lcopy8_16\@:
    vmio_may_fault \fixup, mov     (%rsi), %r8
    vmio_may_fault \fixup, mov     -8(%rsi,%rcx), %r9
    vmio_may_fault \fixup, mov     %r8, (%rdi)
    vmio_may_fault \hw\()8, mov     %r9, -8(%rdi,%rcx)
    xor     %eax, %eax
    ret
.endm

#endif
