#!/bin/sh
# interrupt.sh VMIO_SIM: a campaign that receives SIGINT (as from Ctrl-C) prints a partial
# summary marked interrupted and exits with status 130. Skipped (77) where SIGINT is ignored:
# vmio-sim then leaves it ignored, as Unix programs do.
sim=$1
ignored=$(awk '/^SigIgn:/ { print $2 }' /proc/$$/status)
[ $(( 0x$ignored & 2 )) -eq 0 ] || { echo "SIGINT is ignored here"; exit 77; }
# The inner shell sends SIGINT to itself after 2 s, by which time it has become vmio-sim (exec).
output=$(sh -c '(sleep 2; kill -INT $$) & exec "$1" check --jobs 2 --cases 100000000 --duration 60 --json' sh "$sim")
status=$?
[ "$status" -eq 130 ] || { echo "exited with $status, expected 130"; echo "$output"; exit 1; }
for text in '"result": "interrupted"' '"stopped_by": "interrupt"' '"interrupted": true'; do
    printf '%s\n' "$output" | grep -qF -- "$text" || { echo "no '$text' in:"; echo "$output"; exit 1; }
done
