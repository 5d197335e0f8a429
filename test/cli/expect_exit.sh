#!/bin/sh
# expect_exit.sh CODE COMMAND...: passes if COMMAND exits with status CODE.
expected=$1
shift
"$@" >/dev/null 2>&1
status=$?
[ "$status" -eq "$expected" ] || { echo "'$*' exited with $status, expected $expected"; exit 1; }
