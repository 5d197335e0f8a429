/* Exact fallible copy with AVX2 moves (what vmio_memcpy_fallible runs on AVX2 CPUs).
 *
 * Register contract, kept at every faulting instruction:
 *   %rsi / %rdi  next source / destination byte not yet known to be copied
 *   %rcx         bytes left from there
 * Up to 256 bytes: overlapping unaligned moves from both ends (1..32 bytes with general
 * and 16-byte registers, then 2, 4 or 8 32-byte vectors), every load before any store.
 * Up to REP_THRESHOLD: the first 32 bytes, then a loop of 4 x 32 bytes with the
 * destination 32-byte aligned, which advances the registers after each block's stores,
 * then the last 128 bytes from the end (rewriting bytes already copied, harmlessly).
 * From REP_THRESHOLD: the first 64 bytes, then `rep movsb` with a 64-byte aligned
 * destination (fast on ERMS/FSRM CPUs).
 * Every faulting instruction's fixup is .Lfault, which clears the upper vector state and
 * finishes byte by byte from the registers (exact_tail.h). */
#include "asm.h"
#include "exact_tail.h"

#define REP_THRESHOLD 4096

/* size_t vmio_memcpy_fallible_avx2(void* dst %rdi, const void* src %rsi, size_t n %rdx) */
VMIO_FUNC(vmio_memcpy_fallible_avx2)
    mov     %rdx, %rcx
    cmp     $32, %rdx
    ja      .Labove32
    cmp     $16, %ecx
    ja      .L17_32
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
.L17_32:
24: vmovdqu (%rsi), %xmm0          /* 128-bit VEX moves leave the upper state clean */
25: vmovdqu -16(%rsi,%rcx), %xmm1
26: vmovdqu %xmm0, (%rdi)
27: vmovdqu %xmm1, -16(%rdi,%rcx)
    xor     %eax, %eax
    ret

.Labove32:
    cmp     $64, %rdx
    ja      .Labove64
30: vmovdqu (%rsi), %ymm0          /* 33..64 */
31: vmovdqu -32(%rsi,%rcx), %ymm1
32: vmovdqu %ymm0, (%rdi)
33: vmovdqu %ymm1, -32(%rdi,%rcx)
    vzeroupper
    xor     %eax, %eax
    ret

.Labove64:
    cmp     $128, %rdx
    ja      .Labove128
40: vmovdqu (%rsi), %ymm0          /* 65..128 */
41: vmovdqu 32(%rsi), %ymm1
42: vmovdqu -64(%rsi,%rcx), %ymm2
43: vmovdqu -32(%rsi,%rcx), %ymm3
44: vmovdqu %ymm0, (%rdi)
45: vmovdqu %ymm1, 32(%rdi)
46: vmovdqu %ymm2, -64(%rdi,%rcx)
47: vmovdqu %ymm3, -32(%rdi,%rcx)
    vzeroupper
    xor     %eax, %eax
    ret

.Labove128:
    cmp     $256, %rdx
    ja      .Labove256
50: vmovdqu (%rsi), %ymm0          /* 129..256 */
51: vmovdqu 32(%rsi), %ymm1
52: vmovdqu 64(%rsi), %ymm2
53: vmovdqu 96(%rsi), %ymm3
54: vmovdqu -128(%rsi,%rcx), %ymm4
55: vmovdqu -96(%rsi,%rcx), %ymm5
56: vmovdqu -64(%rsi,%rcx), %ymm6
57: vmovdqu -32(%rsi,%rcx), %ymm7
60: vmovdqu %ymm0, (%rdi)
61: vmovdqu %ymm1, 32(%rdi)
62: vmovdqu %ymm2, 64(%rdi)
63: vmovdqu %ymm3, 96(%rdi)
64: vmovdqu %ymm4, -128(%rdi,%rcx)
65: vmovdqu %ymm5, -96(%rdi,%rcx)
66: vmovdqu %ymm6, -64(%rdi,%rcx)
67: vmovdqu %ymm7, -32(%rdi,%rcx)
    vzeroupper
    xor     %eax, %eax
    ret

.Labove256:
    cmp     $REP_THRESHOLD, %rdx
    jae     .Lrep
70: vmovdqu (%rsi), %ymm0
71: vmovdqu %ymm0, (%rdi)
    mov     %edi, %eax             /* skip to the next 32-byte boundary of the destination */
    neg     %eax
    and     $31, %eax
    add     %rax, %rsi
    add     %rax, %rdi
    sub     %rax, %rcx             /* still > 224 */
.Lloop128:
    vmovdqu (%rsi), %ymm0
    vmovdqu 32(%rsi), %ymm1
    vmovdqu 64(%rsi), %ymm2
    vmovdqu 96(%rsi), %ymm3
    vmovdqa %ymm0, (%rdi)
    vmovdqa %ymm1, 32(%rdi)
    vmovdqa %ymm2, 64(%rdi)
    vmovdqa %ymm3, 96(%rdi)
    sub     $-128, %rsi
    sub     $-128, %rdi
    add     $-128, %rcx
    cmp     $128, %rcx
    ja      .Lloop128
