#!/usr/bin/env bash
# The install test (meson test suite 'install'; by hand: bash test/install/run.sh [source dir]).
#
# Installs vmio twice into temporary prefixes, as a packager would (-Dtests=false; the libraries
# compiled without optimisation to keep it short): once with the simulator and the benchmarks
# (when Google Benchmark is installed), once with -Dsimulator=false -Dbenchmarks=false. For each
# installed tree it checks that
#  * every component is installed whole or not at all: library, headers, .pc file (and, for
#    the full tree, that sim, check and testing are there); the benchmarks: vmio-bench and
#    plot.py;
#  * the installed vmio-sim bench finds the installed vmio-bench and plot.py and prints a table
#    (in the moved tree too), and no installed program holds a path into the build or source
#    directory;
#  * every header of the source tree's include directories is installed, and nothing else is;
#  * every .pc file is valid, its requirements resolve, and its flags (--static included) hold
#    no absolute file path and no -I/-L outside the prefix; vmio.pc forces no -std;
#  * no .pc, .cmake or header file mentions the build or source directory;
#  * every installed header compiles on its own with only the flags of its component's .pc
#    (C++23; the .h headers as C11 too), and includes no header of a package that its .pc does
#    not require (Debian: only the toolchain's, and GoogleTest's and RapidCheck's for testing);
#  * consumers (test/install/*.c, *.cpp) build with pkg-config (gcc, -Wall -Wextra -Werror;
#    clang too when installed) and with CMake (find_package(vmio CONFIG REQUIRED), also from a
#    C-only project) and run against the installed libraries;
#  * the CMake package refuses a version or component it does not have, and still works after
#    the installed tree is moved elsewhere (it is relocatable).
# VMIO_INSTALL_TEST_STATIC=1 adds a third tree, -Ddefault_library=static, with its consumers
# linked statically (pkg-config --static, CMake). VMIO_KEEP_INSTALL_TEST=1 keeps the work
# directory.
# One line per check (PASS/FAIL/SKIP); exits 1 if any check failed.
set -uo pipefail

src=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
here=$src/test/install
work=$(mktemp -d "${TMPDIR:-/tmp}/vmio-install-test.XXXXXX")
if [ -n "${VMIO_KEEP_INSTALL_TEST:-}" ]; then
  echo "work directory: $work (kept)"
else
  trap 'rm -rf "$work"' EXIT
fi
jobs=$(nproc 2>/dev/null || echo 2)
started=$SECONDS
passed=0 failed=0 skipped=0

pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }
skip() { echo "SKIP: $1"; skipped=$((skipped + 1)); }
show_log() { sed -e 's/^/    | /' "$1" | tail -n "${2:-40}"; }

# check <description> <command...>: PASS if the command succeeds, else FAIL and its output.
check() {
  local what=$1 log=$work/check.log
  shift
  if "$@" >"$log" 2>&1; then pass "$what"; else fail "$what"; show_log "$log"; fi
}

# bg_check <description> <command...>: check, run in the background (at most $jobs at a time);
# bg_wait reports the results in the order the checks were queued.
bg_queue=() bg_next=0
bg_check() {
  local id=$((bg_next++))
  bg_queue+=("$id:$1")
  shift
  ( "$@" >"$work/bg-$id.log" 2>&1; echo $? >"$work/bg-$id.status" ) &
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
}
bg_wait() {
  local entry id
  wait
  for entry in "${bg_queue[@]}"; do
    id=${entry%%:*}
    if [ "$(cat "$work/bg-$id.status" 2>/dev/null)" = 0 ]; then pass "${entry#*:}"
    else fail "${entry#*:}"; show_log "$work/bg-$id.log"; fi
  done
  bg_queue=()
}

finish() {
  echo "install test: $passed passed, $failed failed, $skipped skipped in $((SECONDS - started)) s"
  [ "$failed" -eq 0 ]
  exit
}

# The installed tree's directories, set by use_prefix.
prefix='' build='' libdir='' pcdir='' cmakedir=''
use_prefix() {  # use_prefix <prefix> <build dir>
  prefix=$1 build=$2
  pcdir=$(dirname "$(find "$prefix" -name vmio.pc -print -quit)")
  libdir=$(dirname "$pcdir")
  cmakedir=$libdir/cmake/vmio
}

