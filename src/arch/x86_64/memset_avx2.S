/* Exact fallible fill with AVX2 stores (what vmio_memset_fallible runs on AVX2 CPUs).
 *
 * Same register contract as memcpy_avx2.S: %rdi is the next byte not yet known to be set
 * and %rcx the bytes left from there; %al holds the fill byte, %rax/%xmm0/%ymm0 the byte
 * broadcast. Stores go from low to high addresses: overlapping stores up to 256 bytes,
 * then a loop of 4 x 32 bytes with the destination 32-byte aligned and the last 128 bytes
 * from the end, and from REP_THRESHOLD a `rep stosb` with a 64-byte aligned destination.
 * Any fault goes to .Lfault, which clears the upper vector state and finishes byte by
 * byte from the registers (exact_tail.h). */
#include "asm.h"
#include "exact_tail.h"

#define REP_THRESHOLD 2048

/* size_t vmio_memset_fallible_avx2(void* dst %rdi, int value %esi, size_t n %rdx) */
VMIO_FUNC(vmio_memset_fallible_avx2)
    movzbl  %sil, %eax
    movabs  $0x0101010101010101, %r8
    imul    %r8, %rax
    mov     %rdx, %rcx
    cmp     $16, %rdx
    jbe     .Lupto16
    vmovd   %eax, %xmm0
    cmp     $32, %rdx
    ja      .Labove32
    vpbroadcastb %xmm0, %xmm0      /* 17..32, 128-bit: the upper state stays clean */
24: vmovdqu %xmm0, (%rdi)
25: vmovdqu %xmm0, -16(%rdi,%rcx)
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

.Labove32:
    vpbroadcastb %xmm0, %ymm0
    cmp     $64, %rdx
    ja      .Labove64
30: vmovdqu %ymm0, (%rdi)          /* 33..64 */
31: vmovdqu %ymm0, -32(%rdi,%rcx)
    vzeroupper
    xor     %eax, %eax
    ret

.Labove64:
    cmp     $128, %rdx
    ja      .Labove128
40: vmovdqu %ymm0, (%rdi)          /* 65..128 */
41: vmovdqu %ymm0, 32(%rdi)
42: vmovdqu %ymm0, -64(%rdi,%rcx)
43: vmovdqu %ymm0, -32(%rdi,%rcx)
    vzeroupper
    xor     %eax, %eax
    ret

.Labove128:
    cmp     $256, %rdx
    ja      .Labove256
50: vmovdqu %ymm0, (%rdi)          /* 129..256 */
51: vmovdqu %ymm0, 32(%rdi)
52: vmovdqu %ymm0, 64(%rdi)
53: vmovdqu %ymm0, 96(%rdi)
54: vmovdqu %ymm0, -128(%rdi,%rcx)
55: vmovdqu %ymm0, -96(%rdi,%rcx)
56: vmovdqu %ymm0, -64(%rdi,%rcx)
57: vmovdqu %ymm0, -32(%rdi,%rcx)
    vzeroupper
    xor     %eax, %eax
    ret

.Labove256:
    cmp     $REP_THRESHOLD, %rdx
    jae     .Lrep
70: vmovdqu %ymm0, (%rdi)
    mov     %edi, %edx             /* skip to the next 32-byte boundary */
    neg     %edx
    and     $31, %edx
    add     %rdx, %rdi
    sub     %rdx, %rcx             /* still > 224 */
.Lloop128:
    vmovdqa %ymm0, (%rdi)
    vmovdqa %ymm0, 32(%rdi)
    vmovdqa %ymm0, 64(%rdi)
    vmovdqa %ymm0, 96(%rdi)
    sub     $-128, %rdi
    add     $-128, %rcx
    cmp     $128, %rcx
    ja      .Lloop128
.Lloop128_end:                     /* 1..128 left: the last 128 bytes, from the end */
80: vmovdqu %ymm0, -128(%rdi,%rcx)
81: vmovdqu %ymm0, -96(%rdi,%rcx)
82: vmovdqu %ymm0, -64(%rdi,%rcx)
83: vmovdqu %ymm0, -32(%rdi,%rcx)
    vzeroupper
    xor     %eax, %eax
    ret

.Lrep:
90: vmovdqu %ymm0, (%rdi)
91: vmovdqu %ymm0, 32(%rdi)
    vzeroupper
    mov     %edi, %edx             /* skip to the next 64-byte boundary */
    neg     %edx
    and     $63, %edx
    add     %rdx, %rdi
    sub     %rdx, %rcx
    lea     (%rdi,%rcx), %r9       /* end of the destination */
94: rep stosb
    xor     %eax, %eax
    ret
.Lrep_fixup:                       /* the count left is derived from %rdi, not %rcx: */
    mov     %r9, %rcx              /* emulators (valgrind) may decrement %rcx before */
    sub     %rdi, %rcx             /* the iteration's access faults */
.Lfault:
    vzeroupper
    vmio_fill_exact_tail .Lbyte_tail

    VMIO_EXTABLE(10b, .Lfault); VMIO_EXTABLE(11b, .Lfault)
    VMIO_EXTABLE(14b, .Lfault); VMIO_EXTABLE(15b, .Lfault)
    VMIO_EXTABLE(18b, .Lfault); VMIO_EXTABLE(19b, .Lfault)
    VMIO_EXTABLE(24b, .Lfault); VMIO_EXTABLE(25b, .Lfault)
    VMIO_EXTABLE(30b, .Lfault); VMIO_EXTABLE(31b, .Lfault)
    VMIO_EXTABLE(40b, .Lfault); VMIO_EXTABLE(41b, .Lfault)
    VMIO_EXTABLE(42b, .Lfault); VMIO_EXTABLE(43b, .Lfault)
    VMIO_EXTABLE(50b, .Lfault); VMIO_EXTABLE(51b, .Lfault)
    VMIO_EXTABLE(52b, .Lfault); VMIO_EXTABLE(53b, .Lfault)
    VMIO_EXTABLE(54b, .Lfault); VMIO_EXTABLE(55b, .Lfault)
    VMIO_EXTABLE(56b, .Lfault); VMIO_EXTABLE(57b, .Lfault)
    VMIO_EXTABLE(70b, .Lfault)
    VMIO_EXTABLE_RANGE(.Lloop128, .Lloop128_end, .Lfault)
    VMIO_EXTABLE(80b, .Lfault); VMIO_EXTABLE(81b, .Lfault)
    VMIO_EXTABLE(82b, .Lfault); VMIO_EXTABLE(83b, .Lfault)
    VMIO_EXTABLE(90b, .Lfault); VMIO_EXTABLE(91b, .Lfault)
    VMIO_EXTABLE(94b, .Lrep_fixup)
VMIO_END(vmio_memset_fallible_avx2)

VMIO_NOEXEC_STACK
