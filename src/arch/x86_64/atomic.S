/* Fallible 32/64-bit atomic load and compare-exchange.
 * Return 0 when the access happened, 1 (VMIO_FAULTED) when it faulted. Values go through
 * out-parameters, so no stored value can be confused with a fault (unlike an in-band
 * sentinel). On a fault nothing is written, neither to the target nor to the out-parameter. */
#include "asm.h"

/* int vmio_atomic_load_u32_fallible(const uint32_t* ptr %rdi, uint32_t* value %rsi) */
VMIO_FUNC(vmio_atomic_load_u32_fallible)
1:  mov     (%rdi), %edx
    mov     %edx, (%rsi)
    xor     %eax, %eax
    ret
2:  mov     $1, %eax
    ret
    VMIO_EXTABLE(1b, 2b)
VMIO_END(vmio_atomic_load_u32_fallible)

/* int vmio_atomic_load_u64_fallible(const uint64_t* ptr %rdi, uint64_t* value %rsi) */
VMIO_FUNC(vmio_atomic_load_u64_fallible)
1:  mov     (%rdi), %rdx
    mov     %rdx, (%rsi)
    xor     %eax, %eax
    ret
2:  mov     $1, %eax
    ret
    VMIO_EXTABLE(1b, 2b)
VMIO_END(vmio_atomic_load_u64_fallible)

/* int vmio_atomic_cmpxchg_u32_fallible(uint32_t* ptr %rdi, uint32_t* expected %rsi,
 *                                      uint32_t desired %edx) */
VMIO_FUNC(vmio_atomic_cmpxchg_u32_fallible)
    mov     (%rsi), %eax
1:  lock cmpxchg %edx, (%rdi)
    mov     %eax, (%rsi)
    xor     %eax, %eax
    ret
2:  mov     $1, %eax
    ret
    VMIO_EXTABLE(1b, 2b)
VMIO_END(vmio_atomic_cmpxchg_u32_fallible)

/* int vmio_atomic_cmpxchg_u64_fallible(uint64_t* ptr %rdi, uint64_t* expected %rsi,
 *                                      uint64_t desired %rdx) */
VMIO_FUNC(vmio_atomic_cmpxchg_u64_fallible)
    mov     (%rsi), %rax
1:  lock cmpxchg %rdx, (%rdi)
    mov     %rax, (%rsi)
    xor     %eax, %eax
    ret
2:  mov     $1, %eax
    ret
    VMIO_EXTABLE(1b, 2b)
VMIO_END(vmio_atomic_cmpxchg_u64_fallible)

VMIO_NOEXEC_STACK
