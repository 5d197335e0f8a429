/* Exact fallible copy with AVX-512 moves (what vmio_memcpy_fallible runs on CPUs with
 * AVX512F, AVX512BW and AVX512VL, and BMI2).
 *
 * Register contract, kept at every faulting instruction (as in memcpy_avx2.S):
 *   %rsi / %rdi  next source / destination byte not yet known to be copied
 *   %rcx         bytes left from there
 *   %rdx         n, the whole size (the >256 B paths find the original destination from it)
 * Stores go up in address order; a store that follows stores reaching past the registers
 * has a fixup stub that first moves the registers to the high-water mark (exact_tail.h).
 * Only %zmm16..%zmm31 and %k1 are used: EVEX-only registers, which leave the legacy upper
 * vector state clean, so no vzeroupper is needed anywhere.
 * 0..63 bytes: one masked load and one masked store of the bytes [0, n) (mask from bzhi).
 *   Masked-off bytes never fault, so a fault is always on a byte of the range; a faulting
 *   masked store writes nothing. A range that crosses a 4 KiB boundary goes to the AVX2
 *   routine (vmio_mask_upto64, asm.h).
 * 64..256: overlapping 64-byte moves from both ends, every load before any store; 64..128
 *   is the fall-through path after two compares (a taken branch costs about a cycle).
 * Up to REP_THRESHOLD: the first 64 bytes, then a loop of 4 x 64 bytes with the
 * destination 64-byte aligned (it starts up to 64 bytes below the first 64 bytes' end),
 * which advances the registers after each block's stores, then the last 256 bytes from the
 * end (overlapping the loop's). Their fixups resume at the highest of the head's end, the
 * registers and the end of the completed stores of the block.
 * From REP_THRESHOLD: the first 64 bytes, then `rep movsb` with a 64-byte aligned
 * destination (rep_string.h), whose fixup resumes at the higher of the two.
 * Every fault ends in .Lfault, which finishes byte by byte from the registers
 * (exact_tail.h). */
#include "asm.h"
#include "exact_tail.h"
#include "high_water_stubs.h"
#include "rep_string.h"

#define REP_THRESHOLD 4096

/* size_t vmio_memcpy_fallible_avx512(void* dst %rdi, const void* src %rsi, size_t n %rdx) */
VMIO_FUNC(vmio_memcpy_fallible_avx512)
    mov     %rdx, %rcx
    cmp     $64, %rdx
    jb      .Lbelow64
    cmp     $128, %rdx
    ja      .Labove128
    /* 64..128, the fall-through path (no taken branch): two loads, then two stores */
    vmio_may_fault .Lfault, vmovdqu64 (%rsi), %zmm16
    vmio_may_fault .Lfault, vmovdqu64 -64(%rsi,%rcx), %zmm17
    vmio_may_fault .Lfault, vmovdqu64 %zmm16, (%rdi)
    vmio_may_fault .Lhw64, vmovdqu64 %zmm17, -64(%rdi,%rcx)
    xor     %eax, %eax
    ret

.Lbelow64:
    vmio_mask_upto64 .Lsmall_cross_page                     /* 0..63 */
    vmio_may_fault .Lfault, vmovdqu8 (%rsi), %zmm16{%k1}{z}
    vmio_may_fault .Lfault, vmovdqu8 %zmm16, (%rdi){%k1}
    xor     %eax, %eax
    ret
.Lsmall_cross_page:                /* plain moves report the first bad byte (asm.h) */
    jmp     vmio_memcpy_fallible_avx2@PLT

.Labove128:
    cmp     $256, %rdx
    ja      .Labove256
    vmio_may_fault .Lfault, vmovdqu64 (%rsi), %zmm16        /* 129..256 */
    vmio_may_fault .Lfault, vmovdqu64 64(%rsi), %zmm17
    vmio_may_fault .Lfault, vmovdqu64 -128(%rsi,%rcx), %zmm18
    vmio_may_fault .Lfault, vmovdqu64 -64(%rsi,%rcx), %zmm19
    vmio_may_fault .Lfault, vmovdqu64 %zmm16, (%rdi)
    vmio_may_fault .Lhw64, vmovdqu64 %zmm17, 64(%rdi)
    vmio_may_fault .Lhw128, vmovdqu64 %zmm18, -128(%rdi,%rcx)
    vmio_may_fault .Lhw128_64, vmovdqu64 %zmm19, -64(%rdi,%rcx)
    xor     %eax, %eax
    ret

.Labove256:
    cmp     $REP_THRESHOLD, %rdx
    jae     .Lrep
    vmio_may_fault .Lfault, vmovdqu64 (%rsi), %zmm16
    vmio_may_fault .Lfault, vmovdqu64 %zmm16, (%rdi)
    vmio_align_dst 64, %eax, %rax, %rsi                     /* %rcx still > 193 */
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
    vmio_may_fault .Lloop_hw0, vmovdqu64 -256(%rsi,%rcx), %zmm16
    vmio_may_fault .Lloop_hw0, vmovdqu64 -192(%rsi,%rcx), %zmm17
    vmio_may_fault .Lloop_hw0, vmovdqu64 -128(%rsi,%rcx), %zmm18
    vmio_may_fault .Lloop_hw0, vmovdqu64 -64(%rsi,%rcx), %zmm19
    vmio_may_fault .Lloop_hw0, vmovdqu64 %zmm16, -256(%rdi,%rcx)
    vmio_may_fault .Lend_hw192, vmovdqu64 %zmm17, -192(%rdi,%rcx)
    vmio_may_fault .Lend_hw128, vmovdqu64 %zmm18, -128(%rdi,%rcx)
    vmio_may_fault .Lend_hw64, vmovdqu64 %zmm19, -64(%rdi,%rcx)
    xor     %eax, %eax
    ret

.Lrep:
    vmio_may_fault .Lfault, vmovdqu64 (%rsi), %zmm16
    vmio_may_fault .Lfault, vmovdqu64 %zmm16, (%rdi)
    vmio_align_dst 64, %eax, %rax, %rsi
    vmio_rep_string movsb
    vmio_avx512_high_water_stubs copy
    vmio_exact_tail .Lfault, copy
    VMIO_EXTABLE_RANGE(.Lloop256, .Lloop256_end, .Lloop_fault)
VMIO_END(vmio_memcpy_fallible_avx512)

VMIO_NOEXEC_STACK
