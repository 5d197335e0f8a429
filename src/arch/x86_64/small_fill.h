/* The fill of 0..16 bytes shared by the SSE2 and AVX2 memset variants: %rcx (<= 16) bytes
 * at %rdi set to the byte in %sil, as the first and last 8 or 4 bytes of a broadcast by
 * multiplication (shorter than a vector broadcast and a move to a general register), or as
 * bytes 0, n / 2 and n - 1, then a return of 0. As glibc's memset, at most one taken
 * branch: 1..3 bytes fall through, 4..7 and 8..16 take one (each target 16-byte aligned).
 * A fault resumes at `fixup` with %rdi and %rcx unchanged, except on a later store: those
 * before it set the first 8, 4 or 1 bytes, or bytes 0 and n / 2, so it resumes at the stubs
 * \hw\()8, \hw\()4, \hw\()1 or \hw\()_mid (vmio_upto16_high_water), which advance the
 * registers past them (exact_tail.h). Clobbers %rax, %r8. */
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

.macro vmio_fill_upto16 fixup, hw
    cmp     $8, %ecx
    jae     .Lfill8_16\@
    cmp     $4, %ecx
    jae     .Lfill4_7\@
    test    %ecx, %ecx
    jz      .Lfilled\@
    mov     %ecx, %eax             /* 1..3: bytes 0, n / 2 and n - 1, in address order */
    shr     %eax
    vmio_may_fault \fixup, mov     %sil, (%rdi)
    vmio_may_fault \hw\()1, mov     %sil, (%rdi,%rax)
    vmio_may_fault \hw\()_mid, mov     %sil, -1(%rdi,%rcx)
.Lfilled\@:
    xor     %eax, %eax
    ret
    .p2align 4
.Lfill4_7\@:
    movzbl  %sil, %eax
    imul    $0x01010101, %eax, %eax
    vmio_may_fault \fixup, mov     %eax, (%rdi)
    vmio_may_fault \hw\()4, mov     %eax, -4(%rdi,%rcx)
    xor     %eax, %eax
    ret
    .p2align 4
.Lfill8_16\@:
    vmio_broadcast_fill_byte
    vmio_may_fault \fixup, mov     %rax, (%rdi)
    vmio_may_fault \hw\()8, mov     %rax, -8(%rdi,%rcx)
    xor     %eax, %eax
    ret
.endm

#endif
