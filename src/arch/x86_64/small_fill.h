/* The fill of up to 16 bytes shared by the memset variants. */
#ifndef VMIO_ARCH_X86_64_SMALL_FILL_H
#define VMIO_ARCH_X86_64_SMALL_FILL_H

#include "asm.h"

/* %rax = the fill byte (%sil) in each of its 8 bytes. Clobbers %r8. */
.macro vmio_broadcast_fill_byte
    movzbl  %sil, %eax
    movabs  $0x0101010101010101, %r8
    imul    %r8, %rax
.endm

/* %rcx (<= 16) bytes at %rdi set from the broadcast in %rax, as the first and last 8, 4, 2
 * or 1 bytes (overlapping, low address first), then a return of 0. A fault resumes at
 * `fixup` with %rdi and %rcx unchanged and %al still the fill byte. */
.macro vmio_fill_upto16 fixup
    cmp     $8, %ecx
    jb      .Lfill0_7\@
    vmio_may_fault \fixup, mov     %rax, (%rdi)             /* 8..16 */
    vmio_may_fault \fixup, mov     %rax, -8(%rdi,%rcx)
    xor     %eax, %eax
    ret
.Lfill0_7\@:
    cmp     $4, %ecx
    jb      .Lfill0_3\@
    vmio_may_fault \fixup, mov     %eax, (%rdi)             /* 4..7 */
    vmio_may_fault \fixup, mov     %eax, -4(%rdi,%rcx)
    xor     %eax, %eax
    ret
.Lfill0_3\@:
    test    %ecx, %ecx
    jz      .Lfilled\@
    vmio_may_fault \fixup, mov     %al, (%rdi)
    cmp     $2, %ecx
    jb      .Lfilled\@
    vmio_may_fault \fixup, mov     %ax, -2(%rdi,%rcx)
.Lfilled\@:
    xor     %eax, %eax
    ret
.endm

#endif
