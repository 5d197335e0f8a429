/* Exact fallible fill with AVX2 stores (what vmio_memset_fallible runs on AVX2 CPUs).
 *
 * Same register contract as memcpy_avx2.S: %rdi is the next byte not yet known to be set
 * and %rcx the bytes left from there, %rdx is n; %esi keeps the fill value throughout (the
 * fixup takes the byte from it), %xmm0 / %ymm0 hold it broadcast by `vpbroadcastb` (the
 * 256-bit broadcast only from 32 bytes on, so that the smaller paths leave the upper vector
 * state clean and need no vzeroupper).
 * Size classes, every store from low to high addresses (overlapping ones included), laid
 * out as glibc's memset-vec-unaligned-erms with 32-byte vectors (a taken branch costs about
 * a cycle: 32..64 falls through, every other class is one taken branch away):
 * 32..64 bytes: two overlapping stores.
 * 0..31: 16..31 with two 16-byte stores, 0..15 as the SSE2 routine (small_fill.h).
 * 65..128: the first 64 and the last 64 bytes; 129..256: the first 128 and the last 128;
 *   the first 64 (128) are stored before the size is told apart from larger ones.
 *   (257..512 as the first and last 256 bytes was 0.6-0.9x glibc here: its many unaligned
 *   stores split cache lines; the loop below stores aligned.)
 * 257..REP_THRESHOLD-1: the first 128 bytes, then a loop of 4 x 32-byte aligned stores from
 *   the 32-byte boundary at or below dst + 128 up to the last 128 bytes, then those from
 *   the end (%r9, computed before the loop so that their addresses do not wait for it; in
 *   the loop %rcx is not kept, its fixup derives it from %r9).
 * From REP_THRESHOLD (4 KiB: below it the loop beats `rep stosb` here, 1.04-1.35x glibc,
 *   which switches at 2 KiB), and from REP_SPLIT_THRESHOLD + 1 when the last 128 bytes
 *   cross a 4 KiB boundary (a store split across pages costs ~20 cycles: 0.80x at 4095 B
 *   without this): `rep stosb`, from the destination if it is 64-byte aligned, else after
 *   the first 64 bytes from the next 64-byte boundary above the destination.
 * A store that follows stores reaching past the registers has a fixup stub that first moves
 * the registers to the high-water mark (exact_tail.h). Every fault ends in .Lfault, which
 * clears the upper vector state and finishes byte by byte from the registers. */
#include "asm.h"
#include "exact_tail.h"
#include "high_water_stubs.h"
#include "rep_string.h"
#include "small_fill.h"

#define REP_THRESHOLD 4096
#define REP_SPLIT_THRESHOLD 2048

/* size_t vmio_memset_fallible_avx2(void* dst %rdi, int value %esi, size_t n %rdx) */
VMIO_FUNC(vmio_memset_fallible_avx2)
    mov     %rdx, %rcx
    cmp     $32, %rdx
    jb      .Lbelow32
    vmovd   %esi, %xmm0
    vpbroadcastb %xmm0, %ymm0
    cmp     $64, %rdx
    ja      .Labove64
    vmio_may_fault .Lfault, vmovdqu %ymm0, (%rdi)           /* 32..64 */
    vmio_may_fault .Lhw32, vmovdqu %ymm0, -32(%rdi,%rdx)
    vzeroupper
    xor     %eax, %eax
    ret

    .p2align 4
.Lbelow32:
    cmp     $16, %ecx
    jae     .L16_31
    vmio_fill_upto16 .Lfault, .Lhw_small                    /* 0..15 */
    .p2align 4
.L16_31:                           /* 128-bit: the upper state stays clean */
    vmovd   %esi, %xmm0
    vpbroadcastb %xmm0, %xmm0
    vmio_may_fault .Lfault, vmovdqu %xmm0, (%rdi)
    vmio_may_fault .Lhw16, vmovdqu %xmm0, -16(%rdi,%rcx)
    xor     %eax, %eax
    ret

    .p2align 4
.Labove64:                         /* one taken branch to each class, as glibc's memset */
    cmp     $REP_SPLIT_THRESHOLD, %rdx
    ja      .Lbig
.Lupto_split:
    vmio_may_fault .Lfault, vmovdqu %ymm0, (%rdi)           /* 65..: the first 64 bytes */
    vmio_may_fault .Lhw32, vmovdqu %ymm0, 32(%rdi)
    cmp     $128, %rdx
    jbe     .Lupto128
    vmio_may_fault .Lhw64, vmovdqu %ymm0, 64(%rdi)          /* 129..: the first 128 */
    vmio_may_fault .Lhw96, vmovdqu %ymm0, 96(%rdi)
    cmp     $256, %rdx
    jbe     .Lupto256
    lea     -128(%rdi,%rdx), %r9   /* 257..: the last 128 bytes, independent of the loop */
    and     $-32, %rdi             /* the loop starts at (dst & -32) + 128 (<= dst + 128) */
    sub     $-128, %rdi            /* %rdi < %r9: the loop runs at least once */
    /* In the loop %rcx is not kept: its fixup derives it from %r9 (.Lfloop_fix). */
    .p2align 6                     /* the loop in as few 64-byte code lines as it fits */
