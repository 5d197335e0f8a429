/* Assembler helpers shared by the riscv64 routines.
 *
 * VMIO_EXTABLE(insn, fixup) records that the instruction at label `insn` may fault and
 * that vmio's signal handler must resume at label `fixup` when it does.
 * VMIO_EXTABLE_RANGE(start, end, fixup) does the same for every instruction in
 * [start, end). Entries are {start, end, fixup} as three 8-byte words in the writable
 * `__vmio_extable` section, exactly as on x86_64 (see src/arch/x86_64/asm.h and
 * src/fault/exception_table.cpp). */
#ifndef VMIO_ARCH_RISCV64_ASM_H
#define VMIO_ARCH_RISCV64_ASM_H

#define VMIO_EXTABLE_RANGE(start, end, fixup) \
    .pushsection __vmio_extable, "aw";        \
    .balign 8;                                \
    .dword start, end, fixup;                 \
    .popsection

#define VMIO_EXTABLE(insn, fixup) VMIO_EXTABLE_RANGE(insn, insn + 1, fixup)

#define VMIO_FUNC(name)                       \
    .text;                                    \
    .globl name;                              \
    .type name, @function;                    \
    .p2align 2;                               \
    name:                                     \
    .cfi_startproc

#define VMIO_END(name)                        \
    .cfi_endproc;                             \
    .size name, .- name

/* No executable stack. */
#define VMIO_NOEXEC_STACK .section .note.GNU-stack, "", @progbits

#endif