.Lloop128_end:                     /* 1..128 left: the last 128 bytes, from the end */
80: vmovdqu -128(%rsi,%rcx), %ymm0
81: vmovdqu -96(%rsi,%rcx), %ymm1
82: vmovdqu -64(%rsi,%rcx), %ymm2
83: vmovdqu -32(%rsi,%rcx), %ymm3
84: vmovdqu %ymm0, -128(%rdi,%rcx)
85: vmovdqu %ymm1, -96(%rdi,%rcx)
86: vmovdqu %ymm2, -64(%rdi,%rcx)
87: vmovdqu %ymm3, -32(%rdi,%rcx)
    vzeroupper
    xor     %eax, %eax
    ret

.Lrep:
90: vmovdqu (%rsi), %ymm0
91: vmovdqu 32(%rsi), %ymm1
92: vmovdqu %ymm0, (%rdi)
93: vmovdqu %ymm1, 32(%rdi)
    vzeroupper
    mov     %edi, %eax             /* skip to the next 64-byte boundary of the destination */
    neg     %eax
    and     $63, %eax
    add     %rax, %rsi
    add     %rax, %rdi
    sub     %rax, %rcx
    lea     (%rdi,%rcx), %r9       /* end of the destination */
94: rep movsb
    xor     %eax, %eax
    ret
.Lrep_fixup:                       /* the count left is derived from %rdi, not %rcx: */
    mov     %r9, %rcx              /* emulators (valgrind) may decrement %rcx before */
    sub     %rdi, %rcx             /* the iteration's access faults */
.Lfault:
    vzeroupper
    vmio_copy_exact_tail .Lbyte_tail

    VMIO_EXTABLE(10b, .Lfault); VMIO_EXTABLE(11b, .Lfault)
    VMIO_EXTABLE(12b, .Lfault); VMIO_EXTABLE(13b, .Lfault)
    VMIO_EXTABLE(14b, .Lfault); VMIO_EXTABLE(15b, .Lfault)
    VMIO_EXTABLE(16b, .Lfault); VMIO_EXTABLE(17b, .Lfault)
    VMIO_EXTABLE(18b, .Lfault); VMIO_EXTABLE(19b, .Lfault)
    VMIO_EXTABLE(20b, .Lfault); VMIO_EXTABLE(21b, .Lfault)
    VMIO_EXTABLE(22b, .Lfault); VMIO_EXTABLE(23b, .Lfault)
    VMIO_EXTABLE(24b, .Lfault); VMIO_EXTABLE(25b, .Lfault)
    VMIO_EXTABLE(26b, .Lfault); VMIO_EXTABLE(27b, .Lfault)
    VMIO_EXTABLE(30b, .Lfault); VMIO_EXTABLE(31b, .Lfault)
    VMIO_EXTABLE(32b, .Lfault); VMIO_EXTABLE(33b, .Lfault)
    VMIO_EXTABLE(40b, .Lfault); VMIO_EXTABLE(41b, .Lfault)
    VMIO_EXTABLE(42b, .Lfault); VMIO_EXTABLE(43b, .Lfault)
    VMIO_EXTABLE(44b, .Lfault); VMIO_EXTABLE(45b, .Lfault)
    VMIO_EXTABLE(46b, .Lfault); VMIO_EXTABLE(47b, .Lfault)
    VMIO_EXTABLE(50b, .Lfault); VMIO_EXTABLE(51b, .Lfault)
    VMIO_EXTABLE(52b, .Lfault); VMIO_EXTABLE(53b, .Lfault)
    VMIO_EXTABLE(54b, .Lfault); VMIO_EXTABLE(55b, .Lfault)
    VMIO_EXTABLE(56b, .Lfault); VMIO_EXTABLE(57b, .Lfault)
    VMIO_EXTABLE(60b, .Lfault); VMIO_EXTABLE(61b, .Lfault)
    VMIO_EXTABLE(62b, .Lfault); VMIO_EXTABLE(63b, .Lfault)
    VMIO_EXTABLE(64b, .Lfault); VMIO_EXTABLE(65b, .Lfault)
    VMIO_EXTABLE(66b, .Lfault); VMIO_EXTABLE(67b, .Lfault)
    VMIO_EXTABLE(70b, .Lfault); VMIO_EXTABLE(71b, .Lfault)
    VMIO_EXTABLE_RANGE(.Lloop128, .Lloop128_end, .Lfault)
    VMIO_EXTABLE(80b, .Lfault); VMIO_EXTABLE(81b, .Lfault)
    VMIO_EXTABLE(82b, .Lfault); VMIO_EXTABLE(83b, .Lfault)
    VMIO_EXTABLE(84b, .Lfault); VMIO_EXTABLE(85b, .Lfault)
    VMIO_EXTABLE(86b, .Lfault); VMIO_EXTABLE(87b, .Lfault)
    VMIO_EXTABLE(90b, .Lfault); VMIO_EXTABLE(91b, .Lfault)
    VMIO_EXTABLE(92b, .Lfault); VMIO_EXTABLE(93b, .Lfault)
    VMIO_EXTABLE(94b, .Lrep_fixup)
VMIO_END(vmio_memcpy_fallible_avx2)

VMIO_NOEXEC_STACK
