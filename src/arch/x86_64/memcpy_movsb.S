/* Asterinas-faithful fallible copy and fill: one `rep movsb` / `rep stosb` whose fixup
 * returns the count left in %rcx, exactly as Asterinas' __memcpy_fallible does.
 * A faulting string instruction leaves %rcx/%rsi/%rdi at the first iteration that did
 * not complete, so the count is exact. */
#include "asm.h"

/* size_t vmio_memcpy_fallible_movsb(void* dst %rdi, const void* src %rsi, size_t n %rdx) */
VMIO_FUNC(vmio_memcpy_fallible_movsb)
    mov     %rdx, %rcx
1:  rep movsb
2:  mov     %rcx, %rax
    ret
    VMIO_EXTABLE(1b, 2b)
VMIO_END(vmio_memcpy_fallible_movsb)

/* size_t vmio_memset_fallible_stosb(void* dst %rdi, int value %esi, size_t n %rdx) */
VMIO_FUNC(vmio_memset_fallible_stosb)
    mov     %rdx, %rcx
    mov     %esi, %eax
1:  rep stosb
2:  mov     %rcx, %rax
    ret
    VMIO_EXTABLE(1b, 2b)
VMIO_END(vmio_memset_fallible_stosb)

VMIO_NOEXEC_STACK
