/* Exact fallible fill with SSE2 stores (what vmio_memset_fallible runs without AVX2).
 *
 * Same register contract as memcpy_sse2.S: %rdi is the next byte not yet known to be set and
 * %rcx the bytes left from there; %al holds the fill byte, %rax/%xmm0 the byte broadcast.
 * Up to 64 bytes: overlapping stores from low to high addresses; then a 64-byte loop;
 * from REP_THRESHOLD a `rep stosb`. Any fault goes to .Lbyte_tail (exact_tail.h), which
 * finishes byte by byte from the registers and returns the exact count left. */
#include "asm.h"
#include "exact_tail.h"

#define REP_THRESHOLD 2048

/* size_t vmio_memset_fallible_sse2(void* dst %rdi, int value %esi, size_t n %rdx) */
VMIO_FUNC(vmio_memset_fallible_sse2)
    movzbl  %sil, %eax
    movabs  $0x0101010101010101, %r8
    imul    %r8, %rax
    mov     %rdx, %rcx
    cmp     $16, %rdx
    jbe     .Lupto16
    movq    %rax, %xmm0
    punpcklqdq %xmm0, %xmm0
    cmp     $64, %rdx
    ja      .Lbig
.L17_64:                           /* 17 <= %rcx <= 64 */
    cmp     $32, %ecx
    ja      .L33_64
24: movdqu  %xmm0, (%rdi)
25: movdqu  %xmm0, -16(%rdi,%rcx)
    xor     %eax, %eax
    ret
.L33_64:
30: movdqu  %xmm0, (%rdi)
31: movdqu  %xmm0, 16(%rdi)
32: movdqu  %xmm0, -32(%rdi,%rcx)
33: movdqu  %xmm0, -16(%rdi,%rcx)
    xor     %eax, %eax
    ret
.Lupto16:                          /* 0 <= %rcx <= 16 */
    cmp     $8, %ecx
    jb      .L0_7
10: mov     %rax, (%rdi)
11: mov     %rax, -8(%rdi,%rcx)
    xor     %eax, %eax
    ret
.L0_7:
    cmp     $4, %ecx
    jb      .L0_3
14: mov     %eax, (%rdi)
15: mov     %eax, -4(%rdi,%rcx)
    xor     %eax, %eax
    ret
.L0_3:
    test    %ecx, %ecx
    jz      .Lok
18: mov     %al, (%rdi)
    cmp     $2, %ecx
    jb      .Lok
19: mov     %ax, -2(%rdi,%rcx)
.Lok:
    xor     %eax, %eax
    ret

.Lbig:                             /* %rcx > 64 */
    cmp     $REP_THRESHOLD, %rcx
    jae     .Lrep
.Lloop64:
    movdqu  %xmm0, (%rdi)
    movdqu  %xmm0, 16(%rdi)
    movdqu  %xmm0, 32(%rdi)
    movdqu  %xmm0, 48(%rdi)
    add     $64, %rdi
    sub     $64, %rcx
    cmp     $64, %rcx
    ja      .Lloop64
.Lloop64_end:
    cmp     $16, %ecx
    ja      .L17_64
    jmp     .Lupto16

.Lrep:
    lea     (%rdi,%rcx), %r9       /* end of the destination */
50: rep stosb
    xor     %eax, %eax
    ret
.Lrep_fixup:                       /* the count left is derived from %rdi, not %rcx: */
    mov     %r9, %rcx              /* emulators (valgrind) may decrement %rcx before */
    sub     %rdi, %rcx             /* the iteration's access faults */
                                   /* and falls through to the tail */

    vmio_fill_exact_tail .Lbyte_tail

    VMIO_EXTABLE(10b, .Lbyte_tail); VMIO_EXTABLE(11b, .Lbyte_tail)
    VMIO_EXTABLE(14b, .Lbyte_tail); VMIO_EXTABLE(15b, .Lbyte_tail)
    VMIO_EXTABLE(18b, .Lbyte_tail); VMIO_EXTABLE(19b, .Lbyte_tail)
    VMIO_EXTABLE(24b, .Lbyte_tail); VMIO_EXTABLE(25b, .Lbyte_tail)
    VMIO_EXTABLE(30b, .Lbyte_tail); VMIO_EXTABLE(31b, .Lbyte_tail)
    VMIO_EXTABLE(32b, .Lbyte_tail); VMIO_EXTABLE(33b, .Lbyte_tail)
    VMIO_EXTABLE_RANGE(.Lloop64, .Lloop64_end, .Lbyte_tail)
    VMIO_EXTABLE(50b, .Lrep_fixup)
VMIO_END(vmio_memset_fallible_sse2)

VMIO_NOEXEC_STACK
