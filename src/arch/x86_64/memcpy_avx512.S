/* Exact fallible copy with AVX-512 moves (what vmio_memcpy_fallible runs on CPUs with
 * AVX512F, AVX512BW and AVX512VL, and BMI2).
 *
 * Register contract, kept at every faulting instruction (as in memcpy_avx2.S):
 *   %rsi / %rdi  next source / destination byte not yet known to be copied
 *   %rcx         bytes left from there
 *   %rdx         n, the whole size (the >512 B paths find the original destination from it)
 * Stores go up in address order; a store that follows stores reaching past the registers
 * has a fixup stub that first moves the registers to the high-water mark (exact_tail.h).
 * Only %zmm16..%zmm31 and %k1 are used: EVEX-only registers, which leave the legacy upper
 * vector state clean, so no vzeroupper is needed anywhere.
 * 0..63 bytes: one masked load and one masked store of the bytes [0, n) (mask from bzhi).
 *   Masked-off bytes never fault, so a fault is always on a byte of the range; a faulting
 *   masked store writes nothing. A range that crosses a 4 KiB boundary goes to the AVX2
 *   routine (vmio_mask_upto64, asm.h).
 * 64..128: overlapping 64-byte moves from both ends, every load before any store; the
 *   fall-through path after two compares (a taken branch costs about a cycle).
 * 129..256 and 257..512: the first and the last 128 (256) bytes, every load before any
 *   store, straight-line (glibc's memmove does the same up to 8 vectors).
 * 513..REP_THRESHOLD-1: the first 64 bytes, then a software-pipelined loop of 4 x 64 bytes
 * (each block loaded before the previous block is stored) from the next 64-byte boundary of
 * the destination above its start (a whole 64 bytes on when it is aligned, so that no store
 * is repeated), which advances the registers after each block's stores, then the last
 * 1..256 bytes as aligned stores from the loop's end, the last one masked (no store splits a
 * cache line). The fixups resume at the highest of the head's end, the registers and the
 * end of the completed stores of the block (one exception-table range covers the loop and
 * the end: in both, every store is aligned, goes up from %rdi and follows the loads it
 * depends on).
 * From REP_THRESHOLD (16 KiB: below it the loop beats `rep movsb` here, 1.04-1.4x glibc,
 * whose FSRM threshold is 2112 bytes): `rep movsb` (rep_string.h), from the destination if
 * it is 64-byte aligned, else after the first 64 bytes from the next 64-byte boundary above
 * the destination, whose fixup resumes at the higher of the two.
 * Every fault ends in .Lfault, which finishes byte by byte from the registers
 * (exact_tail.h). */
#include "asm.h"
#include "exact_tail.h"
#include "high_water_stubs.h"
#include "rep_string.h"

#define REP_THRESHOLD 16384

/* size_t vmio_memcpy_fallible_avx512(void* dst %rdi, const void* src %rsi, size_t n %rdx) */
VMIO_FUNC(vmio_memcpy_fallible_avx512)
    mov     %rdx, %rcx
    cmp     $64, %rdx
    jb      .Lbelow64
    cmp     $128, %rdx
    ja      .Labove128
    /* 64..128, the fall-through path (no taken branch): two loads, then two stores */
    vmio_may_fault .Lfault, vmovdqu64 (%rsi), %zmm16
    vmio_may_fault .Lfault, vmovdqu64 -64(%rsi,%rdx), %zmm17
    vmio_may_fault .Lfault, vmovdqu64 %zmm16, (%rdi)
    vmio_may_fault .Lhw64, vmovdqu64 %zmm17, -64(%rdi,%rdx)
    xor     %eax, %eax
    ret

    .p2align 4
.Lbelow64:
    vmio_mask_upto64 .Lsmall_cross_page                     /* 0..63 */
    vmio_may_fault .Lfault, vmovdqu8 (%rsi), %zmm16{%k1}{z}
    vmio_may_fault .Lfault, vmovdqu8 %zmm16, (%rdi){%k1}
    xor     %eax, %eax
    ret
.Lsmall_cross_page:                /* plain moves report the first bad byte (asm.h) */
    jmp     vmio_memcpy_fallible_avx2@PLT

    .p2align 4
