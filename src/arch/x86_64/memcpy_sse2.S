/* Exact fallible copy with SSE2 moves (what vmio_memcpy_fallible runs without AVX2).
 *
 * Register contract, kept at every faulting instruction:
 *   %rsi / %rdi  next source / destination byte not yet known to be copied
 *   %rcx         bytes left from there
 * Sizes up to 64 use overlapping unaligned moves that load everything before storing;
 * larger copies run a 64-byte loop that advances the registers after each block's stores,
 * and from REP_THRESHOLD on a single `rep movsb` (fast on ERMS/FSRM CPUs).
 * Stores go up in address order; a store that follows stores reaching past the registers
 * has a fixup stub that first moves the registers to the high-water mark, so that no byte
 * stored before the fault is stored again by the tail (exact_tail.h). Every fault ends in
 * .Lbyte_tail, which finishes byte by byte from the registers and returns the exact count
 * left. */
#include "asm.h"
#include "exact_tail.h"
#include "high_water_stubs.h"
#include "rep_string.h"
#include "small_copy.h"

#define REP_THRESHOLD 2048

/* size_t vmio_memcpy_fallible_sse2(void* dst %rdi, const void* src %rsi, size_t n %rdx) */
VMIO_FUNC(vmio_memcpy_fallible_sse2)
    mov     %rdx, %rcx
    cmp     $64, %rdx
    ja      .Lbig
.Lupto64:                          /* 0 <= %rcx <= 64 */
    cmp     $16, %ecx
    ja      .L17_64
    vmio_copy_upto16 .Lbyte_tail, .Lhw_small
.L17_64:
    cmp     $32, %ecx
    ja      .L33_64
    vmio_may_fault .Lbyte_tail, movdqu  (%rsi), %xmm0       /* 17..32 */
    vmio_may_fault .Lbyte_tail, movdqu  -16(%rsi,%rcx), %xmm1
    vmio_may_fault .Lbyte_tail, movdqu  %xmm0, (%rdi)
    vmio_may_fault .Lhw16, movdqu  %xmm1, -16(%rdi,%rcx)
    xor     %eax, %eax
    ret
.L33_64:
    vmio_may_fault .Lbyte_tail, movdqu  (%rsi), %xmm0       /* 33..64 */
    vmio_may_fault .Lbyte_tail, movdqu  16(%rsi), %xmm1
    vmio_may_fault .Lbyte_tail, movdqu  -32(%rsi,%rcx), %xmm2
    vmio_may_fault .Lbyte_tail, movdqu  -16(%rsi,%rcx), %xmm3
    vmio_may_fault .Lbyte_tail, movdqu  %xmm0, (%rdi)
    vmio_may_fault .Lhw16, movdqu  %xmm1, 16(%rdi)
    vmio_may_fault .Lhw32, movdqu  %xmm2, -32(%rdi,%rcx)
    vmio_may_fault .Lhw32_16, movdqu  %xmm3, -16(%rdi,%rcx)
    xor     %eax, %eax
    ret

.Lbig:                             /* %rcx > 64 */
    cmp     $REP_THRESHOLD, %rcx
    jae     .Lrep
.Lloop64:
    movdqu  (%rsi), %xmm0
    movdqu  16(%rsi), %xmm1
    movdqu  32(%rsi), %xmm2
    movdqu  48(%rsi), %xmm3
    movdqu  %xmm0, (%rdi)
    movdqu  %xmm1, 16(%rdi)
    movdqu  %xmm2, 32(%rdi)
    movdqu  %xmm3, 48(%rdi)
    add     $64, %rsi
    add     $64, %rdi
    sub     $64, %rcx
    cmp     $64, %rcx
    ja      .Lloop64
.Lloop64_end:
    jmp     .Lupto64

.Lrep:
    vmio_rep_string movsb
    jmp     .Lbyte_tail

    vmio_sse2_high_water_stubs copy
    vmio_exact_tail .Lbyte_tail, copy
    VMIO_EXTABLE_RANGE(.Lloop64, .Lloop64_end, .Lloop_fault)
VMIO_END(vmio_memcpy_fallible_sse2)

VMIO_NOEXEC_STACK
