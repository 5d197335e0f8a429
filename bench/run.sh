#!/bin/sh
# Runs vmio-bench and turns its JSON into tables (bench/plot.py); every repetition is kept in the
# JSON, so that the tables and charts show the spread of the repetitions.
#
#   bench/run.sh           the README's run: every size, the default entry points and the
#                          seed-faithful variants against glibc, fault costs, atomics, the
#                          C++ entry points against the raw routines, the fault explorer;
#                          3 processes of 5 randomly interleaved repetitions each, pooled
#                          (~9 minutes): a process's code and data placement (ASLR) moves
#                          small-size medians by up to 0.2x, each process places differently
#                          -> bench/results/vmio-bench.json, the charts bench/results/copy.png,
#                          fill.png and fault.png, and README.md's generated tables rewritten
#   bench/run.sh --avx2    the AVX2 routines against glibc's own AVX2 code (GLIBC_TUNABLES hides
#                          AVX-512 from glibc), every size, pooled like the README's run
#                          (~4 minutes) -> build/bench/avx2.json
#   bench/run.sh --short   a few sizes, every variant, the fault costs, 3 repetitions
#                          (~1 minute) -> build/bench/short.json
#   bench/run.sh --all     every benchmark, 5 repetitions -> build/bench/all.json
# Set BUILD to use another build directory (default: build).
set -eu
cd "$(dirname "$0")/.."
build=${BUILD:-build}
processes=1
publish=
case "${1:-}" in
--short)
    out=$build/bench/short.json
    set -- --benchmark_filter='^(copy|fill)/[^/]*/[a-z]*/(1|7|64|256|1000|4096|65536|16777216)$|^fault/|^atomic|^api/|^explore/' \
        --benchmark_repetitions=3 --benchmark_min_time=0.05 ;;
--all)
    out=$build/bench/all.json
    set -- --benchmark_repetitions=5 --benchmark_min_time=0.05 ;;
--avx2)
    out=$build/bench/avx2.json
    processes=3
    GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD
    export GLIBC_TUNABLES
    set -- --benchmark_filter='^(copy/(memcpy|vmio_memcpy_fallible_avx2)|fill/(memset|vmio_memset_fallible_avx2))/' \
        --benchmark_repetitions=5 --benchmark_min_time=0.05 ;;
"")
    out=bench/results/vmio-bench.json
    processes=3
    set -- --benchmark_filter='^(copy/(memcpy|vmio_memcpy_fallible|vmio_memcpy_fallible_movsb)/|fill/(memset|vmio_memset_fallible|vmio_memset_fallible_stosb)/|fault/|atomic|api/|explore/)' \
        --benchmark_repetitions=5 --benchmark_min_time=0.05
    publish="--charts bench/results --readme README.md" ;;
*)
    echo "usage: bench/run.sh [--avx2 | --short | --all]" >&2
    exit 2 ;;
esac
runs=
process=1
while [ "$process" -le "$processes" ]; do
    run=$out
    [ "$processes" -eq 1 ] || run=$build/bench/process-$process.json
    "$build/bench/vmio-bench" "$@" --benchmark_enable_random_interleaving=true \
        --benchmark_display_aggregates_only=true --benchmark_out="$run" --benchmark_out_format=json
    runs="$runs $run"
    process=$((process + 1))
done
if [ "$processes" -gt 1 ]; then
    # One file of every process's repetitions (process p's repetition r renumbered p * 1000 + r,
    # still paired with glibc's of the same process) and the first process's context.
    # shellcheck disable=SC2086 # $runs is a list of file names without spaces
    python3 - "$out" $runs <<'POOL'
import json, sys
out, *runs = sys.argv[1:]
pooled = None
for process, path in enumerate(runs):
    with open(path) as f:
        document = json.load(f)
    entries = [e for e in document["benchmarks"] if e.get("run_type") != "aggregate"]
    for e in entries:
        e["repetition_index"] = process * 1000 + e.get("repetition_index", 0)
    if pooled is None:
        pooled = {"context": document["context"], "benchmarks": []}
    pooled["benchmarks"] += entries
pooled["context"]["processes"] = len(runs)
with open(out, "w") as f:
    json.dump(pooled, f, indent=1)
POOL
fi
# shellcheck disable=SC2086 # $publish is two options and their values, or nothing
bench/plot.py "$out" $publish
