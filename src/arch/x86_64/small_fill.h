/* The fill of up to 16 bytes shared by the memset variants. */
#ifndef VMIO_ARCH_X86_64_SMALL_FILL_H
#define VMIO_ARCH_X86_64_SMALL_FILL_H

#include "asm.h"
#include "exact_tail.h"

/* %rax = the fill byte (%sil) in each of its 8 bytes. Clobbers %r8. */
.macro vmio_broadcast_fill_byte
    movzbl  %sil, %eax
    movabs  $0x0101010101010101, %r8
    imul    %r8, %rax
.endm

/* %rcx (<= 16) bytes at %rdi set from the broadcast in %rax, as the first and last 8, 4, 2
 * or 1 bytes (overlapping, low address first), then a return of 0. A fault resumes at
 * `fixup` with %rdi and %rcx unchanged, except on a second store: its predecessor set the
 * first 8, 4 or 1 bytes, so it resumes at the stubs \hw\()8, \hw\()4, \hw\()1
 * (vmio_fill_upto16_high_water), which advance the registers past them (exact_tail.h). */
.macro vmio_fill_upto16 fixup, hw
    cmp     $8, %ecx
    jb      .Lfill0_7\@
    vmio_may_fault \fixup, mov     %rax, (%rdi)             /* 8..16 */
    vmio_may_fault \hw\()8, mov     %rax, -8(%rdi,%rcx)
    xor     %eax, %eax
    ret
.Lfill0_7\@:
    cmp     $4, %ecx
    jb      .Lfill0_3\@
    vmio_may_fault \fixup, mov     %eax, (%rdi)             /* 4..7 */
    vmio_may_fault \hw\()4, mov     %eax, -4(%rdi,%rcx)
    xor     %eax, %eax
    ret
.Lfill0_3\@:
    test    %ecx, %ecx
    jz      .Lfilled\@
    vmio_may_fault \fixup, mov     %al, (%rdi)
    cmp     $2, %ecx
    jb      .Lfilled\@
    vmio_may_fault \hw\()1, mov     %ax, -2(%rdi,%rcx)
.Lfilled\@:
    xor     %eax, %eax
    ret
.endm

/* The stubs of vmio_fill_upto16's second stores; they jump to `advance`. */
.macro vmio_fill_upto16_high_water hw, advance
    vmio_high_water \hw\()8, \advance, 8
    vmio_high_water \hw\()4, \advance, 4
    vmio_high_water \hw\()1, \advance, 1
.endm

#endif
