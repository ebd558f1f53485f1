#!/usr/bin/env bash
# TCP, 100 messages per request (16 connections x 128 in flight), at fixed offered rates against
# one fresh durable gateway: the sustained rate, half of it, and 2x and 4x of it (overload).
# For each rate it prints what the loadtest measured (accepted msg/s, OVERLOADED share, latency
# of every answer from its intended send time), the gateway's CPU (cores, and microseconds per
# accepted message), the old generation after the run's last collection and the deepest store
# queue seen (/metrics, once a second).
#
#   scripts/tcp-fixed-rates.sh 40000                 # rates: 20000 40000 80000 160000
#   RATES="10000 20000" scripts/tcp-fixed-rates.sh   # any rates
#
# Settings (environment): BATCH (100), RECIPIENTS (10000), WARMUP (10s), DURATION (20s), OUT,
# GATEWAY_JAR, GATEWAY_JAVA_OPTS (more options for the gateway's JVM, such as -XX:+UseZGC),
# HTTP_PORT and TCP_PORT (18080, 19090), NICE (such as -15 as root). Everything
# listens on and connects to 127.0.0.1 only. Nothing here asserts a figure: it prints them.
set -euo pipefail
cd "$(dirname "$0")/.."

SUSTAINED=${1:-}
if [ -z "${RATES:-}" ]; then
  [ -n "$SUSTAINED" ] || { sed -n '2,14p' "$0"; exit 2; }
  RATES="$(( SUSTAINED / 2 )) $SUSTAINED $(( SUSTAINED * 2 )) $(( SUSTAINED * 4 ))"
fi
BATCH=${BATCH:-100}
RECIPIENTS=${RECIPIENTS:-10000}
WARMUP=${WARMUP:-10s}
DURATION=${DURATION:-20s}
OUT=${OUT:-benchmark-results/tcp-$(date +%Y%m%d-%H%M%S)}
GATEWAY_JAR=${GATEWAY_JAR:-gateway-server/target/optline-gateway.jar}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-}
HTTP_PORT=${HTTP_PORT:-18080}
TCP_PORT=${TCP_PORT:-19090}
NICE=${NICE:-0}
HOST=127.0.0.1
L="nice -n $NICE java -Xmx2g -jar loadtest/target/optline-loadtest.jar"
PORTS="--host $HOST --http-port $HTTP_PORT --tcp-port $TCP_PORT"
MIX="--mix balance=1 --non-consented 0 --invalid 0 --duplicates 0 --recipients $RECIPIENTS"

[ -f loadtest/target/optline-loadtest.jar ] && [ -f "$GATEWAY_JAR" ] \
  || ./mvnw -q -pl gateway-server,loadtest -am package -DskipTests
if (exec 3<>"/dev/tcp/$HOST/$TCP_PORT") 2>/dev/null; then
  echo "something already listens on $HOST:$TCP_PORT; stop it or choose other ports" >&2
  exit 1
fi
mkdir -p "$OUT"
DATA=$(mktemp -d /tmp/optline-tcp-XXXXXX)
SERVER_PID=
SAMPLER_PID=
cleanup() {
  [ -z "$SAMPLER_PID" ] || kill "$SAMPLER_PID" 2>/dev/null || true
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$DATA" "$DATA-keys"
}
trap cleanup EXIT

OPTLINE_HTTP_HOST=$HOST OPTLINE_TCP_HOST=$HOST OPTLINE_HTTP_PORT=$HTTP_PORT OPTLINE_TCP_PORT=$TCP_PORT \
  OPTLINE_DATA_DIR=$DATA nice -n "$NICE" java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -Xlog:gc:file="$OUT/gc.log" \
  $GATEWAY_JAVA_OPTS \
  -jar "$GATEWAY_JAR" > "$OUT/gateway.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/$HOST/$TCP_PORT") 2>/dev/null && break; sleep 0.2; done
set -a; . "$DATA/demo-credentials.env"; set +a
$L seed $PORTS --recipients "$RECIPIENTS" > "$OUT/seed.txt" 2>&1 || { tail -5 "$OUT/seed.txt"; exit 1; }

ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
metric() { # file name: the largest value of a /metrics line starting with name
  awk -v m="$2" 'index($0, m) == 1 { if ($NF > max) max = $NF } END { printf "%.0f", max }' "$1"
}
summary() { # file
  echo "$(grep -E '^throughput' "$1" | sed 's/, [0-9,]* requests.*//') | $(grep -E '^latency' "$1" | grep -oE 'p50 [^ ]+ p90 [^ ]+ p99 [^ ]+ p99.9 [^ ]+')" \
       "| $(grep -E '^  [A-Z_]+ ' "$1" | tr -s ' ' | tr '\n' ';')"
}

echo "results in $OUT; TCP $BATCH per request, $RECIPIENTS recipients, $WARMUP + $DURATION per rate"
for rate in $RATES; do
  file="$OUT/rate-$rate.txt"
  : > "$OUT/metrics-$rate.txt"
  ( while true; do curl -s --max-time 1 "http://$HOST:$HTTP_PORT/metrics" >> "$OUT/metrics-$rate.txt" || true; sleep 1; done ) &
  SAMPLER_PID=$!
  load=$(cut -d' ' -f1 /proc/loadavg)
  # the gateway's CPU over the measured part only: the warm-up's time is taken off by timing it apart
  $L run $PORTS --protocol tcp --connections 16 --in-flight 128 --batch "$BATCH" --rate "$rate" \
     --warm-up "$WARMUP" --duration "$DURATION" $MIX > "$file" 2>&1 &
  client=$!
  sleep "${WARMUP%s}"
  before=$(ticks); start=$(date +%s%N)
  sleep "${DURATION%s}"
  after=$(ticks); end=$(date +%s%N)
  wait "$client" || true
  kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=
  accepted=$(sed -n 's/^  ACCEPTED *\([0-9,]*\).*/\1/p' "$file" | tr -d ,)
  seconds=$(sed -n 's/^throughput: .* over \([0-9.]*\) s.*/\1/p' "$file")
  cpu=$(awk -v t=$(( after - before )) -v n=$(( end - start )) 'BEGIN { printf "%.2f", t / 100 / (n / 1e9) }')
  per=$(awk -v c="$cpu" -v a="${accepted:-0}" -v s="${seconds:-1}" 'BEGIN { if (a > 0) printf "%.1f", c * 1e6 / (a / s); else print "-" }')
  old=$(grep -oE 'Pause Young.*->[0-9]+M' "$OUT/gc.log" | tail -1 | sed 's/.*->//' || true)
  pending=$(metric "$OUT/metrics-$rate.txt" optline_queue_pending_appends)
  echo "offered $rate msg/s (load $load): $(summary "$file")"
  echo "   gateway CPU $cpu cores = $per us per accepted message; heap after the last young GC $old; most pending appends $pending"
done
