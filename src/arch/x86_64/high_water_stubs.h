/* The fixup stubs of each x86_64 routine family (exact_tail.h): copy and fill of one width
 * store the same way on every size path, so they need the same stubs. Each macro defines the
 * stub labels the routine's stores name, then .Lhw_advance, which moves the registers to the
 * high-water mark (`kind` copy or fill) and falls through to the routine's exact tail. */
#ifndef VMIO_ARCH_X86_64_HIGH_WATER_STUBS_H
#define VMIO_ARCH_X86_64_HIGH_WATER_STUBS_H

#include "exact_tail.h"
#include "small_copy.h"
#include "small_fill.h"

/* The stubs of the later stores of 0..16 bytes (small_copy.h, small_fill.h): .Lhw_small1,
 * 4 and 8, and the fill's .Lhw_small_mid. */
.macro vmio_upto16_high_water kind
    vmio_high_water .Lhw_small1, .Lhw_advance, 1
.ifc \kind, fill
.Lhw_small_mid:                    /* bytes 0 and n / 2 of 1..3 are set: n / 2 + 1 */
    mov     %ecx, %eax
    shr     %eax
    inc     %eax
    jmp     .Lhw_advance
.endif
    vmio_high_water .Lhw_small4, .Lhw_advance, 4
    vmio_high_water .Lhw_small8, .Lhw_advance, 8
.endm

/* SSE2: 16-byte moves up to 64 bytes, then a 4 x 16-byte loop. */
.macro vmio_sse2_high_water_stubs kind
    vmio_upto16_high_water \kind
    vmio_high_water .Lhw16, .Lhw_advance, 16
    vmio_high_water .Lhw32, .Lhw_advance, 32
    vmio_high_water .Lhw32_16, .Lhw_advance, 32, 16
    vmio_high_water .Lhw48, .Lhw_advance, 48
    vmio_loop_high_water .Lloop_fault, .Lhw_advance, 64, 16
.Lhw_advance:
    vmio_advance_high_water \kind
.endm

/* AVX2: 32-byte moves up to 256 bytes, the first 32 (or 64) bytes before an aligning rewind,
 * a 4 x 32-byte loop and the last 128 bytes from the end; `rep` past the first 64 bytes. */
.macro vmio_avx2_high_water_stubs kind
    vmio_high_water .Lrep_hw, .Lhw_advance, 0, , 64
    vmio_upto16_high_water \kind
    vmio_high_water .Lhw16, .Lhw_advance, 16
    vmio_high_water .Lhw32, .Lhw_advance, 32
    vmio_high_water .Lhw64, .Lhw_advance, 64
    vmio_high_water .Lhw64_32, .Lhw_advance, 64, 32
    vmio_high_water .Lhw96, .Lhw_advance, 96
    vmio_high_water .Lhw128, .Lhw_advance, 128
    vmio_high_water .Lhw128_96, .Lhw_advance, 128, 96
    vmio_high_water .Lhw128_64, .Lhw_advance, 128, 64
    vmio_high_water .Lhw128_32, .Lhw_advance, 128, 32
    vmio_high_water .Lloop_hw0, .Lhw_advance, 0, , 32
    vmio_high_water .Lend_hw96, .Lhw_advance, 0, 96, 32
    vmio_high_water .Lend_hw64, .Lhw_advance, 0, 64, 32
    vmio_high_water .Lend_hw32, .Lhw_advance, 0, 32, 32
    vmio_loop_high_water .Lloop_fault, .Lhw_advance, 128, 32, 32
.Lhw_advance:
    vmio_advance_high_water \kind
.endm

/* AVX-512: 64-byte moves up to 512 bytes (the first 256 and the last 256 from the end past
 * 256), a 4 x 64-byte loop entered after the first `loop_head` bytes were stored (64 for the
 * copy, which rounds its destination up to the next 64-byte boundary above the start; 256
 * for the fill, which rounds dst + 256 down) and the last 256 bytes from the end; `rep`
 * past the first 64 bytes. */
.macro vmio_avx512_high_water_stubs kind, loop_head
    vmio_high_water .Lrep_hw, .Lhw_advance, 0, , 64
    vmio_high_water .Lhw64, .Lhw_advance, 64
    vmio_high_water .Lhw128, .Lhw_advance, 128
    vmio_high_water .Lhw128_64, .Lhw_advance, 128, 64
    vmio_high_water .Lhw192, .Lhw_advance, 192
    vmio_high_water .Lhw256, .Lhw_advance, 256
    vmio_high_water .Lhw256_192, .Lhw_advance, 256, 192
    vmio_high_water .Lhw256_128, .Lhw_advance, 256, 128
    vmio_high_water .Lhw256_64, .Lhw_advance, 256, 64
    vmio_high_water .Lloop_hw0, .Lhw_advance, 0, , \loop_head
    vmio_high_water .Lend_hw192, .Lhw_advance, 0, 192, \loop_head
    vmio_high_water .Lend_hw128, .Lhw_advance, 0, 128, \loop_head
    vmio_high_water .Lend_hw64, .Lhw_advance, 0, 64, \loop_head
    vmio_loop_high_water .Lloop_fault, .Lhw_advance, 256, 64, \loop_head
.Lhw_advance:
    vmio_advance_high_water \kind
.endm

#endif
