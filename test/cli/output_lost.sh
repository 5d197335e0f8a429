#!/bin/sh
# output_lost.sh VMIO_SIM: a report that cannot be written (a full disk, stdout closed) is exit
# status 3 with a message on stderr, not a silent 0.
sim=$1
run() {  # run DESCRIPTION REDIRECTION ARGS...: runs vmio-sim with stdout as REDIRECTION says
    description=$1 redirection=$2
    shift 2
    case $redirection in
        full) errors=$("$sim" "$@" 2>&1 >/dev/full) ;;
        closed) errors=$("$sim" "$@" 2>&1 >&-) ;;
    esac
    status=$?
    [ "$status" -eq 3 ] || { echo "$description: exit status $status, expected 3"; exit 1; }
    printf '%s\n' "$errors" | grep -qF 'vmio-sim: cannot write the output' ||
        { echo "$description: no message on stderr, got: $errors"; exit 1; }
    echo "$description: exit status 3, with the message"
}
run "campaign summary to a full disk" full --cases 10
run "campaign JSON to a full disk" full check --cases 10 --json
run "replay with stdout closed" closed replay 1
run "campaign with stdout closed" closed --cases 10
