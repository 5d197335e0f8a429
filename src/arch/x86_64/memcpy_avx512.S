/* Exact fallible copy with AVX-512 moves (what vmio_memcpy_fallible runs on CPUs with
 * AVX512F, AVX512BW and AVX512VL, and BMI2).
 *
 * Register contract, kept at every faulting instruction (as in memcpy_avx2.S):
 *   %rsi / %rdi  next source / destination byte not yet known to be copied
 *   %rcx         bytes left from there
 * Only %zmm16..%zmm31 and %k1 are used: EVEX-only registers, which leave the legacy upper
 * vector state clean, so no vzeroupper is needed anywhere.
 * 0..64 bytes: one masked load and one masked store of the bytes [0, n) (mask from bzhi).
 *   Masked-off bytes never fault, so a fault is always on a byte of the range; a faulting
 *   masked store writes nothing.
 * 65..256: overlapping 64-byte moves from both ends, every load before any store.
 * Up to REP_THRESHOLD: the first 64 bytes, then a loop of 4 x 64 bytes with the
 * destination 64-byte aligned, which advances the registers after each block's stores,
 * then the last 256 bytes from the end (rewriting bytes already copied, harmlessly).
 * From REP_THRESHOLD: the first 64 bytes, then `rep movsb` with a 64-byte aligned
 * destination.
 * Every faulting instruction's fixup is .Lfault, which finishes byte by byte from the
 * registers (exact_tail.h). */
#include "asm.h"
#include "exact_tail.h"

#define REP_THRESHOLD 4096

/* size_t vmio_memcpy_fallible_avx512(void* dst %rdi, const void* src %rsi, size_t n %rdx) */
VMIO_FUNC(vmio_memcpy_fallible_avx512)
    mov     %rdx, %rcx
    cmp     $64, %rdx
    ja      .Labove64
    lea     -1(%rdi,%rdx), %eax    /* 0..64. Bit 12 of dst ^ (dst + n - 1) flips iff */
    xor     %edi, %eax             /* [dst, dst + n) crosses a 4 KiB boundary (n <= 64; */
    test    $4096, %eax            /* n = 0 may flip it too, harmlessly) */
    jnz     .Lsmall_cross_page
    mov     $-1, %rax              /* bits [0, n) (bzhi keeps all 64 for n = 64) */
    bzhi    %rdx, %rax, %rax
    kmovq   %rax, %k1
10: vmovdqu8 (%rsi), %zmm16{%k1}{z}
11: vmovdqu8 %zmm16, (%rdi){%k1}
    xor     %eax, %eax
    ret
.Lsmall_cross_page:                /* A masked store that faults where it crosses into a
                                    * bad page reports its LAST byte as the fault address
                                    * (measured here), not the first bad one; the AVX2
                                    * routine's plain stores report the first. */
    jmp     vmio_memcpy_fallible_avx2@PLT

.Labove64:
    cmp     $128, %rdx
    ja      .Labove128
40: vmovdqu64 (%rsi), %zmm16       /* 65..128 */
41: vmovdqu64 -64(%rsi,%rcx), %zmm17
42: vmovdqu64 %zmm16, (%rdi)
43: vmovdqu64 %zmm17, -64(%rdi,%rcx)
    xor     %eax, %eax
    ret

.Labove128:
    cmp     $256, %rdx
    ja      .Labove256
50: vmovdqu64 (%rsi), %zmm16       /* 129..256 */
51: vmovdqu64 64(%rsi), %zmm17
52: vmovdqu64 -128(%rsi,%rcx), %zmm18
53: vmovdqu64 -64(%rsi,%rcx), %zmm19
60: vmovdqu64 %zmm16, (%rdi)
61: vmovdqu64 %zmm17, 64(%rdi)
62: vmovdqu64 %zmm18, -128(%rdi,%rcx)
63: vmovdqu64 %zmm19, -64(%rdi,%rcx)
    xor     %eax, %eax
    ret

.Labove256:
    cmp     $REP_THRESHOLD, %rdx
    jae     .Lrep
70: vmovdqu64 (%rsi), %zmm16
71: vmovdqu64 %zmm16, (%rdi)
    mov     %edi, %eax             /* skip to the next 64-byte boundary of the destination */
    neg     %eax
    and     $63, %eax
    add     %rax, %rsi
    add     %rax, %rdi
    sub     %rax, %rcx             /* still > 193 */
    cmp     $256, %rcx
    jbe     .Lloop256_end
    .p2align 4
.Lloop256:
    vmovdqu64 (%rsi), %zmm16
    vmovdqu64 64(%rsi), %zmm17
    vmovdqu64 128(%rsi), %zmm18
    vmovdqu64 192(%rsi), %zmm19
    vmovdqa64 %zmm16, (%rdi)
    vmovdqa64 %zmm17, 64(%rdi)
    vmovdqa64 %zmm18, 128(%rdi)
    vmovdqa64 %zmm19, 192(%rdi)
    add     $256, %rsi
    add     $256, %rdi
    sub     $256, %rcx
    cmp     $256, %rcx
    ja      .Lloop256
.Lloop256_end:                     /* 1..256 left: the last 256 bytes, from the end */
80: vmovdqu64 -256(%rsi,%rcx), %zmm16
81: vmovdqu64 -192(%rsi,%rcx), %zmm17
82: vmovdqu64 -128(%rsi,%rcx), %zmm18
83: vmovdqu64 -64(%rsi,%rcx), %zmm19
84: vmovdqu64 %zmm16, -256(%rdi,%rcx)
85: vmovdqu64 %zmm17, -192(%rdi,%rcx)
86: vmovdqu64 %zmm18, -128(%rdi,%rcx)
87: vmovdqu64 %zmm19, -64(%rdi,%rcx)
    xor     %eax, %eax
    ret

.Lrep:
90: vmovdqu64 (%rsi), %zmm16
91: vmovdqu64 %zmm16, (%rdi)
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
    vmio_exact_tail .Lbyte_tail, copy

    VMIO_EXTABLE(10b, .Lfault); VMIO_EXTABLE(11b, .Lfault)
    VMIO_EXTABLE(40b, .Lfault); VMIO_EXTABLE(41b, .Lfault)
    VMIO_EXTABLE(42b, .Lfault); VMIO_EXTABLE(43b, .Lfault)
    VMIO_EXTABLE(50b, .Lfault); VMIO_EXTABLE(51b, .Lfault)
    VMIO_EXTABLE(52b, .Lfault); VMIO_EXTABLE(53b, .Lfault)
    VMIO_EXTABLE(60b, .Lfault); VMIO_EXTABLE(61b, .Lfault)
    VMIO_EXTABLE(62b, .Lfault); VMIO_EXTABLE(63b, .Lfault)
    VMIO_EXTABLE(70b, .Lfault); VMIO_EXTABLE(71b, .Lfault)
    VMIO_EXTABLE_RANGE(.Lloop256, .Lloop256_end, .Lfault)
    VMIO_EXTABLE(80b, .Lfault); VMIO_EXTABLE(81b, .Lfault)
    VMIO_EXTABLE(82b, .Lfault); VMIO_EXTABLE(83b, .Lfault)
    VMIO_EXTABLE(84b, .Lfault); VMIO_EXTABLE(85b, .Lfault)
    VMIO_EXTABLE(86b, .Lfault); VMIO_EXTABLE(87b, .Lfault)
    VMIO_EXTABLE(90b, .Lfault); VMIO_EXTABLE(91b, .Lfault)
    VMIO_EXTABLE(94b, .Lrep_fixup)
VMIO_END(vmio_memcpy_fallible_avx512)

VMIO_NOEXEC_STACK
