/* The `rep movsb` / `rep stosb` (`op`) that the copy and fill variants run for large sizes:
 * %rcx bytes at %rdi (from %rsi), then a return of 0. On a fault it sets %rcx to the bytes
 * left from %rdi and falls through to the code after the macro (a fixup stub or an exact
 * tail, exact_tail.h). A faulting iteration stores nothing and the string instruction
 * stores in address order, so %rdi is then the high-water mark of the bytes it stored. The
 * count left is derived from %rdi, not %rcx: emulators (valgrind) may decrement %rcx
 * before the iteration's access faults. Clobbers %r9. */
#ifndef VMIO_ARCH_X86_64_REP_STRING_H
#define VMIO_ARCH_X86_64_REP_STRING_H

#include "asm.h"

.macro vmio_rep_string op
    lea     (%rdi,%rcx), %r9       /* end of the destination */
    vmio_may_fault .Lrep_fixup\@, rep \op
    xor     %eax, %eax
    ret
.Lrep_fixup\@:
    mov     %r9, %rcx
    sub     %rdi, %rcx
.endm

#endif
