#!/usr/bin/env bash
# Measures the load figures of docs/benchmarks.md on this machine: every configuration first
# against the bare-Netty baseline (the machine's and the client's limit), then against the
# gateway on its durable store, each with `loadtest find-max`, and prints the ratios.
#
#   scripts/benchmarks.sh                 # all configurations, about 35 minutes on 2 cores
#   ONLY="tcp100 http64" scripts/benchmarks.sh
#
# Settings (environment): P99 (the bound a rate must hold, default 50ms), STORAGE (rocksdb or
# memory, default rocksdb), RECIPIENTS (default 10000), OUT (results directory), TARGETS
# ("baseline gateway"; "gateway" alone re-measures the gateway into an OUT that has the baseline).
set -euo pipefail
cd "$(dirname "$0")/.."

P99=${P99:-50ms}
STORAGE=${STORAGE:-rocksdb}
RECIPIENTS=${RECIPIENTS:-10000}
OUT=${OUT:-benchmark-results/$(date +%Y%m%d-%H%M%S)}
ONLY=${ONLY:-"http16 http64 http256 tcp1 tcp100"}
TARGETS=${TARGETS:-"baseline gateway"}
LOADTEST="java -Xmx2g -jar loadtest/target/optline-loadtest.jar"
# every message transactional and to an opted-in recipient: the figure is accepted messages/s
MIX="--mix balance=1 --non-consented 0 --invalid 0 --duplicates 0 --recipients $RECIPIENTS"

declare -A CONFIG=(
  [http16]="--protocol http --connections 16 --start-rate 1000"
  [http64]="--protocol http --connections 64 --start-rate 1000"
  [http256]="--protocol http --connections 256 --start-rate 1000"
  [tcp1]="--protocol tcp --connections 16 --in-flight 128 --batch 1 --start-rate 2000"
  [tcp100]="--protocol tcp --connections 16 --in-flight 128 --batch 100 --start-rate 10000"
)

[ -f loadtest/target/optline-loadtest.jar ] && [ -f gateway-server/target/optline-gateway.jar ] \
  || ./mvnw -q package -DskipTests
mkdir -p "$OUT"
SERVER_PID=

stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}
trap stop_server EXIT

wait_for() { # port
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "nothing listens on port $1" >&2
  exit 1
}

measure() { # target-name tcp-port http-port
  for name in $ONLY; do
    echo "== $1 $name: ${CONFIG[$name]}"
    # shellcheck disable=SC2086
    $LOADTEST find-max ${CONFIG[$name]} $MIX --p99 "$P99" --tcp-port "$2" --http-port "$3" \
      --results "$OUT/$1-$name" > "$OUT/$1-$name.txt" 2>&1 || true
    grep -E "^highest rate that held|^no rate held|^at half that rate" "$OUT/$1-$name.txt" || true
  done
}

echo "results in $OUT"
if [[ " $TARGETS " == *" baseline "* ]]; then
$LOADTEST baseline --tcp-port 9190 --http-port 8190 > "$OUT/baseline-server.log" 2>&1 &
SERVER_PID=$!
wait_for 9190
# the baseline checks no key (any will do); the gateway's is loaded below
OPTLINE_KEY=any measure baseline 9190 8190
stop_server
fi

if [[ " $TARGETS " == *" gateway "* ]]; then
DATA=$(mktemp -d /tmp/optline-bench-XXXXXX)
# a fixed, pre-touched heap: growing it page by page showed up as kernel time in the GC threads
OPTLINE_STORAGE=$STORAGE OPTLINE_DATA_DIR=$DATA java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -jar gateway-server/target/optline-gateway.jar \
  > "$OUT/gateway.log" 2>&1 &
SERVER_PID=$!
wait_for 9090
set -a; . "$DATA/demo-credentials.env"; set +a
$LOADTEST seed --recipients "$RECIPIENTS" > "$OUT/seed.txt" 2>&1 || { tail -5 "$OUT/seed.txt"; rm -rf "$DATA" "$DATA-keys"; exit 1; }
tail -2 "$OUT/seed.txt"
measure gateway 9090 8080
stop_server
rm -rf "$DATA" "$DATA-keys"
fi

echo
printf "%-8s %16s %16s %7s   %s\n" config "baseline msg/s" "gateway msg/s" ratio "gateway p50 / p99 at max; p99 at half"
held() { # file: the highest rate line's figure, or nothing when the file is missing
  [ -f "$1" ] && sed -n 's/^highest rate that held: \([0-9,]*\) messages.*/\1/p' "$1" | tr -d , || true
}
for name in $ONLY; do
  base=$(held "$OUT/baseline-$name.txt")
  gate=$(held "$OUT/gateway-$name.txt")
  lat=$(sed -n 's/^highest rate that held: .* with \(p50 [^,]*\), \(p99 [^ ]*\) .*/\1 \2/p' "$OUT/gateway-$name.txt" 2>/dev/null || true)
  half=$(sed -n 's/^at half that rate .*: p50 [^,]*, \(p99 [^,]*\),.*/\1/p' "$OUT/gateway-$name.txt" 2>/dev/null || true)
  ratio=$(awk -v g="${gate:-0}" -v b="${base:-0}" 'BEGIN { if (b > 0) printf "%.2f", g / b; else print "-" }')
  printf "%-8s %16s %16s %7s   %s; half: %s\n" "$name" "${base:--}" "${gate:--}" "$ratio" "${lat:--}" "${half:--}"
done
