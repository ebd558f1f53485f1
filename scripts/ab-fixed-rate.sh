#!/usr/bin/env bash
# Compares gateway jars at fixed offered rates, interleaved, with the same loadtest client:
# TCP 100 messages per request at 40 000 and 80 000 msg/s, HTTP one message per POST over 64
# connections at 5 000 and 10 000 requests/s; each 10 s warm-up + 20 s measured, on a fresh
# RocksDB store with 10 000 opted-in recipients (docs/benchmarks.md, "The house, before and after").
#
#   scripts/ab-fixed-rate.sh before=/path/to/old/optline-gateway.jar after=gateway-server/target/optline-gateway.jar
#
# REPS=2 (rounds over every jar), OUT=dir, LOADTEST=jar, NICE=-15 (needs root; 0 otherwise).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-target/ab-fixed-rate}
REPS=${REPS:-2}
NICE=${NICE:-0}
LOADTEST_JAR=${LOADTEST:-loadtest/target/optline-loadtest.jar}
mkdir -p "$OUT"
L="nice -n $NICE java -Xmx2g -jar $LOADTEST_JAR"
MIX="--mix balance=1 --non-consented 0 --invalid 0 --duplicates 0 --recipients 10000"
PORTS="--http-port 18181 --tcp-port 19191"

wait_for() { for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; return 1; }

summary() { # file
  echo "$(grep -E '^throughput' "$1" | cut -d, -f1-2) | $(grep -E '^latency' "$1" | grep -oE 'p50 [^ ]+ p90 [^ ]+ p99 [^ ]+')" \
       "| $(grep -E '^  [A-Z_]+ ' "$1" | tr -s ' ' | tr '\n' ';')"
}

run_jar() { # label jar rep
  if (exec 3<>/dev/tcp/127.0.0.1/19191) 2>/dev/null; then echo "port 19191 is taken: stop what runs there first" >&2; exit 1; fi
  local DATA; DATA=$(mktemp -d /tmp/optline-ab-XXXXXX)
  OPTLINE_HTTP_PORT=18181 OPTLINE_TCP_PORT=19191 OPTLINE_DATA_DIR=$DATA \
    nice -n "$NICE" java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -jar "$2" > "$OUT/$1-$3-gateway.log" 2>&1 &
  local PID=$!
  wait_for 19191 || { echo "$1: the gateway did not start (see $OUT/$1-$3-gateway.log)"; kill $PID; return; }
  ( set -a; . "$DATA/demo-credentials.env"; set +a
    $L seed $PORTS --recipients 10000 > "$OUT/$1-$3-seed.txt" 2>&1
    for rate in 40000 80000; do
      f="$OUT/$1-$3-tcp100-$rate.txt"
      $L run $PORTS --protocol tcp --connections 16 --in-flight 128 --batch 100 --rate $rate \
         --warm-up 10s --duration 20s $MIX > "$f" 2>&1
      echo "$1 rep $3, tcp100 @ $rate msg/s (load $(cut -d' ' -f1 /proc/loadavg)): $(summary "$f")"
    done
    for rate in 5000 10000; do
      f="$OUT/$1-$3-http64-$rate.txt"
      $L run $PORTS --protocol http --connections 64 --rate $rate --warm-up 10s --duration 20s $MIX > "$f" 2>&1
      echo "$1 rep $3, http64 @ $rate req/s (load $(cut -d' ' -f1 /proc/loadavg)): $(summary "$f")"
    done )
  kill $PID; wait $PID 2>/dev/null
  rm -rf "$DATA" "$DATA-keys"   # today's gateway keeps its keys beside the data directory
}

[ $# -gt 0 ] || { sed -n '2,9p' "$0"; exit 2; }
for rep in $(seq 1 "$REPS"); do
  for pair in "$@"; do
    run_jar "${pair%%=*}" "${pair#*=}" "$rep"
  done
done
