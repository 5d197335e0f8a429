#!/bin/sh
# shard_merge.sh VMIO_SIM: a seeded campaign run whole and as three shards; `vmio-sim merge` of
# the shards' reports must equal the whole run in every count that does not depend on time, and
# a merge with a shard missing must be refused (status 2, naming it).
set -eu
sim=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$sim" check --seed 11 --cases 300 --jobs 2 --json >"$dir/whole.json"
for k in 0 1 2; do
    "$sim" check --seed 11 --cases 300 --jobs 1 --shard "$k/3" --json >"$dir/shard-$k.json"
done
"$sim" merge --json "$dir"/shard-*.json >"$dir/merged.json"
python3 - "$dir/whole.json" "$dir/merged.json" <<'PY'
import json, sys
whole, merged = (json.load(open(path)) for path in sys.argv[1:3])
keys = ["seed", "cases", "operations", "faults", "faults_by_state", "pages_by_state", "task_cases", "result",
        "failure"]
differ = [key for key in keys if whole[key] != merged[key]]
if differ or merged["merged_from"] != 3 or merged["cases"] != 300:
    sys.exit(f"merged shards differ from the whole campaign in {differ}: {merged}")
PY
status=0
"$sim" merge "$dir/shard-0.json" "$dir/shard-2.json" >"$dir/out" 2>&1 || status=$?
[ "$status" -eq 2 ] || { echo "merge without shard 1 exited with $status"; cat "$dir/out"; exit 1; }
grep -qF 'missing: 1' "$dir/out" || { echo "merge without shard 1 did not name it:"; cat "$dir/out"; exit 1; }
echo "3 shards merged equal the whole campaign"
