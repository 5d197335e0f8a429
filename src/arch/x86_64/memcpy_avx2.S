/* Exact fallible copy with AVX2 moves (what vmio_memcpy_fallible runs on AVX2 CPUs).
 *
 * Register contract, kept at every faulting instruction:
 *   %rsi / %rdi  next source / destination byte not yet known to be copied
 *   %rcx         bytes left from there
 *   %rdx         n, the whole size (the >256 B paths find the original destination from it)
 * Stores go up in address order, overlapping ones included; a store that follows stores
 * reaching past the registers has a fixup stub that first moves the registers to the
 * high-water mark, so that no byte stored before the fault is stored again by the tail and
 * the count stays exact when protections change meanwhile (exact_tail.h).
 * Size classes (laid out as glibc's memmove-vec-unaligned-erms with 32-byte vectors; a taken
 * branch costs about a cycle: 32..64 falls through, 129..256 is one taken branch away, the
 * others two):
 * 32..64 bytes: the fall-through path, two overlapping 32-byte moves from both ends.
 * 0..31: 16..31 with two 16-byte moves (128-bit VEX moves leave the upper vector state
 *   clean), 0..15 as the SSE2 routine (small_copy.h).
 * 65..128: 4 vectors (the first 64 and the last 64 bytes); 129..256: the first and the last
 *   128 bytes, straight-line, every load before any store. (257..512 as the first and last
 *   256 bytes was slower here: 0.58-0.82x glibc, its many unaligned stores split cache lines;
 *   the loop below stores aligned.)
 * 257..REP_THRESHOLD-1: the first 32 bytes, then a loop of 4 x 32 bytes from the next
 *   32-byte boundary of the destination above its start (a whole 32 bytes on when it is
 *   aligned, so that no store is repeated), aligned stores, which advances the registers
 *   after each block's stores, then the last 128 bytes from the end (overlapping the
 *   loop's, in address order). Their fixups resume at the highest of the head's end, the
 *   registers and the end of the completed stores of the block. (A software-pipelined loop
 *   as in memcpy_avx512.S was 0.82-0.9x glibc at 1-2 KiB here; this one is 0.96-1.1x.)
 * From REP_THRESHOLD (2113, glibc's switch on FSRM CPUs, which copies 2112 bytes with its
 *   loop: `rep movsb` at 2112 was 0.68x, the loop 0.85x at 3000 B misaligned): `rep movsb`
 *   (rep_string.h), from the destination if it is 64-byte aligned, else after the first 64
 *   bytes from the next 64-byte boundary above the destination, whose fixup resumes at the
 *   higher of the two.
 * Every fault ends in .Lfault, which clears the upper vector state and finishes byte by
 * byte from the registers (exact_tail.h). */
#include "asm.h"
#include "exact_tail.h"
#include "high_water_stubs.h"
#include "rep_string.h"
#include "small_copy.h"

#define REP_THRESHOLD 2113

/* size_t vmio_memcpy_fallible_avx2(void* dst %rdi, const void* src %rsi, size_t n %rdx) */
VMIO_FUNC(vmio_memcpy_fallible_avx2)
    mov     %rdx, %rcx
    cmp     $32, %rdx
    jb      .Lbelow32
    cmp     $64, %rdx
    ja      .Labove64
    vmio_may_fault .Lfault, vmovdqu (%rsi), %ymm0           /* 32..64 */
    vmio_may_fault .Lfault, vmovdqu -32(%rsi,%rdx), %ymm1
    vmio_may_fault .Lfault, vmovdqu %ymm0, (%rdi)
    vmio_may_fault .Lhw32, vmovdqu %ymm1, -32(%rdi,%rdx)
    vzeroupper
    xor     %eax, %eax
    ret

    .p2align 4
.Lbelow32:
    cmp     $16, %ecx
    jae     .L16_31
    vmio_copy_upto16 .Lfault, .Lhw_small                    /* 0..15 */
    .p2align 4
.L16_31:
    vmio_may_fault .Lfault, vmovdqu (%rsi), %xmm0
    vmio_may_fault .Lfault, vmovdqu -16(%rsi,%rcx), %xmm1
    vmio_may_fault .Lfault, vmovdqu %xmm0, (%rdi)
    vmio_may_fault .Lhw16, vmovdqu %xmm1, -16(%rdi,%rcx)
    xor     %eax, %eax
    ret

    .p2align 4
