// The default entry points vmio_memcpy_fallible / vmio_memset_fallible are GNU indirect
// functions: the dynamic loader asks the resolvers below once, at relocation time, which
// implementation this CPU runs best, so a call costs no more than a call to the variant.
// valgrind reports no AVX-512 and emulates AVX2, so it runs what real AVX2 hardware runs.
// The resolvers run during relocation, before any sanitizer runtime is initialised, so
// they must not be instrumented.
#include "vmio/fallible.h"

namespace {

using CopyFunction = size_t(void*, const void*, size_t);
using FillFunction = size_t(void*, int, size_t);

#define VMIO_RESOLVER __attribute__((no_sanitize("address", "undefined", "thread")))

[[gnu::always_inline]] inline bool cpu_has_avx2() {
    __builtin_cpu_init();  // resolvers run before the constructors that would call it
    return __builtin_cpu_supports("avx2");
}

extern "C" VMIO_RESOLVER CopyFunction* vmio_resolve_memcpy_fallible() {
    return cpu_has_avx2() ? vmio_memcpy_fallible_avx2 : vmio_memcpy_fallible_sse2;
}

extern "C" VMIO_RESOLVER FillFunction* vmio_resolve_memset_fallible() {
    return cpu_has_avx2() ? vmio_memset_fallible_avx2 : vmio_memset_fallible_sse2;
}

}  // namespace

extern "C" size_t vmio_memcpy_fallible(void*, const void*, size_t) __attribute__((ifunc("vmio_resolve_memcpy_fallible")));
extern "C" size_t vmio_memset_fallible(void*, int, size_t) __attribute__((ifunc("vmio_resolve_memset_fallible")));