.Labove128:                        /* 257..512 falls through, 129..256 takes one branch more */
    cmp     $512, %rdx
    ja      .Labove512
    vmio_may_fault .Lfault, vmovdqu64 (%rsi), %zmm16        /* 129..512 */
    vmio_may_fault .Lfault, vmovdqu64 64(%rsi), %zmm17
    cmp     $256, %rdx
    jbe     .Lupto256
    vmio_may_fault .Lfault, vmovdqu64 128(%rsi), %zmm18     /* 257..512 */
    vmio_may_fault .Lfault, vmovdqu64 192(%rsi), %zmm19
    vmio_may_fault .Lfault, vmovdqu64 -256(%rsi,%rdx), %zmm20
    vmio_may_fault .Lfault, vmovdqu64 -192(%rsi,%rdx), %zmm21
    vmio_may_fault .Lfault, vmovdqu64 -128(%rsi,%rdx), %zmm22
    vmio_may_fault .Lfault, vmovdqu64 -64(%rsi,%rdx), %zmm23
    vmio_may_fault .Lfault, vmovdqu64 %zmm16, (%rdi)
    vmio_may_fault .Lhw64, vmovdqu64 %zmm17, 64(%rdi)
    vmio_may_fault .Lhw128, vmovdqu64 %zmm18, 128(%rdi)
    vmio_may_fault .Lhw192, vmovdqu64 %zmm19, 192(%rdi)
    vmio_may_fault .Lhw256, vmovdqu64 %zmm20, -256(%rdi,%rdx)
    vmio_may_fault .Lhw256_192, vmovdqu64 %zmm21, -192(%rdi,%rdx)
    vmio_may_fault .Lhw256_128, vmovdqu64 %zmm22, -128(%rdi,%rdx)
    vmio_may_fault .Lhw256_64, vmovdqu64 %zmm23, -64(%rdi,%rdx)
    xor     %eax, %eax
    ret
.Lupto256:
    vmio_may_fault .Lfault, vmovdqu64 -128(%rsi,%rdx), %zmm18   /* 129..256 */
    vmio_may_fault .Lfault, vmovdqu64 -64(%rsi,%rdx), %zmm19
    vmio_may_fault .Lfault, vmovdqu64 %zmm16, (%rdi)
    vmio_may_fault .Lhw64, vmovdqu64 %zmm17, 64(%rdi)
    vmio_may_fault .Lhw128, vmovdqu64 %zmm18, -128(%rdi,%rdx)
    vmio_may_fault .Lhw128_64, vmovdqu64 %zmm19, -64(%rdi,%rdx)
    xor     %eax, %eax
    ret

.Labove512:
    cmp     $REP_THRESHOLD, %rdx
    jae     .Lrep
    vmio_may_fault .Lfault, vmovdqu64 (%rsi), %zmm16
    vmio_may_fault .Lfault, vmovdqu64 %zmm16, (%rdi)
    vmio_align_dst_above 64, %eax, %rax, %rsi               /* %rcx still >= 449 */
    /* Software-pipelined: each block's loads come before the previous block's stores, so no
     * load follows a store to the same address modulo 4 KiB (a destination a few bytes past
     * the source in its page would otherwise stall every block's first load: 0.92x glibc,
     * which copies such overlaps backwards). Unrolled twice, so that the blocks alternate
     * between %zmm24..27 and %zmm16..19 instead of being moved from one set to the other. */
.Lloop256:
    vmovdqu64 (%rsi), %zmm24
    vmovdqu64 64(%rsi), %zmm25
    vmovdqu64 128(%rsi), %zmm26
    vmovdqu64 192(%rsi), %zmm27
    cmp     $512, %rcx
    jbe     .Lloop256_last_a
    .p2align 6                     /* the loop in as few 64-byte code lines as it fits */
.Lloop512:                         /* %zmm24..27: the block at %rsi; %rcx > 512 */
    vmovdqu64 256(%rsi), %zmm16
    vmovdqu64 320(%rsi), %zmm17
    vmovdqu64 384(%rsi), %zmm18
    vmovdqu64 448(%rsi), %zmm19
    vmovdqa64 %zmm24, (%rdi)
    vmovdqa64 %zmm25, 64(%rdi)
    vmovdqa64 %zmm26, 128(%rdi)
    vmovdqa64 %zmm27, 192(%rdi)
    add     $256, %rsi
    add     $256, %rdi
    sub     $256, %rcx
    cmp     $512, %rcx             /* %zmm16..19: the block at %rsi; %rcx > 256 */
    jbe     .Lloop256_last_b
    vmovdqu64 256(%rsi), %zmm24
    vmovdqu64 320(%rsi), %zmm25
    vmovdqu64 384(%rsi), %zmm26
    vmovdqu64 448(%rsi), %zmm27
    vmovdqa64 %zmm16, (%rdi)
    vmovdqa64 %zmm17, 64(%rdi)
    vmovdqa64 %zmm18, 128(%rdi)
    vmovdqa64 %zmm19, 192(%rdi)
    add     $256, %rsi
    add     $256, %rdi
    sub     $256, %rcx
    cmp     $512, %rcx
    ja      .Lloop512