.Labove64:                         /* one taken branch to 129..256, two to the others (glibc's) */
    cmp     $256, %rdx
    ja      .Labove256
    vmio_may_fault .Lfault, vmovdqu (%rsi), %ymm0           /* 65..256: the first 64 bytes */
    vmio_may_fault .Lfault, vmovdqu 32(%rsi), %ymm1
    cmp     $128, %rdx
    jbe     .Lupto128
    vmio_may_fault .Lfault, vmovdqu 64(%rsi), %ymm2         /* 129..256 */
    vmio_may_fault .Lfault, vmovdqu 96(%rsi), %ymm3
    vmio_may_fault .Lfault, vmovdqu -128(%rsi,%rdx), %ymm4
    vmio_may_fault .Lfault, vmovdqu -96(%rsi,%rdx), %ymm5
    vmio_may_fault .Lfault, vmovdqu -64(%rsi,%rdx), %ymm6
    vmio_may_fault .Lfault, vmovdqu -32(%rsi,%rdx), %ymm7
    vmio_may_fault .Lfault, vmovdqu %ymm0, (%rdi)
    vmio_may_fault .Lhw32, vmovdqu %ymm1, 32(%rdi)
    vmio_may_fault .Lhw64, vmovdqu %ymm2, 64(%rdi)
    vmio_may_fault .Lhw96, vmovdqu %ymm3, 96(%rdi)
    vmio_may_fault .Lhw128, vmovdqu %ymm4, -128(%rdi,%rdx)
    vmio_may_fault .Lhw128_96, vmovdqu %ymm5, -96(%rdi,%rdx)
    vmio_may_fault .Lhw128_64, vmovdqu %ymm6, -64(%rdi,%rdx)
    vmio_may_fault .Lhw128_32, vmovdqu %ymm7, -32(%rdi,%rdx)
    vzeroupper
    xor     %eax, %eax
    ret
    .p2align 4
.Lupto128:                         /* 65..128: the last 64 bytes */
    vmio_may_fault .Lfault, vmovdqu -64(%rsi,%rdx), %ymm2
    vmio_may_fault .Lfault, vmovdqu -32(%rsi,%rdx), %ymm3
    vmio_may_fault .Lfault, vmovdqu %ymm0, (%rdi)
    vmio_may_fault .Lhw32, vmovdqu %ymm1, 32(%rdi)
    vmio_may_fault .Lhw64, vmovdqu %ymm2, -64(%rdi,%rdx)
    vmio_may_fault .Lhw64_32, vmovdqu %ymm3, -32(%rdi,%rdx)
    vzeroupper
    xor     %eax, %eax
    ret

.Labove256:
    cmp     $REP_THRESHOLD, %rdx
    jae     .Lrep
    vmio_may_fault .Lfault, vmovdqu (%rsi), %ymm0
    vmio_may_fault .Lfault, vmovdqu %ymm0, (%rdi)
    vmio_align_dst_above 32, %eax, %rax, %rsi               /* %rcx still >= 225 */
    .p2align 6                     /* the loop in as few 64-byte code lines as it fits */
.Lloop128:                         /* %rcx > 128 */
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
.Lloop128_end:
                                   /* 1..128 left: the last 128 bytes, from the end */
    vmio_may_fault .Lloop_hw0, vmovdqu -128(%rsi,%rcx), %ymm0
    vmio_may_fault .Lloop_hw0, vmovdqu -96(%rsi,%rcx), %ymm1
    vmio_may_fault .Lloop_hw0, vmovdqu -64(%rsi,%rcx), %ymm2
    vmio_may_fault .Lloop_hw0, vmovdqu -32(%rsi,%rcx), %ymm3
    vmio_may_fault .Lloop_hw0, vmovdqu %ymm0, -128(%rdi,%rcx)
    vmio_may_fault .Lend_hw96, vmovdqu %ymm1, -96(%rdi,%rcx)
    vmio_may_fault .Lend_hw64, vmovdqu %ymm2, -64(%rdi,%rcx)
    vmio_may_fault .Lend_hw32, vmovdqu %ymm3, -32(%rdi,%rcx)
    vzeroupper
    xor     %eax, %eax
    ret

.Lrep:
    test    $63, %dil
    jz      .Lrep_aligned
    vmio_may_fault .Lfault, vmovdqu (%rsi), %ymm0
    vmio_may_fault .Lfault, vmovdqu 32(%rsi), %ymm1
    vmio_may_fault .Lfault, vmovdqu %ymm0, (%rdi)
    vmio_may_fault .Lhw32, vmovdqu %ymm1, 32(%rdi)
    vzeroupper
    vmio_align_dst_above 64, %eax, %rax, %rsi
    vmio_rep_string movsb
    vmio_avx2_high_water_stubs copy
.Lfault:
    vzeroupper
    vmio_exact_tail .Lbyte_tail, copy
.Lrep_aligned:                     /* an aligned destination needs no head store */
    vzeroupper
    vmio_rep_string movsb
    jmp     .Lfault                /* %rdi is the high-water mark: no store above it */
    VMIO_EXTABLE_RANGE(.Lloop128, .Lloop128_end, .Lloop_fault)
VMIO_END(vmio_memcpy_fallible_avx2)

VMIO_NOEXEC_STACK
