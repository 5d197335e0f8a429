/* Fallible 32/64-bit atomics: load, store, exchange, fetch-add and compare-exchange.
 * Return 0 when the access happened, 1 (VMIO_FAULTED) when it faulted. Values go through
 * out-parameters, so no stored value can be confused with a fault. On a fault nothing is
 * written, neither to the target nor to an out-parameter.
 *
 * Every routine is sequentially consistent (the C++ mapping for RVWMO, A extension only):
 * loads are `fence rw,rw; l{w,d}; fence r,rw`; stores, exchanges and fetch-adds are AMOs
 * with aq and rl set (a store is an amoswap into zero: a store-AMO, which faults on a
 * read-only page); the compare-exchange is an lr/sc loop (no Zacas). When the values differ
 * it stores the observed value back, so that it needs write access whatever the values, as
 * x86's `lock cmpxchg` does, and faults on a read-only page either way; the reservation
 * makes that store invisible. lr.w sign-extends, so the 32-bit expected value is loaded
 * with lw (sign-extending too) for the comparison. */
#include "asm.h"

/* LOAD(name, load-insn, store-insn): int name(const T* ptr a0, T* value a1) */
#define LOAD(name, load, store)                                                   \
VMIO_FUNC(name);                                                                  \
    fence   rw, rw;                                                               \
1:  load    t0, 0(a0);                                                            \
    fence   r, rw;                                                                \
    store   t0, 0(a1);                                                            \
    li      a0, 0;                                                                \
    ret;                                                                          \
2:  li      a0, 1;                                                                \
    ret;                                                                          \
    VMIO_EXTABLE(1b, 2b);                                                         \
VMIO_END(name)

/* AMO(name, amo-insn, store-insn): int name(T* ptr a0, T operand a1, T* previous a2) */
#define AMO(name, amo, store)                                                     \
VMIO_FUNC(name);                                                                  \
1:  amo     t0, a1, (a0);                                                         \
    store   t0, 0(a2);                                                            \
    li      a0, 0;                                                                \
    ret;                                                                          \
2:  li      a0, 1;                                                                \
    ret;                                                                          \
    VMIO_EXTABLE(1b, 2b);                                                         \
VMIO_END(name)

/* STORE(name, amoswap-insn): int name(T* ptr a0, T value a1) */
#define STORE(name, amo)                                                          \
VMIO_FUNC(name);                                                                  \
1:  amo     zero, a1, (a0);                                                       \
    li      a0, 0;                                                                \
    ret;                                                                          \
2:  li      a0, 1;                                                                \
    ret;                                                                          \
    VMIO_EXTABLE(1b, 2b);                                                         \
VMIO_END(name)

/* CMPXCHG(name, suffix, load-insn, store-insn): suffix w for 32 bits, d for 64.
 * int name(T* ptr a0, T* expected a1, T desired a2) */
#define CMPXCHG(name, s, load, store)                                             \
VMIO_FUNC(name);                                                                  \
    load    t1, 0(a1);                                                            \
1:  lr.s.aqrl t0, (a0);                                                           \
    mv      t2, a2;                                                               \
    beq     t0, t1, 2f;                                                           \
    mv      t2, t0;                    /* no match: store the old value back */   \
2:  sc.s.rl t3, t2, (a0);                                                         \
    bnez    t3, 1b;                                                               \
    store   t0, 0(a1);                                                            \
    li      a0, 0;                                                                \
    ret;                                                                          \
3:  li      a0, 1;                                                                \
    ret;                                                                          \
    VMIO_EXTABLE(1b, 3b);                                                         \
    VMIO_EXTABLE(2b, 3b);                                                         \
VMIO_END(name)

LOAD(vmio_atomic_load_u32_fallible, lw, sw)
LOAD(vmio_atomic_load_u64_fallible, ld, sd)
STORE(vmio_atomic_store_u32_fallible, amoswap.w.aqrl)
STORE(vmio_atomic_store_u64_fallible, amoswap.d.aqrl)
AMO(vmio_atomic_exchange_u32_fallible, amoswap.w.aqrl, sw)
AMO(vmio_atomic_exchange_u64_fallible, amoswap.d.aqrl, sd)
AMO(vmio_atomic_fetch_add_u32_fallible, amoadd.w.aqrl, sw)
AMO(vmio_atomic_fetch_add_u64_fallible, amoadd.d.aqrl, sd)
CMPXCHG(vmio_atomic_cmpxchg_u32_fallible, w, lw, sw)
CMPXCHG(vmio_atomic_cmpxchg_u64_fallible, d, ld, sd)

VMIO_NOEXEC_STACK
