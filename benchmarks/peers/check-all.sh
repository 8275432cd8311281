#!/usr/bin/env bash
# Starts every peer listed in servers.tsv exactly as the benchmark harness will (bash -c
# "<command>" from the repo root, with PORT set), runs check-peer.py on the tests it lists,
# and stops it again (by its PID only).
#
# usage: benchmarks/peers/check-all.sh [peer ...]     (default: every line of servers.tsv)
# Needs a Postgres with the TechEmpower schema at 127.0.0.1:${WEFT_PG_PORT:-55432} and the
# peers built (mvn -q -f benchmarks/peers/pom.xml package). PORT defaults to 18080 here.
set -u
cd "$(dirname "$0")/../.."
export PORT="${PORT:-18080}"
status=0
while IFS=$'\t' read -r name command tests; do
    [[ -z "$name" ]] && continue
    if (($#)) && [[ " $* " != *" $name "* ]]; then continue; fi
    log="$(mktemp -t "peer-$name.XXXXXX.log")"
    bash -c "$command" >"$log" 2>&1 &
    pid=$!
    up=0
    for _ in $(seq 1 150); do
        if ! kill -0 "$pid" 2>/dev/null; then break; fi
        if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then up=1; break; fi
        sleep 0.2
    done
    echo "== $name (pid $pid, log $log)"
    if ((up)); then
        python3 benchmarks/peers/check-peer.py "$PORT" ${tests//,/ } || status=1
    else
        echo "   did not start listening on :$PORT"; tail -5 "$log"; status=1
    fi
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
done < benchmarks/peers/servers.tsv
exit $status
