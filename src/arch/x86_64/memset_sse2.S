/* Exact fallible fill with SSE2 stores (what vmio_memset_fallible runs without AVX2).
 *
 * Same register contract as memcpy_sse2.S: %rdi is the next byte not yet known to be set and
 * %rcx the bytes left from there; %esi keeps the fill value (the fixup takes the byte from
 * it), %rax/%xmm0 hold the byte broadcast.
 * Up to 64 bytes: overlapping stores from low to high addresses; then a 64-byte loop;
 * from REP_THRESHOLD a `rep stosb`. A store that follows stores reaching past the registers
 * has a fixup stub that first moves the registers to the high-water mark (exact_tail.h).
 * Every fault ends in .Lfault, which finishes byte by byte from the registers and returns
 * the exact count left. */
#include "asm.h"
#include "exact_tail.h"
#include "high_water_stubs.h"
#include "rep_string.h"
#include "small_fill.h"

#define REP_THRESHOLD 2048

/* size_t vmio_memset_fallible_sse2(void* dst %rdi, int value %esi, size_t n %rdx) */
VMIO_FUNC(vmio_memset_fallible_sse2)
    mov     %rdx, %rcx
    cmp     $16, %rdx
    jbe     .Lupto16
    vmio_broadcast_fill_byte
    movq    %rax, %xmm0
    punpcklqdq %xmm0, %xmm0
    cmp     $64, %rdx
    ja      .Lbig
.L17_64:                           /* 17 <= %rcx <= 64 */
    cmp     $32, %ecx
    ja      .L33_64
    vmio_may_fault .Lfault, movdqu  %xmm0, (%rdi)
    vmio_may_fault .Lhw16, movdqu  %xmm0, -16(%rdi,%rcx)
    xor     %eax, %eax
    ret
.L33_64:
    vmio_may_fault .Lfault, movdqu  %xmm0, (%rdi)
    vmio_may_fault .Lhw16, movdqu  %xmm0, 16(%rdi)
    vmio_may_fault .Lhw32, movdqu  %xmm0, -32(%rdi,%rcx)
    vmio_may_fault .Lhw32_16, movdqu  %xmm0, -16(%rdi,%rcx)
    xor     %eax, %eax
    ret
.Lupto16:                          /* 0 <= %rcx <= 16 */
    vmio_fill_upto16 .Lfault, .Lhw_small

.Lbig:                             /* %rcx > 64 */
    cmp     $REP_THRESHOLD, %rcx
    jae     .Lrep
.Lloop64:
    movdqu  %xmm0, (%rdi)
    movdqu  %xmm0, 16(%rdi)
    movdqu  %xmm0, 32(%rdi)
    movdqu  %xmm0, 48(%rdi)
    add     $64, %rdi
    sub     $64, %rcx
    cmp     $64, %rcx
    ja      .Lloop64
.Lloop64_end:
    cmp     $16, %ecx
    ja      .L17_64
    jmp     .Lupto16

.Lrep:
    vmio_rep_string stosb
    jmp     .Lfault

    vmio_sse2_high_water_stubs fill
.Lfault:
    mov     %esi, %eax             /* the fill byte for the tail */
    vmio_exact_tail .Lbyte_tail, fill
    VMIO_EXTABLE_RANGE(.Lloop64, .Lloop64_end, .Lloop_fault)
VMIO_END(vmio_memset_fallible_sse2)

VMIO_NOEXEC_STACK
