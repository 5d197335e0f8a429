#!/bin/sh
# Runs vmio-bench and turns its JSON into tables (bench/plot.py); every repetition is kept in the
# JSON, so that the tables and charts show the spread of the repetitions.
#
#   bench/run.sh           the README's run: every size, the default entry points and the
#                          seed-faithful variants against glibc, fault costs, atomics, the
#                          C++ entry points against the raw routines, the fault explorer;
#                          5 repetitions, randomly interleaved (~8 minutes)
#                          -> bench/results/vmio-bench.json, the charts bench/results/copy.png,
#                          fill.png and fault.png, and README.md's generated tables rewritten
#   bench/run.sh --short   a few sizes, every variant, the fault costs, 3 repetitions
#                          (~1 minute) -> build/bench/short.json
#   bench/run.sh --all     every benchmark, 5 repetitions -> build/bench/all.json
# Set BUILD to use another build directory (default: build).
set -eu
cd "$(dirname "$0")/.."
build=${BUILD:-build}
if [ "${1:-}" = "--short" ]; then
    out=$build/bench/short.json
    set -- --benchmark_filter='^(copy|fill)/[^/]*/[a-z]*/(1|7|64|256|1000|4096|65536|16777216)$|^fault/|^atomic|^api/|^explore/' \
        --benchmark_repetitions=3 --benchmark_min_time=0.05
    publish=
elif [ "${1:-}" = "--all" ]; then
    out=$build/bench/all.json
    set -- --benchmark_repetitions=5 --benchmark_min_time=0.05
    publish=
else
    out=bench/results/vmio-bench.json
    set -- --benchmark_filter='^(copy/(memcpy|vmio_memcpy_fallible|vmio_memcpy_fallible_movsb)/|fill/(memset|vmio_memset_fallible|vmio_memset_fallible_stosb)/|fault/|atomic|api/|explore/)' \
        --benchmark_repetitions=5 --benchmark_min_time=0.05
    publish="--charts bench/results --readme README.md"
fi
"$build/bench/vmio-bench" "$@" --benchmark_enable_random_interleaving=true \
    --benchmark_display_aggregates_only=true --benchmark_out="$out" --benchmark_out_format=json
# shellcheck disable=SC2086 # $publish is two options and their values, or nothing
bench/plot.py "$out" $publish
