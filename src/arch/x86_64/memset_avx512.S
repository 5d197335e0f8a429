/* Exact fallible fill with AVX-512 stores (what vmio_memset_fallible runs on CPUs with
 * AVX512F, AVX512BW and AVX512VL, and BMI2).
 *
 * Same register contract as memcpy_avx512.S: %rdi is the next byte not yet known to be set
 * and %rcx the bytes left from there, %rdx is n; %esi keeps the fill value throughout (the fixup takes
 * the byte from it), %zmm16 holds it broadcast by `vpbroadcastb` from %esi (no multiply).
 * Only %zmm16 and %k1: no vzeroupper needed.
 * Size classes, every store from low to high addresses (overlapping ones included):
 * 64..128 bytes: the fall-through path (no taken branch before the ret; a taken branch
 *   costs about a cycle, a quarter of the whole fill at this size): two overlapping stores.
 * 0..63 bytes: one masked store of the bytes [0, n) (a faulting masked store writes
 *   nothing; masked-off bytes never fault), or the AVX2 routine if the range crosses a 4 KiB
 *   boundary (vmio_mask_upto64, asm.h).
 * 129..256: the first 128 and the last 128 bytes; 257..512: the first 256 and the last 256
 *   (straight-line stores, no loop).
 * 513..REP_THRESHOLD-1: the first 256 bytes, then a loop of 4 x 64-byte aligned stores from
 *   the 64-byte boundary at or below dst + 256, then the last 256 bytes from the end.
 * From REP_THRESHOLD: `rep stosb`, from the destination if it is 64-byte aligned, else
 *   after the first 64 bytes from the next 64-byte boundary above the destination (a
 *   store just before the string instruction delays it, measured here: 0.92x glibc at 4 KiB).
 * A store that follows stores reaching past the registers has a fixup stub that first moves
 * the registers to the high-water mark (exact_tail.h). Every fault ends in .Lfault, which
 * finishes byte by byte from the registers. */
#include "asm.h"
#include "exact_tail.h"
#include "high_water_stubs.h"

#define REP_THRESHOLD 4096

/* size_t vmio_memset_fallible_avx512(void* dst %rdi, int value %esi, size_t n %rdx) */
VMIO_FUNC(vmio_memset_fallible_avx512)
    vpbroadcastb %esi, %zmm16
    mov     %rdx, %rcx
    cmp     $64, %rdx
    jb      .Lbelow64
    cmp     $128, %rdx
    ja      .Labove128
    vmio_may_fault .Lfault, vmovdqu64 %zmm16, (%rdi)        /* 64..128 */
    vmio_may_fault .Lhw64, vmovdqu64 %zmm16, -64(%rdi,%rdx)
    xor     %eax, %eax
    ret

    .p2align 6
.Lbelow64:
    vmio_mask_upto64 .Lsmall_cross_page                     /* 0..63 */
    vmio_may_fault .Lfault, vmovdqu8 %zmm16, (%rdi){%k1}
    xor     %eax, %eax
    ret
.Lsmall_cross_page:                /* plain stores report the first bad byte (asm.h) */
    jmp     vmio_memset_fallible_avx2@PLT

    .p2align 4
.Labove128:                        /* 129..256 falls through, 257..512 takes one branch more */
    cmp     $512, %rdx
    ja      .Labove512
    vmio_may_fault .Lfault, vmovdqu64 %zmm16, (%rdi)        /* 129..512 */
    vmio_may_fault .Lhw64, vmovdqu64 %zmm16, 64(%rdi)
    cmp     $256, %rdx
    ja      .Labove256
    vmio_may_fault .Lhw128, vmovdqu64 %zmm16, -128(%rdi,%rdx)   /* 129..256 */
    vmio_may_fault .Lhw128_64, vmovdqu64 %zmm16, -64(%rdi,%rdx)
    xor     %eax, %eax
    ret
    .p2align 4
.Labove256:
    vmio_may_fault .Lhw128, vmovdqu64 %zmm16, 128(%rdi)     /* 257..512 */
    vmio_may_fault .Lhw192, vmovdqu64 %zmm16, 192(%rdi)
    vmio_may_fault .Lhw256, vmovdqu64 %zmm16, -256(%rdi,%rdx)
    vmio_may_fault .Lhw256_192, vmovdqu64 %zmm16, -192(%rdi,%rdx)
    vmio_may_fault .Lhw256_128, vmovdqu64 %zmm16, -128(%rdi,%rdx)
    vmio_may_fault .Lhw256_64, vmovdqu64 %zmm16, -64(%rdi,%rdx)
    xor     %eax, %eax
    ret

.Labove512:
    cmp     $REP_THRESHOLD, %rdx
    jae     .Lrep
    vmio_may_fault .Lfault, vmovdqu64 %zmm16, (%rdi)        /* the first 256 bytes */
    vmio_may_fault .Lhw64, vmovdqu64 %zmm16, 64(%rdi)
    vmio_may_fault .Lhw128, vmovdqu64 %zmm16, 128(%rdi)
    vmio_may_fault .Lhw192, vmovdqu64 %zmm16, 192(%rdi)
                                   /* the loop starts at (dst & -64) + 256 (<= dst + 256) */
    mov     %edi, %r8d
    and     $63, %r8d
    lea     -256(%rcx,%r8), %rcx
    sub     %r8, %rdi
    add     $256, %rdi             /* %rcx = end - %rdi, still > 256 */
    .p2align 6                     /* the loop in as few 64-byte code lines as it fits */
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
    vmio_may_fault .Lloop_hw0, vmovdqu64 %zmm16, -256(%rdi,%rcx)
    vmio_may_fault .Lend_hw192, vmovdqu64 %zmm16, -192(%rdi,%rcx)
    vmio_may_fault .Lend_hw128, vmovdqu64 %zmm16, -128(%rdi,%rcx)
    vmio_may_fault .Lend_hw64, vmovdqu64 %zmm16, -64(%rdi,%rcx)
    xor     %eax, %eax
    ret

.Lrep:
    test    $63, %dil
    jz      .Lrep_aligned
    vmio_may_fault .Lfault, vmovdqu64 %zmm16, (%rdi)
    vmio_align_dst_above 64, %r8d, %r8
    /* rep_string.h's rep, but with the fill byte loaded after the end pointer */
    lea     (%rdi,%rcx), %r9       /* end of the destination */
    mov     %esi, %eax             /* the fill byte for rep stosb */
    vmio_may_fault .Lrep_fixup, rep stosb
    xor     %eax, %eax
    ret
.Lrep_aligned:                     /* an aligned destination needs no head store */
    lea     (%rdi,%rcx), %r9
    mov     %esi, %eax
    vmio_may_fault .Lrep_aligned_fixup, rep stosb
    xor     %eax, %eax
    ret
.Lrep_aligned_fixup:               /* %rdi is the high-water mark: no store above it */
    mov     %r9, %rcx
    sub     %rdi, %rcx
    jmp     .Lfault
.Lrep_fixup:                       /* bytes left from %rdi, as in rep_string.h */
    mov     %r9, %rcx
    sub     %rdi, %rcx
    vmio_avx512_high_water_stubs fill, 256
.Lfault:
    mov     %esi, %eax             /* the fill byte for the tail */
    vmio_exact_tail .Lbyte_tail, fill
    VMIO_EXTABLE_RANGE(.Lloop256, .Lloop256_end, .Lloop_fault)
VMIO_END(vmio_memset_fallible_avx512)

VMIO_NOEXEC_STACK
