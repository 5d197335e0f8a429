/* Fallible 32/64-bit atomic load and compare-exchange.
 * Return 0 when the access happened, 1 (VMIO_FAULTED) when it faulted. Values go through
 * out-parameters, so no stored value can be confused with a fault (unlike an in-band
 * sentinel). On a fault nothing is written, neither to the target nor to the out-parameter. */
#include "asm.h"

/* The load and the compare-exchange of `bits`-bit values; `value` and `accumulator` are
 * %edx and %eax, or %rdx and %rax.
 * int vmio_atomic_load_u<bits>_fallible(const uint<bits>_t* ptr %rdi, uint<bits>_t* value %rsi)
 * int vmio_atomic_cmpxchg_u<bits>_fallible(uint<bits>_t* ptr %rdi, uint<bits>_t* expected %rsi,
 *                                          uint<bits>_t desired %edx / %rdx) */
.macro vmio_atomic_fallible bits, value, accumulator
VMIO_FUNC(vmio_atomic_load_u\bits\()_fallible)
    vmio_may_fault .Lload_faulted\@, mov (%rdi), \value
    mov     \value, (%rsi)
    xor     %eax, %eax
    ret
.Lload_faulted\@:
    mov     $1, %eax
    ret
VMIO_END(vmio_atomic_load_u\bits\()_fallible)

VMIO_FUNC(vmio_atomic_cmpxchg_u\bits\()_fallible)
    mov     (%rsi), \accumulator
    vmio_may_fault .Lcmpxchg_faulted\@, lock cmpxchg \value, (%rdi)
    mov     \accumulator, (%rsi)
    xor     %eax, %eax
    ret
.Lcmpxchg_faulted\@:
    mov     $1, %eax
    ret
VMIO_END(vmio_atomic_cmpxchg_u\bits\()_fallible)
.endm

vmio_atomic_fallible 32, %edx, %eax
vmio_atomic_fallible 64, %rdx, %rax

VMIO_NOEXEC_STACK
