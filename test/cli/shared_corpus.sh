#!/bin/sh
# shared_corpus.sh VMIO_SIM: two fuzz campaigns at once on one shared corpus directory: both
# pass, the directory fills with whole inputs (no temporary dot-file left), and a file from it
# replays.
set -eu
sim=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/corpus" "$dir/failures"
"$sim" fuzz --shared-corpus "$dir/corpus" --failures "$dir/failures" --duration 3 --jobs 1 >"$dir/a.out" 2>&1 &
first=$!
"$sim" fuzz --shared-corpus "$dir/corpus" --failures "$dir/failures" --duration 3 --jobs 1 --seed 2 >"$dir/b.out" 2>&1 ||
    { echo "the second campaign failed:"; cat "$dir/b.out"; exit 1; }
wait "$first" || { echo "the first campaign failed:"; cat "$dir/a.out"; exit 1; }
files=$(find "$dir/corpus" -type f ! -name '.*' | wc -l)
temporary=$(find "$dir/corpus" -name '.*' -type f | wc -l)
[ "$files" -ge 2 ] || { echo "the shared corpus holds $files inputs"; exit 1; }
[ "$temporary" -eq 0 ] || { echo "$temporary temporary files left"; exit 1; }
"$sim" replay "$(find "$dir/corpus" -type f | head -n 1)" >/dev/null
echo "two campaigns shared $files inputs"
