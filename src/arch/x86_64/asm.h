/* Assembler helpers shared by the x86_64 routines.
 *
 * VMIO_EXTABLE(insn, fixup) records that the instruction at label `insn` may fault and
 * that vmio's signal handler must resume at label `fixup` when it does. The handler enters
 * every fixup with the faulting address (si_addr) in %r11, so no routine may keep a live
 * value in %r11 across an instruction that may fault.
 * VMIO_EXTABLE_RANGE(start, end, fixup) does the same for every instruction in
 * [start, end): used for loops whose registers describe the progress at any instruction,
 * so that the fixup does not depend on the exact faulting PC (emulators such as valgrind
 * may report the PC of a neighbouring instruction of the loop). The entries land
 * in the `__vmio_extable` section; the linker brackets it with __start___vmio_extable /
 * __stop___vmio_extable and src/fault/exception_table.cpp sorts and searches it. The
 * section is writable ("aw") because it holds absolute addresses (relocated at load) and
 * because it is sorted in place once, before the handler is installed. */
#ifndef VMIO_ARCH_X86_64_ASM_H
#define VMIO_ARCH_X86_64_ASM_H

#define VMIO_EXTABLE_RANGE(start, end, fixup) \
    .pushsection __vmio_extable, "aw";        \
    .balign 8;                                \
    .quad start, end, fixup;                  \
    .popsection

#define VMIO_EXTABLE(insn, fixup) VMIO_EXTABLE_RANGE(insn, insn + 1, fixup)

/* The instruction `insn` with its VMIO_EXTABLE entry: a fault resumes at `fixup`. */
.macro vmio_may_fault fixup, insn:vararg
.Lmay_fault\@:
    \insn
    VMIO_EXTABLE(.Lmay_fault\@, \fixup)
.endm

/* Advances %rdi, and `src` if given, to the next `align`-byte boundary of the destination
 * and takes the bytes skipped off %rcx; `tmp32` / `tmp` are the two widths of a scratch
 * register. The caller has already copied or set those bytes. */
.macro vmio_align_dst align, tmp32, tmp, src
    mov     %edi, \tmp32
    neg     \tmp32
    and     $(\align - 1), \tmp32
.ifnb \src
    add     \tmp, \src
.endif
    add     \tmp, %rdi
    sub     \tmp, %rcx
.endm

/* Advances %rdi, and `src` if given, to the first `align`-byte boundary of the destination
 * above %rdi (1..align bytes on: a whole `align` bytes if %rdi is aligned) and takes the
 * bytes skipped off %rcx. The caller has already copied or set the first `align` bytes
 * from %rdi, so an aligned destination wastes no store. */
.macro vmio_align_dst_above align, tmp32, tmp, src
    mov     %edi, \tmp32
    and     $(\align - 1), \tmp32
    neg     \tmp32
    add     $\align, \tmp32
.ifnb \src
    add     \tmp, \src
.endif
    add     \tmp, %rdi
    sub     \tmp, %rcx
.endm

/* For the AVX-512 moves of 0..64 bytes: %k1 = bits [0, %rdx) (bzhi keeps all 64 for 64),
 * or a jump to `cross_page` if [%rdi, %rdi + %rdx) crosses a 4 KiB boundary (bit 12 of
 * dst ^ (dst + n - 1) flips; n = 0 may flip it too, harmlessly). A masked store that faults
 * where it crosses into a bad page reports its last byte as the fault address (measured),
 * not the first bad one, so such ranges go to a routine with plain moves. Clobbers %rax. */
.macro vmio_mask_upto64 cross_page
    mov     $-1, %rax              /* the mask first: its chain (bzhi, kmovq) is the longest */
    bzhi    %rdx, %rax, %rax
    kmovq   %rax, %k1
    lea     -1(%rdi,%rdx), %eax
    xor     %edi, %eax
    test    $4096, %eax
    jnz     \cross_page
.endm

#define VMIO_FUNC(name)                       \
    .text;                                    \
    .globl name;                              \
    .type name, @function;                    \
    .p2align 6;                               \
    name:                                     \
    .cfi_startproc

#define VMIO_END(name)                        \
    .cfi_endproc;                             \
    .size name, .- name

/* No executable stack. */
#define VMIO_NOEXEC_STACK .section .note.GNU-stack, "", @progbits

#endif
