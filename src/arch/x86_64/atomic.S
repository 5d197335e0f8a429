/* Fallible 32/64-bit atomics: load, store, exchange, fetch-add and compare-exchange.
 * Return 0 when the access happened, 1 (VMIO_FAULTED) when it faulted. Values go through
 * out-parameters, so no stored value can be confused with a fault (unlike an in-band
 * sentinel). On a fault nothing is written, neither to the target nor to an out-parameter.
 *
 * Every routine is sequentially consistent (the C++ mapping for x86-TSO): loads are plain
 * `mov`s, because every sequentially consistent store is an `xchg`; the read-modify-writes
 * are `xchg` and `lock`-prefixed instructions. A store to a read-only page faults before
 * anything is written. */
#include "asm.h"

/* `value` and `accumulator` are %edx and %eax, or %rdx and %rax; `operand` is %esi or %rsi.
 * int vmio_atomic_load_u<bits>_fallible(const uint<bits>_t* ptr %rdi, uint<bits>_t* value %rsi)
 * int vmio_atomic_store_u<bits>_fallible(uint<bits>_t* ptr %rdi, uint<bits>_t value %esi / %rsi)
 * int vmio_atomic_exchange_u<bits>_fallible(uint<bits>_t* ptr %rdi, uint<bits>_t value %esi / %rsi,
 *                                           uint<bits>_t* previous %rdx)
 * int vmio_atomic_fetch_add_u<bits>_fallible(uint<bits>_t* ptr %rdi, uint<bits>_t delta %esi / %rsi,
 *                                            uint<bits>_t* previous %rdx)
 * int vmio_atomic_cmpxchg_u<bits>_fallible(uint<bits>_t* ptr %rdi, uint<bits>_t* expected %rsi,
 *                                          uint<bits>_t desired %edx / %rdx) */
.macro vmio_atomic_fallible bits, value, accumulator, operand
VMIO_FUNC(vmio_atomic_load_u\bits\()_fallible)
    vmio_may_fault .Lload_faulted\@, mov (%rdi), \value
    mov     \value, (%rsi)
    xor     %eax, %eax
    ret
.Lload_faulted\@:
    mov     $1, %eax
    ret
VMIO_END(vmio_atomic_load_u\bits\()_fallible)

VMIO_FUNC(vmio_atomic_store_u\bits\()_fallible)
    vmio_may_fault .Lstore_faulted\@, xchg \operand, (%rdi)
    xor     %eax, %eax
    ret
.Lstore_faulted\@:
    mov     $1, %eax
    ret
VMIO_END(vmio_atomic_store_u\bits\()_fallible)

VMIO_FUNC(vmio_atomic_exchange_u\bits\()_fallible)
    vmio_may_fault .Lexchange_faulted\@, xchg \operand, (%rdi)
    mov     \operand, (%rdx)
    xor     %eax, %eax
    ret
.Lexchange_faulted\@:
    mov     $1, %eax
    ret
VMIO_END(vmio_atomic_exchange_u\bits\()_fallible)

VMIO_FUNC(vmio_atomic_fetch_add_u\bits\()_fallible)
    vmio_may_fault .Lfetch_add_faulted\@, lock xadd \operand, (%rdi)
    mov     \operand, (%rdx)
    xor     %eax, %eax
    ret
.Lfetch_add_faulted\@:
    mov     $1, %eax
    ret
VMIO_END(vmio_atomic_fetch_add_u\bits\()_fallible)

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

vmio_atomic_fallible 32, %edx, %eax, %esi
vmio_atomic_fallible 64, %rdx, %rax, %rsi

VMIO_NOEXEC_STACK
