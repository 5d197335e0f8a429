#!/bin/sh
# terminated.sh VMIO_SIM [bench]: when vmio-sim is ended by SIGTERM (a job's timeout, a closed
# terminal), its children end too: the campaign's workers, and with "bench" vmio-bench.
sim=$1
# Whether process $1 has ended (gone, or a zombie that nobody reaps).
ended() {
    state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 0
    [ -z "$state" ] || [ "$state" = Z ]
}
# Starts vmio-sim with the arguments, waits for its children, SIGTERMs it, and checks that every
# child ends within 5 s.
check_children_end() {
    "$sim" "$@" >/dev/null 2>&1 &
    parent=$!
    children=""
    for _ in $(seq 100); do
        children=$(pgrep -P "$parent" | tr '\n' ' ')
        [ -n "$children" ] && break
        sleep 0.1
    done
    [ -n "$children" ] || { echo "vmio-sim $* started no child"; kill -KILL "$parent"; exit 1; }
    sleep 0.5
    children=$(pgrep -P "$parent" | tr '\n' ' ')
    kill -TERM "$parent"
    wait "$parent" 2>/dev/null
    for _ in $(seq 50); do
        alive=""
        for child in $children; do
            ended "$child" || alive="$alive $child"
        done
        [ -z "$alive" ] && { echo "vmio-sim $*: its children ($children) ended with it"; return; }
        sleep 0.1
    done
    echo "vmio-sim $*: children still running after it was terminated:$alive"
    kill -KILL $alive
    exit 1
}
check_children_end check --jobs 2 --cases 100000000
[ "$2" = bench ] && check_children_end bench --filter 'fault/'
exit 0
