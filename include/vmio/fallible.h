/* The low-level C ABI of vmio: fallible copy, fill and atomics, written in assembly.
 *
 * Each routine may touch memory that faults (SIGSEGV or SIGBUS). Every instruction that
 * can fault is listed in vmio's exception table; vmio's signal handler redirects such a
 * fault to the routine's fixup code, which returns how far the operation got. The
 * returned counts are exact: a copy reports precisely the bytes copied before the first
 * inaccessible byte, and no destination byte past that point is written.
 *
 * Preconditions:
 *  - vmio's handler is installed and on top of, or chained to by, any other SIGSEGV/SIGBUS
 *    handler. It installs itself when the library is loaded; a program that installs a
 *    handler of its own later calls vmio_install_fault_handler() afterwards.
 *  - SIGSEGV/SIGBUS are not blocked in the calling thread (Linux kills a thread that faults
 *    with them blocked). These raw entry points never look at the mask; the C++ API does
 *    (vmio/signal_mask.hpp).
 *  - the ranges do not wrap around the address space.
 */
#ifndef VMIO_FALLIBLE_H
#define VMIO_FALLIBLE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Installs vmio's SIGSEGV/SIGBUS handler on top of the current one, which becomes the action
 * that faults outside vmio's routines are chained to; a no-op if vmio is already on top.
 * Thread-safe and fork-safe; not for use inside a signal handler. */
void vmio_install_fault_handler(void);

/* Gives the calling thread an alternate signal stack for vmio's handler, unless it has one
 * large enough (released when the thread exits). Optional; async-signal-safe. */
void vmio_prepare_thread(void);

/* Copies n bytes from src to dst; returns the number of bytes NOT copied: 0 on success,
 * else n minus the exact count copied before the first inaccessible byte (as Asterinas'
 * __memcpy_fallible). Note: the C++ vmio::memcpy_fallible (vmio/copy.hpp) returns the
 * opposite, the number of bytes copied. The default entry point: the fastest exact
 * implementation for this CPU. */
size_t vmio_memcpy_fallible(void* dst, const void* src, size_t n);
/* Sets n bytes at dst to (unsigned char)value; returns the number of bytes NOT set (the C++
 * vmio::memset_fallible returns the number of bytes set). */
size_t vmio_memset_fallible(void* dst, int value, size_t n);

/* x86_64 only: the implementations the default entry points choose from when the library is
 * loaded: the AVX-512 ones on CPUs (and operating systems) that support AVX512F, AVX512BW,
 * AVX512VL and BMI2, else the AVX2 ones where AVX2 is supported, the SSE2 ones otherwise.
 * Calling a variant on a CPU without its instructions raises SIGILL. */
#if defined(__x86_64__)
size_t vmio_memcpy_fallible_avx512(void* dst, const void* src, size_t n);
size_t vmio_memset_fallible_avx512(void* dst, int value, size_t n);
size_t vmio_memcpy_fallible_avx2(void* dst, const void* src, size_t n);
size_t vmio_memset_fallible_avx2(void* dst, int value, size_t n);
size_t vmio_memcpy_fallible_sse2(void* dst, const void* src, size_t n);
size_t vmio_memset_fallible_sse2(void* dst, int value, size_t n);
#endif

/* The simple variants, which return the same counts. x86_64: a single `rep movsb` /
 * `rep stosb`, as Asterinas does it. aarch64 and riscv64: plain byte loops (like Asterinas'
 * riscv64 __memcpy_fallible), which are also the exact tails of the default entry points. */
#if defined(__x86_64__)
size_t vmio_memcpy_fallible_movsb(void* dst, const void* src, size_t n);
size_t vmio_memset_fallible_stosb(void* dst, int value, size_t n);
#else
size_t vmio_memcpy_fallible_bytes(void* dst, const void* src, size_t n);
size_t vmio_memset_fallible_bytes(void* dst, int value, size_t n);
#endif

/* Fallible atomics. Each returns 0 when the access happened and VMIO_FAULTED when it
 * faulted; a loaded or previous value travels through an out-parameter, so no value of the
 * data can be mistaken for a fault. `ptr` must be naturally aligned. On a fault nothing is
 * stored anywhere; every operation but the load needs write access (a read-only page faults).
 * Each is sequentially consistent on every architecture (vmio/atomic.hpp lists the
 * instructions).
 *
 *   load       *value = *ptr
 *   store      *ptr = value
 *   exchange   *previous = *ptr, *ptr = value
 *   fetch_add  *previous = *ptr, *ptr = *previous + delta (wrapping)
 *   cmpxchg    if *ptr == *expected then *ptr = desired; in every case *expected receives
 *              the previous value of *ptr */
#define VMIO_FAULTED 1
int vmio_atomic_load_u32_fallible(const uint32_t* ptr, uint32_t* value);
int vmio_atomic_load_u64_fallible(const uint64_t* ptr, uint64_t* value);
int vmio_atomic_store_u32_fallible(uint32_t* ptr, uint32_t value);
int vmio_atomic_store_u64_fallible(uint64_t* ptr, uint64_t value);
int vmio_atomic_exchange_u32_fallible(uint32_t* ptr, uint32_t value, uint32_t* previous);
int vmio_atomic_exchange_u64_fallible(uint64_t* ptr, uint64_t value, uint64_t* previous);
int vmio_atomic_fetch_add_u32_fallible(uint32_t* ptr, uint32_t delta, uint32_t* previous);
int vmio_atomic_fetch_add_u64_fallible(uint64_t* ptr, uint64_t delta, uint64_t* previous);
int vmio_atomic_cmpxchg_u32_fallible(uint32_t* ptr, uint32_t* expected, uint32_t desired);
int vmio_atomic_cmpxchg_u64_fallible(uint64_t* ptr, uint64_t* expected, uint64_t desired);

#ifdef __cplusplus
}
#endif

#endif /* VMIO_FALLIBLE_H */