.Lloop128:
    vmovdqa %ymm0, (%rdi)
    vmovdqa %ymm0, 32(%rdi)
    vmovdqa %ymm0, 64(%rdi)
    vmovdqa %ymm0, 96(%rdi)
    sub     $-128, %rdi
    cmp     %r9, %rdi
    jb      .Lloop128
.Lloop128_end:
    lea     128(%r9), %rcx         /* 1..128 left from %rdi: the last 128 bytes, from %r9 */
    sub     %rdi, %rcx
    vmio_may_fault .Lfloop_hw0, vmovdqu %ymm0, (%r9)
    vmio_may_fault .Lfend_hw96, vmovdqu %ymm0, 32(%r9)
    vmio_may_fault .Lfend_hw64, vmovdqu %ymm0, 64(%r9)
    vmio_may_fault .Lfend_hw32, vmovdqu %ymm0, 96(%r9)
    vzeroupper
    xor     %eax, %eax
    ret
    .p2align 4
.Lupto128:                         /* 65..128: the last 64 bytes */
    vmio_may_fault .Lhw64, vmovdqu %ymm0, -64(%rdi,%rdx)
    vmio_may_fault .Lhw64_32, vmovdqu %ymm0, -32(%rdi,%rdx)
    vzeroupper
    xor     %eax, %eax
    ret
    .p2align 4
.Lupto256:                         /* 129..256: the last 128 bytes */
    vmio_may_fault .Lhw128, vmovdqu %ymm0, -128(%rdi,%rdx)
    vmio_may_fault .Lhw128_96, vmovdqu %ymm0, -96(%rdi,%rdx)
    vmio_may_fault .Lhw128_64, vmovdqu %ymm0, -64(%rdi,%rdx)
    vmio_may_fault .Lhw128_32, vmovdqu %ymm0, -32(%rdi,%rdx)
    vzeroupper
    xor     %eax, %eax
    ret
.Lbig:
    cmp     $REP_THRESHOLD, %rdx
    jae     .Lrep
    lea     -1(%rdi,%rdx), %eax    /* the last 128 bytes cross a 4 KiB boundary: rep */
    lea     -128(%rdi,%rdx), %r8d
    xor     %r8d, %eax
    test    $4096, %eax
    jz      .Lupto_split
    jmp     .Lrep
.Lfloop_fix:                       /* a loop store faulted: %rcx = end - %rdi */
    lea     128(%r9), %rcx
    sub     %rdi, %rcx
    jmp     .Lfloop_fault

.Lrep:
    vzeroupper
    test    $63, %dil
    jz      .Lrep_aligned
    vmio_may_fault .Lfault, vmovdqu %xmm0, (%rdi)
    vmio_may_fault .Lhw16, vmovdqu %xmm0, 16(%rdi)
    vmio_may_fault .Lhw32, vmovdqu %xmm0, 32(%rdi)
    vmio_may_fault .Lhw48, vmovdqu %xmm0, 48(%rdi)
    vmio_align_dst_above 64, %r8d, %r8
    mov     %esi, %eax             /* the fill byte for rep stosb */
    vmio_rep_string stosb
    vmio_avx2_high_water_stubs fill
.Lfault:
    vzeroupper
    mov     %esi, %eax             /* the fill byte for the tail */
    vmio_exact_tail .Lbyte_tail, fill
.Lrep_aligned:                     /* an aligned destination needs no head store */
    mov     %esi, %eax
    vmio_rep_string stosb
    jmp     .Lfault                /* %rdi is the high-water mark: no store above it */
    /* the stub of the rep head's last store; those of the loop and the last 128 bytes,
     * entered after the first 128 bytes were stored */
    vmio_high_water .Lhw48, .Lhw_advance, 48
    vmio_high_water .Lfloop_hw0, .Lhw_advance, 0, , 128
    vmio_high_water .Lfend_hw96, .Lhw_advance, 0, 96, 128
    vmio_high_water .Lfend_hw64, .Lhw_advance, 0, 64, 128
    vmio_high_water .Lfend_hw32, .Lhw_advance, 0, 32, 128
    vmio_loop_high_water .Lfloop_fault, .Lhw_advance, 128, 32, 128
    VMIO_EXTABLE_RANGE(.Lloop128, .Lloop128_end, .Lfloop_fix)
VMIO_END(vmio_memset_fallible_avx2)

VMIO_NOEXEC_STACK
