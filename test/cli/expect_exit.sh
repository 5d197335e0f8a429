#!/bin/sh
# expect_exit.sh CODE [--prints TEXT] COMMAND...: passes if COMMAND exits with status CODE (and,
# with --prints, writes TEXT to its standard output or error).
expected=$1
shift
text=
if [ "$1" = --prints ]; then
    text=$2
    shift 2
fi
output=$("$@" 2>&1)
status=$?
[ "$status" -eq "$expected" ] || { echo "'$*' exited with $status, expected $expected"; echo "$output"; exit 1; }
[ -z "$text" ] || printf '%s\n' "$output" | grep -qF -- "$text" || {
    echo "'$*' did not print '$text':"
    echo "$output"
    exit 1
}
