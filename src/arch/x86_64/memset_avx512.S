/* Exact fallible fill with AVX-512 stores (what vmio_memset_fallible runs on CPUs with
 * AVX512F, AVX512BW and AVX512VL, and BMI2).
 *
 * Same register contract as memcpy_avx512.S: %rdi is the next byte not yet known to be set
 * and %rcx the bytes left from there; %esi keeps the fill value throughout (the fixup takes
 * the byte from it), %zmm16 holds it broadcast by `vpbroadcastb` from %esi (no multiply).
 * Only %zmm16 and %k1: no vzeroupper needed.
 * 0..64 bytes: one masked store of the bytes [0, n) (a faulting masked store writes
 * nothing; masked-off bytes never fault). 65..256: overlapping 64-byte stores, low to high
 * addresses. Up to REP_THRESHOLD: a loop of 4 x 64 bytes with the destination 64-byte
 * aligned and the last 256 bytes from the end; from REP_THRESHOLD `rep stosb` with a
 * 64-byte aligned destination. Any fault goes to .Lfault, which finishes byte by byte from
 * the registers (exact_tail.h). */
#include "asm.h"
#include "exact_tail.h"

#define REP_THRESHOLD 2048

/* size_t vmio_memset_fallible_avx512(void* dst %rdi, int value %esi, size_t n %rdx) */
VMIO_FUNC(vmio_memset_fallible_avx512)
    vpbroadcastb %esi, %zmm16
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
10: vmovdqu8 %zmm16, (%rdi){%k1}
    xor     %eax, %eax
    ret
.Lsmall_cross_page:                /* A masked store that faults where it crosses into a
                                    * bad page reports its LAST byte as the fault address
                                    * (measured here), not the first bad one; the AVX2
                                    * routine's plain stores report the first. */
    jmp     vmio_memset_fallible_avx2@PLT

.Labove64:
    cmp     $128, %rdx
    ja      .Labove128
40: vmovdqu64 %zmm16, (%rdi)       /* 65..128 */
41: vmovdqu64 %zmm16, -64(%rdi,%rcx)
    xor     %eax, %eax
    ret

.Labove128:
    cmp     $256, %rdx
    ja      .Labove256
50: vmovdqu64 %zmm16, (%rdi)       /* 129..256 */
51: vmovdqu64 %zmm16, 64(%rdi)
52: vmovdqu64 %zmm16, -128(%rdi,%rcx)
53: vmovdqu64 %zmm16, -64(%rdi,%rcx)
    xor     %eax, %eax
    ret

.Labove256:
    cmp     $REP_THRESHOLD, %rdx
    jae     .Lrep
70: vmovdqu64 %zmm16, (%rdi)
    mov     %edi, %edx             /* skip to the next 64-byte boundary */
    neg     %edx
    and     $63, %edx
    add     %rdx, %rdi
    sub     %rdx, %rcx             /* still > 193 */
    cmp     $256, %rcx
    jbe     .Lloop256_end
    .p2align 4
.Lloop256:
    vmovdqa64 %zmm16, (%rdi)
    vmovdqa64 %zmm16, 64(%rdi)
    vmovdqa64 %zmm16, 128(%rdi)
    vmovdqa64 %zmm16, 192(%rdi)
    add     $256, %rdi
    sub     $256, %rcx
    cmp     $256, %rcx
    ja      .Lloop256
.Lloop256_end:                     /* 1..256 left: the last 256 bytes, from the end */
80: vmovdqu64 %zmm16, -256(%rdi,%rcx)
81: vmovdqu64 %zmm16, -192(%rdi,%rcx)
82: vmovdqu64 %zmm16, -128(%rdi,%rcx)
83: vmovdqu64 %zmm16, -64(%rdi,%rcx)
    xor     %eax, %eax
    ret

.Lrep:
90: vmovdqu64 %zmm16, (%rdi)
    mov     %edi, %edx             /* skip to the next 64-byte boundary */
    neg     %edx
    and     $63, %edx
    add     %rdx, %rdi
    sub     %rdx, %rcx
    lea     (%rdi,%rcx), %r9       /* end of the destination */
    mov     %esi, %eax             /* the fill byte for rep stosb */
94: rep stosb
    xor     %eax, %eax
    ret
.Lrep_fixup:                       /* the count left is derived from %rdi, not %rcx: */
    mov     %r9, %rcx              /* emulators (valgrind) may decrement %rcx before */
    sub     %rdi, %rcx             /* the iteration's access faults */
.Lfault:
    mov     %esi, %eax             /* the fill byte for the tail */
    vmio_exact_tail .Lbyte_tail, fill

    VMIO_EXTABLE(10b, .Lfault)
    VMIO_EXTABLE(40b, .Lfault); VMIO_EXTABLE(41b, .Lfault)
    VMIO_EXTABLE(50b, .Lfault); VMIO_EXTABLE(51b, .Lfault)
    VMIO_EXTABLE(52b, .Lfault); VMIO_EXTABLE(53b, .Lfault)
    VMIO_EXTABLE(70b, .Lfault)
    VMIO_EXTABLE_RANGE(.Lloop256, .Lloop256_end, .Lfault)
    VMIO_EXTABLE(80b, .Lfault); VMIO_EXTABLE(81b, .Lfault)
    VMIO_EXTABLE(82b, .Lfault); VMIO_EXTABLE(83b, .Lfault)
    VMIO_EXTABLE(90b, .Lfault)
    VMIO_EXTABLE(94b, .Lrep_fixup)
VMIO_END(vmio_memset_fallible_avx512)

VMIO_NOEXEC_STACK
