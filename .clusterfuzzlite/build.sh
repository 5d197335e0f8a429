#!/bin/bash -eu
# Builds vmio's fuzz target for ClusterFuzzLite / OSS-Fuzz, run by the base-builder image's
# `compile` from $SRC/vmio, and by .ci/clusterfuzzlite, which emulates that environment.
# Uses what the engines' build environment sets: CC, CXX, CFLAGS and CXXFLAGS (sanitizer and
# coverage instrumentation included), LIB_FUZZING_ENGINE, SRC, WORK and OUT. Puts into $OUT:
#   fuzz_scenario                   the target (no shared library beyond libc, libm, libgcc_s)
#   fuzz_scenario_seed_corpus.zip   test/fuzz/corpus
#   fuzz_scenario.options           test/fuzz/fuzz_scenario.options ([libfuzzer] max_len)

# libstdc++, not the engines' libc++ (CXXFLAGS carries -stdlib=libc++ in OSS-Fuzz): the
# distribution's libraries that are linked in are built against libstdc++ (libboost_context.a
# calls libstdc++'s std::call_once machinery). It is linked statically, like everything else
# the runner image does not have.
CXXFLAGS="${CXXFLAGS//-stdlib=libc++/}"
# fmt header-only: Debian and Ubuntu ship libfmt as a shared library only. With
# FMT_HEADER_ONLY nothing refers to it and --as-needed (meson's default) leaves it out.
export CXXFLAGS="$CXXFLAGS -DFMT_HEADER_ONLY"
export LDFLAGS="${LDFLAGS:-} -static-libstdc++"

target=fuzz_scenario
build="$WORK/vmio-build"
rm -rf "$build"
# buildtype plain: the optimisation and debug flags are CFLAGS/CXXFLAGS' alone; b_ndebug=false
# keeps the asserts. -Dfuzzer_ldflags: the target is linked with the engine, and the
# instrumentation comes from the flags. prefer_static: libsigsegv and Boost.Context from
# their .a files. Only the fuzz target and what it needs are built.
if ! meson setup "$build" "$SRC/vmio" \
      --buildtype=plain -Db_ndebug=false --wrap-mode=nodownload \
      -Ddefault_library=static -Dprefer_static=true \
      -Dfuzzing=true -Dfuzzer_ldflags="$LIB_FUZZING_ENGINE" \
      -Dtests=false -Dbenchmarks=false; then
  cat "$build/meson-logs/meson-log.txt" >&2 || true
  exit 1
fi
ninja -C "$build" -j"$(nproc)" "test/fuzz/$target"

cp "$build/test/fuzz/$target" "$OUT/$target"
cp "$SRC/vmio/test/fuzz/$target.options" "$OUT/$target.options"
rm -f "$OUT/${target}_seed_corpus.zip"
zip -q -j "$OUT/${target}_seed_corpus.zip" "$SRC/vmio/test/fuzz/corpus/"*

# The runner image has none of vmio's dependencies: only glibc's libraries and libgcc_s may be
# shared (the sanitizer runtimes need libm, libresolv, ...).
ldd "$OUT/$target" >"$WORK/ldd.txt"
unexpected=$(awk '{print $1}' "$WORK/ldd.txt" |
  grep -v -E '^(linux-vdso\.so\.1|/lib64/ld-linux-x86-64\.so\.2|ld-linux-x86-64\.so\.2|lib(c|m|gcc_s|pthread|dl|rt|resolv|util)\.so\.[0-9.]+)$' || true)
if [ -n "$unexpected" ]; then
  echo "build.sh: $target needs shared libraries the runner image does not have:" $unexpected >&2
  exit 1
fi
