/* Fallible 32/64-bit atomics: load, store, exchange, fetch-add and compare-exchange.
 * Return 0 when the access happened, 1 (VMIO_FAULTED) when it faulted. Values go through
 * out-parameters, so no stored value can be confused with a fault. On a fault nothing is
 * written, neither to the target nor to an out-parameter.
 *
 * Every routine is sequentially consistent (the C++ mapping for ARMv8.0, no LSE needed):
 * loads are `ldar`, stores `stlr`, read-modify-writes `ldaxr`/`stlxr` loops. In a loop the
 * load may succeed on a read-only page and the store-exclusive then faults: nothing is
 * written. The compare-exchange stores the observed value back when the values differ, so
 * that it needs write access whatever the values, as x86's `lock cmpxchg` does, and faults
 * on a read-only page either way; the exclusive pair makes that store invisible. */
#include "asm.h"

/* Each macro takes reg-prefix w for 32 bits, x for 64. */

/* int name(const T* ptr x0, T* value x1) */
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

/* int name(T* ptr x0, T value x1) */
#define STORE(name, r)                                                            \
VMIO_FUNC(name);                                                                  \
1:  stlr    r##1, [x0];                                                           \
    mov     w0, #0;                                                               \
    ret;                                                                          \
2:  mov     w0, #1;                                                               \
    ret;                                                                          \
    VMIO_EXTABLE(1b, 2b);                                                         \
VMIO_END(name)

/* A read-modify-write: int name(T* ptr x0, T operand x1, T* previous x2), storing what
 * the instruction given last computes into r5 from the old value r3 and the operand r1. */
#define READ_MODIFY_WRITE(name, r, ...)                                           \
VMIO_FUNC(name);                                                                  \
1:  ldaxr   r##3, [x0];                                                           \
    __VA_ARGS__;                                                                  \
2:  stlxr   w4, r##5, [x0];                                                       \
    cbnz    w4, 1b;                                                               \
    str     r##3, [x2];                                                           \
    mov     w0, #0;                                                               \
    ret;                                                                          \
3:  mov     w0, #1;                                                               \
    ret;                                                                          \
    VMIO_EXTABLE(1b, 3b);                                                         \
    VMIO_EXTABLE(2b, 3b);                                                         \
VMIO_END(name)

/* int name(T* ptr x0, T* expected x1, T desired x2) */
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

LOAD(vmio_atomic_load_u32_fallible, w)
LOAD(vmio_atomic_load_u64_fallible, x)
STORE(vmio_atomic_store_u32_fallible, w)
STORE(vmio_atomic_store_u64_fallible, x)
READ_MODIFY_WRITE(vmio_atomic_exchange_u32_fallible, w, mov w5, w1)
READ_MODIFY_WRITE(vmio_atomic_exchange_u64_fallible, x, mov x5, x1)
READ_MODIFY_WRITE(vmio_atomic_fetch_add_u32_fallible, w, add w5, w3, w1)
READ_MODIFY_WRITE(vmio_atomic_fetch_add_u64_fallible, x, add x5, x3, x1)
CMPXCHG(vmio_atomic_cmpxchg_u32_fallible, w)
CMPXCHG(vmio_atomic_cmpxchg_u64_fallible, x)

VMIO_NOEXEC_STACK
