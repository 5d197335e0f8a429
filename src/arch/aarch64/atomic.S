/* Fallible 32/64-bit atomic load and compare-exchange.
 * Return 0 when the access happened, 1 (VMIO_FAULTED) when it faulted. Values go through
 * out-parameters, so no stored value can be confused with a fault. On a fault nothing is
 * written, neither to the target nor to the out-parameter.
 *
 * The compare-exchange is a load-/store-exclusive loop (baseline ARMv8.0, no LSE needed).
 * When the values differ it stores the observed value back, so that the operation needs
 * write access whatever the values, as x86's `lock cmpxchg` does, and faults on a
 * read-only page either way; the exclusive pair makes that store invisible. */
#include "asm.h"

/* LOAD(name, reg-prefix): reg-prefix w for 32 bits, x for 64.
 * int name(const T* ptr x0, T* value x1) */
#define LOAD(name, r)                                                             \
VMIO_FUNC(name);                                                                  \
1:  ldar    r##2, [x0];                                                           \
    str     r##2, [x1];                                                           \
    mov     w0, #0;                                                               \
    ret;                                                                          \
2:  mov     w0, #1;                                                               \
    ret;                                                                          \
    VMIO_EXTABLE(1b, 2b);                                                         \
VMIO_END(name)

LOAD(vmio_atomic_load_u32_fallible, w)
LOAD(vmio_atomic_load_u64_fallible, x)

/* CMPXCHG(name, reg-prefix): reg-prefix w for 32 bits, x for 64.
 * int name(T* ptr x0, T* expected x1, T desired x2) */
#define CMPXCHG(name, r)                                                          \
VMIO_FUNC(name);                                                                  \
    ldr     r##3, [x1];                                                           \
1:  ldaxr   r##4, [x0];                                                           \
    cmp     r##4, r##3;                                                           \
    csel    r##5, r##2, r##4, eq;       /* desired on a match, else the old value */ \
2:  stlxr   w6, r##5, [x0];                                                       \
    cbnz    w6, 1b;                                                               \
    str     r##4, [x1];                                                           \
    mov     w0, #0;                                                               \
    ret;                                                                          \
3:  mov     w0, #1;                                                               \
    ret;                                                                          \
    VMIO_EXTABLE(1b, 3b);                                                         \
    VMIO_EXTABLE(2b, 3b);                                                         \
VMIO_END(name)

CMPXCHG(vmio_atomic_cmpxchg_u32_fallible, w)
CMPXCHG(vmio_atomic_cmpxchg_u64_fallible, x)

VMIO_NOEXEC_STACK
