/* Exact fallible fill with AVX2 stores (what vmio_memset_fallible runs on AVX2 CPUs).
 *
 * Same register contract as memcpy_avx2.S: %rdi is the next byte not yet known to be set
 * and %rcx the bytes left from there, %rdx is n; %esi keeps the fill value (the fixup takes
 * the byte from it), %rax/%xmm0/%ymm0 hold the byte broadcast. Stores go from low to high
 * addresses: overlapping stores up to 256 bytes, then a loop of 4 x 32 bytes with the
 * destination 32-byte aligned and the last 128 bytes from the end, and from REP_THRESHOLD
 * a `rep stosb` with a 64-byte aligned destination. A store that follows stores reaching
 * past the registers has a fixup stub that first moves the registers to the high-water
 * mark (exact_tail.h). Every fault ends in .Lfault, which clears the upper vector state and
 * finishes byte by byte from the registers. */
#include "asm.h"
#include "exact_tail.h"
#include "high_water_stubs.h"
#include "rep_string.h"
#include "small_fill.h"

#define REP_THRESHOLD 2048

/* size_t vmio_memset_fallible_avx2(void* dst %rdi, int value %esi, size_t n %rdx) */
VMIO_FUNC(vmio_memset_fallible_avx2)
    vmio_broadcast_fill_byte
    mov     %rdx, %rcx
    cmp     $16, %rdx
    jbe     .Lupto16
    vmovd   %eax, %xmm0
    cmp     $32, %rdx
    ja      .Labove32
    vpbroadcastb %xmm0, %xmm0      /* 17..32, 128-bit: the upper state stays clean */
    vmio_may_fault .Lfault, vmovdqu %xmm0, (%rdi)
    vmio_may_fault .Lhw16, vmovdqu %xmm0, -16(%rdi,%rcx)
    xor     %eax, %eax
    ret
.Lupto16:                          /* 0 <= %rcx <= 16 */
    vmio_fill_upto16 .Lfault, .Lhw_small

.Labove32:
    vpbroadcastb %xmm0, %ymm0
    cmp     $64, %rdx
    ja      .Labove64
    vmio_may_fault .Lfault, vmovdqu %ymm0, (%rdi)           /* 33..64 */
    vmio_may_fault .Lhw32, vmovdqu %ymm0, -32(%rdi,%rcx)
    vzeroupper
    xor     %eax, %eax
    ret

.Labove64:
    cmp     $128, %rdx
    ja      .Labove128
    vmio_may_fault .Lfault, vmovdqu %ymm0, (%rdi)           /* 65..128 */
    vmio_may_fault .Lhw32, vmovdqu %ymm0, 32(%rdi)
    vmio_may_fault .Lhw64, vmovdqu %ymm0, -64(%rdi,%rcx)
    vmio_may_fault .Lhw64_32, vmovdqu %ymm0, -32(%rdi,%rcx)
    vzeroupper
    xor     %eax, %eax
    ret

.Labove128:
    cmp     $256, %rdx
    ja      .Labove256
    vmio_may_fault .Lfault, vmovdqu %ymm0, (%rdi)           /* 129..256 */
    vmio_may_fault .Lhw32, vmovdqu %ymm0, 32(%rdi)
    vmio_may_fault .Lhw64, vmovdqu %ymm0, 64(%rdi)
    vmio_may_fault .Lhw96, vmovdqu %ymm0, 96(%rdi)
    vmio_may_fault .Lhw128, vmovdqu %ymm0, -128(%rdi,%rcx)
    vmio_may_fault .Lhw128_96, vmovdqu %ymm0, -96(%rdi,%rcx)
    vmio_may_fault .Lhw128_64, vmovdqu %ymm0, -64(%rdi,%rcx)
    vmio_may_fault .Lhw128_32, vmovdqu %ymm0, -32(%rdi,%rcx)
    vzeroupper
    xor     %eax, %eax
    ret

.Labove256:
    cmp     $REP_THRESHOLD, %rdx
    jae     .Lrep
    vmio_may_fault .Lfault, vmovdqu %ymm0, (%rdi)
    vmio_align_dst 32, %r8d, %r8                            /* %rcx still > 224 */
.Lloop128:
    vmovdqa %ymm0, (%rdi)
    vmovdqa %ymm0, 32(%rdi)
    vmovdqa %ymm0, 64(%rdi)
    vmovdqa %ymm0, 96(%rdi)
    sub     $-128, %rdi
    add     $-128, %rcx
    cmp     $128, %rcx
    ja      .Lloop128
.Lloop128_end:
                                   /* 1..128 left: the last 128 bytes, from the end */
    vmio_may_fault .Lloop_hw0, vmovdqu %ymm0, -128(%rdi,%rcx)
    vmio_may_fault .Lend_hw96, vmovdqu %ymm0, -96(%rdi,%rcx)
    vmio_may_fault .Lend_hw64, vmovdqu %ymm0, -64(%rdi,%rcx)
    vmio_may_fault .Lend_hw32, vmovdqu %ymm0, -32(%rdi,%rcx)
    vzeroupper
    xor     %eax, %eax
    ret

.Lrep:
    vmio_may_fault .Lfault, vmovdqu %ymm0, (%rdi)
    vmio_may_fault .Lhw32, vmovdqu %ymm0, 32(%rdi)
    vzeroupper
    vmio_align_dst 64, %r8d, %r8
    vmio_rep_string stosb
    vmio_avx2_high_water_stubs fill
.Lfault:
    vzeroupper
    mov     %esi, %eax             /* the fill byte for the tail */
    vmio_exact_tail .Lbyte_tail, fill
    VMIO_EXTABLE_RANGE(.Lloop128, .Lloop128_end, .Lloop_fault)
VMIO_END(vmio_memset_fallible_avx2)

VMIO_NOEXEC_STACK