install_tree() {  # install_tree <name> <meson options...>: meson setup + ninja install
  local name=$1
  shift
  check "$name: meson setup, ninja install" bash -c '
    meson setup "$1" "$2" --prefix="$3" -Dtests=false -Dbuildtype=plain "${@:4}" &&
    ninja -C "$1" install' _ "$work/build-$name" "$src" "$work/prefix-$name" "$@" || finish
  echo "-- $name tree installed at $((SECONDS - started)) s"
  use_prefix "$work/prefix-$name" "$work/build-$name"
}

# Components: library, include directory (under include/vmio, core: the top level), .pc name,
# source include root.
declare -A comp_lib=([core]=vmio [sim]=vmio_sim [check]=vmio_check [testing]=vmio_testing)
declare -A comp_pc=([core]=vmio [sim]=vmio-sim [check]=vmio-check [testing]=vmio-testing)
declare -A comp_dir=([core]=. [sim]=sim [check]=check [testing]=testing)
declare -A comp_src=([core]=include [sim]=sim/include [check]=sim/check/include [testing]=sim/testing/include)

component_state() {  # component_state <component>: "installed", "absent" or what is missing
  local c=$1 have=() missing=()
  if compgen -G "$libdir/lib${comp_lib[$c]}.so*" >/dev/null || [ -e "$libdir/lib${comp_lib[$c]}.a" ]; then
    have+=(library); else missing+=(library); fi
  if [ "$c" = core ]; then
    if [ -e "$prefix/include/vmio/fallible.h" ]; then have+=(headers); else missing+=(headers); fi
  elif [ -d "$prefix/include/vmio/${comp_dir[$c]}" ]; then have+=(headers); else missing+=(headers); fi
  if [ -e "$pcdir/${comp_pc[$c]}.pc" ]; then have+=(.pc); else missing+=(.pc); fi
  if [ ${#missing[@]} -eq 0 ]; then echo installed
  elif [ ${#have[@]} -eq 0 ]; then echo absent
  else echo "incomplete: ${have[*]} without ${missing[*]}"; fi
}

check_component() {  # check_component <tree> <component> <installed|absent>
  local state
  state=$(component_state "$2")
  if [ "$state" = "$3" ]; then pass "$1: $2 $3 (library, headers, ${comp_pc[$2]}.pc)"
  else fail "$1: $2 should be $3, is $state"; fi
}

# The benchmarks: vmio-bench and plot.py, where vmio-sim bench looks for them.
bench_state() {  # "installed", "absent" or what is missing
  local have=() missing=()
  if [ -x "$prefix/libexec/vmio/vmio-bench" ]; then have+=(vmio-bench); else missing+=(vmio-bench); fi
  if [ -x "$prefix/share/vmio/plot.py" ]; then have+=(plot.py); else missing+=(plot.py); fi
  if [ ${#missing[@]} -eq 0 ]; then echo installed
  elif [ ${#have[@]} -eq 0 ]; then echo absent
  else echo "incomplete: ${have[*]} without ${missing[*]}"; fi
}

check_bench() {  # check_bench <tree> <installed|absent>
  local state
  state=$(bench_state)
  if [ "$state" = "$2" ]; then pass "$1: benchmarks $2 (libexec/vmio/vmio-bench, share/vmio/plot.py)"
  else fail "$1: benchmarks should be $2, are $state"; fi
}

# vmio-sim bench from the installed tree, on three benchmarks: the installed vmio-bench runs and
# plot.py prints the copy and fault tables.
installed_bench_runs() {
  local out
  out=$(LD_LIBRARY_PATH=$libdir "$prefix/bin/vmio-sim" bench \
          --filter '^copy/(memcpy|vmio_memcpy_fallible)/aligned/64$|^fault/bare_sigusr1_raise$' 2>&1)
  local status=$?
  echo "$out"
  [ $status -eq 0 ] || { echo "exit status $status"; return 1; }
  grep -qF "running 3 benchmarks of $(readlink -f "$prefix")/libexec/vmio/vmio-bench," <<<"$out" &&
    grep -qF '| size | vmio_memcpy_fallible (aligned) |' <<<"$out" &&
    grep -qF 'bare `raise(SIGUSR1)`, empty handler' <<<"$out"
}

# No installed program holds an absolute path into the build or source directory (the relative
# source paths of assertion messages, ../../<src>/..., do not count).
programs_hold_no_tree_path() {
  local program pattern bad=0
  pattern="(?<![.\w])(\Q$build\E|\Q$src/\E)"
  for program in "$prefix/bin/vmio-sim" "$prefix/libexec/vmio/vmio-bench"; do
    [ -e "$program" ] || continue
    if grep -qaP "$pattern" "$program"; then
      echo "$program holds a path into $build or $src/:"
      grep -aoP ".{0,20}$pattern[^\x00]{0,60}" "$program" | sort | uniq -c
      bad=1
    fi
  done
  return $bad
}

check_headers_installed() {  # every header of the installed components' source roots
  local tree=$1 c h missing=0 extra
  shift
  for c in "$@"; do
    while IFS= read -r h; do
      if [ ! -f "$prefix/include/$h" ]; then echo "not installed: $h (from ${comp_src[$c]})"; missing=1; fi
    done < <(cd "$src/${comp_src[$c]}" && find "vmio/${comp_dir[$c]}" \
               \( -path 'vmio/./sim' -o -path 'vmio/./check' -o -path 'vmio/./testing' \) -prune -o \
               \( -name '*.h' -o -name '*.hpp' \) -print | sed 's|/\./|/|')
  done
  [ -f "$prefix/include/vmio/version.h" ] || { echo "not installed: vmio/version.h"; missing=1; }
  extra=$(cd "$prefix/include" && find . -type f ! -name '*.h' ! -name '*.hpp')
  [ -z "$extra" ] || { echo "installed but not a header: $extra"; missing=1; }
  return $missing
}

pc_flags_clean() {  # pc_flags_clean <pc name>: no absolute file paths, -I/-L only in the prefix
  local flags f bad=0
  flags=$(PKG_CONFIG_PATH=$pcdir pkg-config --print-errors --cflags --libs --static "$1") || return 1
  echo "pkg-config --static --cflags --libs $1: $flags"
  for f in $flags; do
    case $f in
      -I* | -L*) case ${f:2} in "$prefix"/*) ;; *) echo "outside the prefix: $f"; bad=1 ;; esac ;;
      /*) echo "an absolute path: $f"; bad=1 ;;
    esac
  done
  if [ "$1" = vmio ] && PKG_CONFIG_PATH=$pcdir pkg-config --cflags vmio | grep -q -- '-std'; then
    echo "vmio.pc forces a language standard: $(PKG_CONFIG_PATH=$pcdir pkg-config --cflags vmio)"; bad=1
  fi
  return $bad
}

check_pc_files() {  # check_pc_files <tree>
  local pc name
  for pc in "$pcdir"/vmio*.pc; do
    name=$(basename "$pc" .pc)
    check "$1: $name.pc valid, requirements found" bash -c \
      'PKG_CONFIG_PATH=$1 pkg-config --validate "$2" && PKG_CONFIG_PATH=$1 pkg-config --print-errors --exists "$2"' \
      _ "$pcdir" "$name"
    check "$1: $name.pc flags hold no absolute file path and nothing outside the prefix" pc_flags_clean "$name"
  done
}

no_tree_paths() {  # no .pc, .cmake or header mentions the build or source directory
  local hits
  hits=$(grep -rlF -e "$build" -e "$src/" "$pcdir" "$cmakedir" "$prefix/include" 2>/dev/null)
  [ -z "$hits" ] || { echo "mention $build or $src/:"; echo "$hits"; grep -rnF -e "$build" -e "$src/" $hits | head; return 1; }
}

# Every header that an installed vmio header includes with <...>, other than vmio's own, must
# come from the compiler and C library (Debian: libc6-dev, linux-libc-dev, libstdc++/gcc) or,
# for vmio/testing, from GoogleTest or RapidCheck: a header of any other package (libsigsegv,
# Boost, fmt) is a dependency that the .pc files do not give their users.
header_dependencies_declared() {
  local h inc path owner bad=0 allowed pattern ok flags
  flags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags vmio-testing 2>/dev/null ||
          PKG_CONFIG_PATH=$pcdir pkg-config --cflags vmio)
  local -A where from
  local pairs
  pairs=$(cd "$prefix/include" && grep -rHE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<' vmio |
          sed -E 's/^([^:]*):[[:space:]]*#[[:space:]]*include[[:space:]]*<([^>]+)>.*/\1 \2/' | grep -v ' vmio/' | sort -u)
  # Where each included header is (the compiler's search), then which package owns it.
  while read -r inc; do
    path=$(echo "#include <$inc>" | g++ -std=c++23 -E -H -x c++ - -o /dev/null $flags 2>&1 | sed -n 's/^\. //p' | head -n 1)
    where[$inc]=$(readlink -f "${path:-/nonexistent}")
  done < <(cut -d' ' -f2 <<<"$pairs" | sort -u)
  while read -r owner path; do
    from[$path]=$owner
  done < <(dpkg -S "${where[@]}" 2>/dev/null | sed -E 's/^([^:,]+)[^ ]*: (.*)$/\1 \2/')
  while IFS=' ' read -r h inc; do
    path=${where[$inc]}
    case $path in "$(readlink -f "$prefix")"/*) continue ;; esac
    owner=${from[$path]:-}
    allowed='libc6-dev linux-libc-dev libstdc++-*-dev libgcc-*-dev gcc-*'
    case $h in vmio/testing/*) allowed+=' libgtest-dev googletest librapidcheck-dev' ;; esac
    ok=0
    for pattern in $allowed; do
      # shellcheck disable=SC2254
      case $owner in $pattern) ok=1 ;; esac
    done
    if [ $ok -eq 0 ]; then echo "$h includes <$inc> ($path, from ${owner:-no package})"; bad=1; fi
  done <<<"$pairs"
  return $bad
}

# compile_header <tree> <pc name> <c|c++> <header> <output file>: the header alone, with the
# .pc's flags (and a declaration after it: ISO C has no empty translation unit).
compile_header() {
  local tree=$1 pc=$2 lang=$3 header=$4 out=$5 log status
  local unit="#include <$header>
typedef int vmio_install_test_unit;"
  if [ "$lang" = c ]; then
    log=$(echo "$unit" | gcc -std=c11 -pedantic -Wall -Wextra -Werror -fsyntax-only -x c - \
            $(pkg-config --cflags "$pc") 2>&1)
  else
    log=$(echo "$unit" | g++ -std=c++23 -Wall -Wextra -Werror -fsyntax-only -x c++ - \
            $(pkg-config --cflags "$pc") 2>&1)
  fi
  status=$?
  {
    if [ $status -eq 0 ]; then echo "PASS: $tree: $header compiles alone as $lang with pkg-config --cflags $pc"
    else echo "FAIL: $tree: $header compiles alone as $lang with pkg-config --cflags $pc"; echo "$log" | sed 's/^/    | /' | tail -n 20; fi
  } >"$out"
}
export -f compile_header

check_headers_compile() {  # check_headers_compile <tree>
  local h pc i=0 j dir=$work/headers-$1 line
  mkdir -p "$dir"
  while IFS= read -r h; do
    case $h in
      vmio/sim/*) pc=vmio-sim ;;
      vmio/check/*) pc=vmio-check ;;
      vmio/testing/*) pc=vmio-testing ;;
      *) pc=vmio ;;
    esac
    echo "$1 $pc c++ $h $dir/$((i++)).out"
    case $h in *.h) echo "$1 $pc c $h $dir/$((i++)).out" ;; esac
  done < <(cd "$prefix/include" && find vmio -type f \( -name '*.h' -o -name '*.hpp' \) | sort) >"$dir/jobs"
  PKG_CONFIG_PATH=$pcdir xargs -P "$jobs" -L 1 bash -c 'compile_header "$@"' _ <"$dir/jobs"
  for ((j = 0; j < i; j++)); do
    if [ ! -f "$dir/$j.out" ]; then fail "$1: header check $j did not run"; continue; fi
    while IFS= read -r line; do echo "$line"; done <"$dir/$j.out"
    if head -n 1 "$dir/$j.out" | grep -q '^PASS'; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  done
}

pc_static=''  # --static for the static tree
# build_and_run <tree> <compiler> <consumer source> <pc names> [expected output]
build_and_run() {
  local tree=$1 cc=$2 source=$3 pcs=$4 expect=${5:-} std exe flags
  case $source in *.c) std=-std=c11 ;; *) std=-std=c++23 ;; esac
  exe=$work/$tree-$(basename "$cc")-$(basename "${source%.*}")
  flags=$(PKG_CONFIG_PATH=$pcdir pkg-config $pc_static --cflags --libs $pcs) || return 1
  echo "$cc $std -Wall -Wextra -Werror $source $flags" &&
    $cc $std -Wall -Wextra -Werror "$here/$source" -o "$exe" $flags &&
    LD_LIBRARY_PATH=$libdir RC_PARAMS=max_success=20 "$exe" >"$exe.out" 2>&1
  local status=$?
  cat "$exe.out" 2>/dev/null
  [ $status -eq 0 ] || return 1
  if [ -n "$expect" ] && ! grep -qF "$expect" "$exe.out"; then echo "expected output: $expect"; return 1; fi
}

# pkg_config_consumers <tree> <c compiler> <c++ compiler or ''> <with sim: yes|no>: queued
# with bg_check (bg_wait reports).
pkg_config_consumers() {
  local tree=$1 cc=$2 cxx=$3 sim=$4 version
  version=$(PKG_CONFIG_PATH=$pcdir pkg-config --modversion vmio)
  bg_check "$tree: C consumer ($cc -std=c11, pkg-config vmio) builds, runs, prints vmio $version" \
    build_and_run "$tree" "$cc" c_consumer.c vmio "vmio $version"
  [ -n "$cxx" ] || return 0
  bg_check "$tree: C++ consumer ($cxx, pkg-config vmio) builds, runs, prints vmio $version" \
    build_and_run "$tree" "$cxx" cpp_consumer.cpp vmio "vmio $version"
  [ "$sim" = yes ] || return 0
  bg_check "$tree: simulator consumer ($cxx, pkg-config vmio-sim) builds and runs" \
    build_and_run "$tree" "$cxx" sim_consumer.cpp vmio-sim
  bg_check "$tree: explorer consumer ($cxx, pkg-config vmio-testing, no GoogleTest) builds and finds nothing" \
    build_and_run "$tree" "$cxx" explorer_consumer.cpp vmio-testing "no finding"
  if [ "$testing_fixture" = yes ]; then
    bg_check "$tree: SimTest consumer ($cxx, pkg-config vmio-testing gtest_main) builds and passes" \
      build_and_run "$tree" "$cxx" testing_consumer.cpp "vmio-testing gtest_main"
  fi
}

# cmake_consumers <build dir> <cmake args...>: configure and build test/install/CMakeLists.txt
# against $prefix (only the targets in $cmake_targets if set).
cmake_targets=''
cmake_consumers() {
  local dir=$1
  shift
  cmake -S "$here" -B "$dir" -DCMAKE_PREFIX_PATH="$prefix" "$@" &&
    cmake --build "$dir" -j "$jobs" ${cmake_targets:+--target $cmake_targets}
}

# cmake_consumers_say <text> <build dir> <cmake args...>: cmake_consumers, whose output must
# contain <text>.
cmake_consumers_say() {
  local want=$1 out status
  shift
  out=$(cmake_consumers "$@" 2>&1)
  status=$?
  echo "$out"
  [ $status -eq 0 ] || return 1
  grep -qF -- "$want" <<<"$out" || { echo "not in the output: $want"; return 1; }
}

# cmake_refuses <text> <build dir> <cmake args...>: the configuration fails, saying <text>.
cmake_refuses() {
  local want=$1 out
  shift
  if out=$(cmake -S "$here" -B "$1" -DCMAKE_PREFIX_PATH="$prefix" "${@:2}" 2>&1); then
    echo "$out"; echo "the configuration succeeded"; return 1
  fi
  echo "$out"
  grep -qF -- "$want" <<<"$out" || { echo "not in the output: $want"; return 1; }
}

# run_cmake_consumers <tree> <build dir> <libdir or ''>: run what cmake_consumers built.
run_cmake_consumers() {
  local exe ran=0
  for exe in c_consumer cpp_consumer sim_consumer explorer_consumer testing_consumer; do
    [ -x "$2/$exe" ] || continue
    check "$1: CMake-built $exe runs" env LD_LIBRARY_PATH="$3" RC_PARAMS=max_success=20 "$2/$exe"
    ran=$((ran + 1))
  done
  [ $ran -gt 0 ] || fail "$1: no CMake-built consumer to run"
}

find_clang() {  # the newest clang installed: "<clang> <clang++>"
  local v
  for v in 21 20 19 18 17 16 15 14 ''; do
    if command -v "clang${v:+-$v}" >/dev/null && command -v "clang++${v:+-$v}" >/dev/null; then
      echo "clang${v:+-$v} clang++${v:+-$v}"
      return
    fi
  done
}

# ---------------------------------------------------------------------------------------
# 1. The full tree: simulator, checker and testing library, and the benchmarks when Google
# Benchmark is installed.
benchmarks=false
if PKG_CONFIG_PATH='' pkg-config --exists benchmark; then benchmarks=true; fi
install_tree full -Dbenchmarks=$benchmarks
version=$(PKG_CONFIG_PATH=$pcdir pkg-config --modversion vmio)
major_minor=${version%.*}
# The SimTest fixture and the generators need GoogleTest and RapidCheck; the explorer does not.
testing_fixture=no
if PKG_CONFIG_PATH='' pkg-config --exists gtest && [ "$(g++ -print-file-name=librapidcheck.a)" != librapidcheck.a ]; then
  testing_fixture=yes
fi
for c in core sim check testing; do check_component full "$c" installed; done
installed=(core sim check testing)
check "full: every header of ${installed[*]} installed, nothing but headers in include/" \
  check_headers_installed full "${installed[@]}"
check "full: CMake package installed (vmioConfig.cmake, vmioConfigVersion.cmake)" \
  test -f "$cmakedir/vmioConfig.cmake" -a -f "$cmakedir/vmioConfigVersion.cmake"
check_pc_files full
check "full: no .pc, .cmake or header mentions the build or source directory" no_tree_paths
if command -v dpkg >/dev/null; then
  check "full: installed headers include no header of an undeclared dependency" header_dependencies_declared
else
  skip "full: installed headers include no header of an undeclared dependency (no dpkg to tell who owns a header)"
fi
check_headers_compile full
echo "-- headers checked at $((SECONDS - started)) s"
check "full: installed vmio-sim finds its libraries and runs (--help)" \
  env LD_LIBRARY_PATH="$libdir" "$prefix/bin/vmio-sim" --help
check "full: no installed program holds a path into the build or source directory" programs_hold_no_tree_path
bench_runs_here=no
if [ $benchmarks = false ]; then
  skip "full: benchmarks (Google Benchmark is not installed)"
else
  check_bench full installed
  if [ -x /usr/bin/python3 ]; then
    bench_runs_here=yes
    check "full: installed vmio-sim bench runs the installed vmio-bench and plot.py" installed_bench_runs
  else
    skip "full: installed vmio-sim bench (no /usr/bin/python3 to run plot.py)"
  fi
fi

pkg_config_consumers full gcc g++ yes
read -r clang clangxx < <(find_clang)
if [ -z "${clang:-}" ]; then
  skip "full: consumers with clang (no clang installed)"
else
  cxx23='#include <expected>
int main() { std::expected<int, int> e{0}; return *e; }'
  if echo "$cxx23" | $clangxx -std=c++23 -x c++ - -o "$work/clang-probe" >/dev/null 2>&1; then
    pkg_config_consumers full "$clang" "$clangxx" yes
  else
    skip "full: C++ consumers with $clangxx (no C++23 <expected> with this standard library)"
    pkg_config_consumers full "$clang" '' no
  fi
fi

bg_wait
echo "-- pkg-config consumers checked at $((SECONDS - started)) s"
if ! command -v cmake >/dev/null; then
  skip "CMake consumers (cmake is not installed)"
else
  components="sim;check;testing"
  check "full: CMake find_package(vmio $major_minor CONFIG REQUIRED COMPONENTS $components) from the prefix, consumers build" \
    cmake_consumers_say "vmio::vmio: $libdir/" "$work/cmake-full" -DVMIO_VERSION="$major_minor" -DVMIO_COMPONENTS="$components"
  run_cmake_consumers full "$work/cmake-full" "$libdir"
  # One C-only build directory, reconfigured: the compiler is detected once.
  check "full: CMake find_package(vmio CONFIG REQUIRED COMPONENTS nonesuch) refused" \
    cmake_refuses "component nonesuch" "$work/cmake-c" -DVMIO_LANGUAGES=C -DVMIO_COMPONENTS=nonesuch
  check "full: CMake find_package(vmio 99 CONFIG REQUIRED) refused" \
    cmake_refuses "considered but not accepted" "$work/cmake-c" -DVMIO_LANGUAGES=C -DVMIO_COMPONENTS= -DVMIO_VERSION=99
  check "full: CMake C-only project links vmio::vmio (cxx_std_23 does not reach C)" \
    cmake_consumers "$work/cmake-c" -DVMIO_LANGUAGES=C -DVMIO_COMPONENTS= -DVMIO_VERSION=
  run_cmake_consumers full-c-only "$work/cmake-c" "$libdir"
fi
echo "-- CMake consumers checked at $((SECONDS - started)) s"

# ---------------------------------------------------------------------------------------
# 2. -Dsimulator=false: the core alone.
full_prefix=$prefix full_build=$build
install_tree core -Dsimulator=false -Dbenchmarks=false
check_component core core installed
check_bench core absent
for c in sim check testing; do check_component core "$c" absent; done
check "core: every core header installed, nothing but headers in include/" check_headers_installed core core
check "core: no vmio-sim installed" test ! -e "$prefix/bin/vmio-sim"
check "core: CMake package installed" test -f "$cmakedir/vmioConfig.cmake"
check_pc_files core
check "core: no .pc, .cmake or header mentions the build or source directory" no_tree_paths
check_headers_compile core
pkg_config_consumers core gcc g++ no
bg_wait
if command -v cmake >/dev/null; then
  check "core: CMake find_package(vmio CONFIG REQUIRED), C and C++ consumers build, no vmio::sim" \
    cmake_consumers_say "vmio::sim: not defined" "$work/cmake-core"
  run_cmake_consumers core "$work/cmake-core" "$libdir"
  check "core: CMake find_package(vmio CONFIG REQUIRED COMPONENTS sim) refused" \
    cmake_refuses "component sim is not installed" "$work/cmake-core" -DVMIO_COMPONENTS=sim
fi

# ---------------------------------------------------------------------------------------
# 3. Only with VMIO_INSTALL_TEST_STATIC=1 (another minute): static libraries, consumers linked
# with pkg-config --static and with CMake (a C-only project too).
if [ -n "${VMIO_INSTALL_TEST_STATIC:-}" ]; then
  install_tree static -Ddefault_library=static
  for c in core sim check testing; do check_component static "$c" installed; done
  check_pc_files static
  check "static: no .pc, .cmake or header mentions the build or source directory" no_tree_paths
  pc_static=--static
  pkg_config_consumers static gcc g++ yes
  bg_wait
  pc_static=''
  if command -v cmake >/dev/null; then
    check "static: CMake find_package(vmio CONFIG REQUIRED COMPONENTS $components), consumers build" \
      cmake_consumers_say "vmio::vmio: $libdir/libvmio.a" "$work/cmake-static" -DVMIO_COMPONENTS="$components"
    run_cmake_consumers static "$work/cmake-static" ''
    check "static: CMake C-only project links vmio::vmio" cmake_consumers "$work/cmake-static-c" -DVMIO_LANGUAGES=C
    run_cmake_consumers static-c-only "$work/cmake-static-c" ''
  fi
fi

# ---------------------------------------------------------------------------------------
# 4. The full tree moved elsewhere: the CMake package and vmio-sim bench follow it (the paths
# they use are relative).
moved=$work/moved/prefix
mkdir -p "$work/moved" && mv "$full_prefix" "$moved"
use_prefix "$moved" "$full_build"
if command -v cmake >/dev/null; then
  cmake_targets="c_consumer cpp_consumer sim_consumer"
  check "moved: CMake consumers build against the moved tree (nothing refers to the old prefix)" \
    cmake_consumers_say "vmio::vmio: $libdir/" "$work/cmake-moved"
  # The old prefix is gone: whatever still pointed there fails to build or run.
  run_cmake_consumers moved "$work/cmake-moved" "$libdir"
fi
if [ $bench_runs_here = yes ]; then
  check "moved: vmio-sim bench finds vmio-bench and plot.py in the moved tree" installed_bench_runs
fi

finish
