/* Exact fallible copy with SSE2 moves (what vmio_memcpy_fallible runs without AVX2).
 *
 * Register contract, kept at every faulting instruction:
 *   %rsi / %rdi  next source / destination byte not yet known to be copied
 *   %rcx         bytes left from there
 * Sizes up to 64 use overlapping unaligned moves that load everything before storing;
 * larger copies run a 64-byte loop that advances the registers after each block's stores,
 * and from REP_THRESHOLD on a single `rep movsb` (fast on ERMS/FSRM CPUs).
 * Every faulting instruction's fixup is .Lbyte_tail (exact_tail.h), which finishes byte by
 * byte from the registers and returns the exact count left. */
#include "asm.h"
#include "exact_tail.h"

#define REP_THRESHOLD 2048

/* size_t vmio_memcpy_fallible_sse2(void* dst %rdi, const void* src %rsi, size_t n %rdx) */
VMIO_FUNC(vmio_memcpy_fallible_sse2)
    mov     %rdx, %rcx
    cmp     $64, %rdx
    ja      .Lbig
.Lupto64:                          /* 0 <= %rcx <= 64 */
    cmp     $16, %ecx
    ja      .L17_64
    cmp     $8, %ecx
    jb      .L0_7
10: mov     (%rsi), %r8            /* 8..16: first and last 8 bytes */
11: mov     -8(%rsi,%rcx), %r9
12: mov     %r8, (%rdi)
13: mov     %r9, -8(%rdi,%rcx)
    xor     %eax, %eax
    ret
.L0_7:
    cmp     $4, %ecx
    jb      .L0_3
14: mov     (%rsi), %r8d           /* 4..7 */
15: mov     -4(%rsi,%rcx), %r9d
16: mov     %r8d, (%rdi)
17: mov     %r9d, -4(%rdi,%rcx)
    xor     %eax, %eax
    ret
.L0_3:
    test    %ecx, %ecx
    jz      .Lok
    cmp     $2, %ecx
    jb      .L1
18: movzwl  (%rsi), %r8d           /* 2..3 */
19: movzwl  -2(%rsi,%rcx), %r9d
20: mov     %r8w, (%rdi)
21: mov     %r9w, -2(%rdi,%rcx)
    xor     %eax, %eax
    ret
.L1:
22: movzbl  (%rsi), %r8d
23: mov     %r8b, (%rdi)
.Lok:
    xor     %eax, %eax
    ret
.L17_64:
    cmp     $32, %ecx
    ja      .L33_64
24: movdqu  (%rsi), %xmm0          /* 17..32 */
25: movdqu  -16(%rsi,%rcx), %xmm1
26: movdqu  %xmm0, (%rdi)
27: movdqu  %xmm1, -16(%rdi,%rcx)
    xor     %eax, %eax
    ret
.L33_64:
30: movdqu  (%rsi), %xmm0          /* 33..64 */
31: movdqu  16(%rsi), %xmm1
32: movdqu  -32(%rsi,%rcx), %xmm2
33: movdqu  -16(%rsi,%rcx), %xmm3
34: movdqu  %xmm0, (%rdi)
35: movdqu  %xmm1, 16(%rdi)
36: movdqu  %xmm2, -32(%rdi,%rcx)
37: movdqu  %xmm3, -16(%rdi,%rcx)
    xor     %eax, %eax
    ret

.Lbig:                             /* %rcx > 64 */
    cmp     $REP_THRESHOLD, %rcx
    jae     .Lrep
.Lloop64:
    movdqu  (%rsi), %xmm0
    movdqu  16(%rsi), %xmm1
    movdqu  32(%rsi), %xmm2
    movdqu  48(%rsi), %xmm3
    movdqu  %xmm0, (%rdi)
    movdqu  %xmm1, 16(%rdi)
    movdqu  %xmm2, 32(%rdi)
    movdqu  %xmm3, 48(%rdi)
    add     $64, %rsi
    add     $64, %rdi
    sub     $64, %rcx
    cmp     $64, %rcx
    ja      .Lloop64
.Lloop64_end:
    jmp     .Lupto64

.Lrep:
    lea     (%rdi,%rcx), %r9       /* end of the destination */
50: rep movsb
    xor     %eax, %eax
    ret
.Lrep_fixup:                       /* the count left is derived from %rdi, not %rcx: */
    mov     %r9, %rcx              /* emulators (valgrind) may decrement %rcx before */
    sub     %rdi, %rcx             /* the iteration's access faults */
                                   /* and falls through to the tail */

    vmio_copy_exact_tail .Lbyte_tail

    VMIO_EXTABLE(10b, .Lbyte_tail); VMIO_EXTABLE(11b, .Lbyte_tail)
    VMIO_EXTABLE(12b, .Lbyte_tail); VMIO_EXTABLE(13b, .Lbyte_tail)
    VMIO_EXTABLE(14b, .Lbyte_tail); VMIO_EXTABLE(15b, .Lbyte_tail)
    VMIO_EXTABLE(16b, .Lbyte_tail); VMIO_EXTABLE(17b, .Lbyte_tail)
    VMIO_EXTABLE(18b, .Lbyte_tail); VMIO_EXTABLE(19b, .Lbyte_tail)
    VMIO_EXTABLE(20b, .Lbyte_tail); VMIO_EXTABLE(21b, .Lbyte_tail)
    VMIO_EXTABLE(22b, .Lbyte_tail); VMIO_EXTABLE(23b, .Lbyte_tail)
    VMIO_EXTABLE(24b, .Lbyte_tail); VMIO_EXTABLE(25b, .Lbyte_tail)
    VMIO_EXTABLE(26b, .Lbyte_tail); VMIO_EXTABLE(27b, .Lbyte_tail)
    VMIO_EXTABLE(30b, .Lbyte_tail); VMIO_EXTABLE(31b, .Lbyte_tail)
    VMIO_EXTABLE(32b, .Lbyte_tail); VMIO_EXTABLE(33b, .Lbyte_tail)
    VMIO_EXTABLE(34b, .Lbyte_tail); VMIO_EXTABLE(35b, .Lbyte_tail)
    VMIO_EXTABLE(36b, .Lbyte_tail); VMIO_EXTABLE(37b, .Lbyte_tail)
    VMIO_EXTABLE_RANGE(.Lloop64, .Lloop64_end, .Lbyte_tail)
    VMIO_EXTABLE(50b, .Lrep_fixup)
VMIO_END(vmio_memcpy_fallible_sse2)

VMIO_NOEXEC_STACK