.Lloop256_last_a:
    vmovdqa64 %zmm24, (%rdi)
    vmovdqa64 %zmm25, 64(%rdi)
    vmovdqa64 %zmm26, 128(%rdi)
    vmovdqa64 %zmm27, 192(%rdi)
    jmp     .Lloop256_advance
.Lloop256_last_b:
    vmovdqa64 %zmm16, (%rdi)
    vmovdqa64 %zmm17, 64(%rdi)
    vmovdqa64 %zmm18, 128(%rdi)
    vmovdqa64 %zmm19, 192(%rdi)
.Lloop256_advance:
    add     $256, %rsi
    add     $256, %rdi
    sub     $256, %rcx
.Lloop256_end:
    /* 1..256 left and %rdi 64-byte aligned: k = 0..3 whole vectors and a last one of
     * r = 1..64 bytes, each stored aligned (the last one masked), so that no store splits a
     * cache line (the last 256 bytes from the end would split four when n is not a multiple
     * of 64). All loads come before any store and the stores are aligned and go up from
     * %rdi, as in the loop, so the loop's fixup serves these instructions too. */
    lea     -1(%rcx), %r8d
    and     $63, %r8d
    inc     %r8d                   /* r */
    mov     $-1, %rax
    bzhi    %r8, %rax, %rax
    kmovq   %rax, %k1
    cmp     $128, %rcx
    ja      .Lend_3or4
    cmp     $64, %rcx
    ja      .Lend_2
    vmovdqu8 (%rsi), %zmm16{%k1}{z}
    vmovdqu8 %zmm16, (%rdi){%k1}
    xor     %eax, %eax
    ret
.Lend_2:
    vmovdqu64 (%rsi), %zmm16
    vmovdqu8 64(%rsi), %zmm17{%k1}{z}
    vmovdqa64 %zmm16, (%rdi)
    vmovdqu8 %zmm17, 64(%rdi){%k1}
    xor     %eax, %eax
    ret
.Lend_3or4:
    cmp     $192, %rcx
    ja      .Lend_4
    vmovdqu64 (%rsi), %zmm16
    vmovdqu64 64(%rsi), %zmm17
    vmovdqu8 128(%rsi), %zmm18{%k1}{z}
    vmovdqa64 %zmm16, (%rdi)
    vmovdqa64 %zmm17, 64(%rdi)
    vmovdqu8 %zmm18, 128(%rdi){%k1}
    xor     %eax, %eax
    ret
.Lend_4:
    vmovdqu64 (%rsi), %zmm16
    vmovdqu64 64(%rsi), %zmm17
    vmovdqu64 128(%rsi), %zmm18
    vmovdqu8 192(%rsi), %zmm19{%k1}{z}
    vmovdqa64 %zmm16, (%rdi)
    vmovdqa64 %zmm17, 64(%rdi)
    vmovdqa64 %zmm18, 128(%rdi)
    vmovdqu8 %zmm19, 192(%rdi){%k1}
.Lend_done:
    xor     %eax, %eax
    ret

.Lrep:
    test    $63, %dil
    jz      .Lrep_aligned
    vmio_may_fault .Lfault, vmovdqu64 (%rsi), %zmm16
    vmio_may_fault .Lfault, vmovdqu64 %zmm16, (%rdi)
    vmio_align_dst_above 64, %eax, %rax, %rsi
    vmio_rep_string movsb
    vmio_avx512_high_water_stubs copy, 64
    jmp     .Lfault
.Lrep_aligned:                     /* an aligned destination needs no head store */
    vmio_rep_string movsb
    jmp     .Lfault                /* %rdi is the high-water mark: no store above it */
    vmio_exact_tail .Lfault, copy
    VMIO_EXTABLE_RANGE(.Lloop256, .Lend_done, .Lloop_fault)
VMIO_END(vmio_memcpy_fallible_avx512)

VMIO_NOEXEC_STACK
