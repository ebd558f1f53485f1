#!/usr/bin/env bash
# HTTP with one message per POST, measured with wrk (one request in flight per connection, as
# it works): first against the bare-Netty baseline (the machine's limit), then against a fresh
# durable gateway, at 16, 64 and 256 connections; prints requests/s, latency and the ratio.
#
#   scripts/wrk-http.sh                          # about 5 minutes on 2 cores
#   CONNECTIONS=64 DURATION=10s scripts/wrk-http.sh
#   BODY=protobuf TARGETS=baseline scripts/wrk-http.sh   # what the loadtest's HTTP lanes send
#
# Every request carries a clientMessageId of its own (scripts/wrk-submit.lua) and is a balance
# alert to a recipient that `loadtest seed` opted in, so the gateway must answer each one
# ACCEPTED. wrk only sees status codes, so the script checks the gateway's own counters
# (optline_admission_outcomes_total on /metrics): the ACCEPTED count must grow by at least the
# requests wrk completed (and at most the connections more: requests wrk sent but stopped
# waiting for), and no other outcome may grow. A run that fails the check is marked FAILED.
#
# Settings (environment): CONNECTIONS ("16 64 256"), DURATION (each measured run, 30s), WARMUP
# (a run before the first, not counted, 15s), THREADS (wrk's, 2), BODY (json or protobuf,
# json), TARGETS ("baseline gateway"), STORAGE (rocksdb or memory, rocksdb), RECIPIENTS (10000),
# OUT (results directory), GATEWAY_JAR (gateway-server/target/optline-gateway.jar: another build
# for an A/B comparison), GATEWAY_JAVA_OPTS (more options for the gateway's JVM), HTTP_PORT and
# TCP_PORT (the gateway's, 8080 and 9090), BASE_HTTP_PORT and BASE_TCP_PORT (the baseline's,
# 8190 and 9190), NICE (a nice level for the servers and wrk, such as -15 as root, so that other
# work on a shared machine disturbs the figures less). The load average is printed before each
# measured run. Everything listens on and connects to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${CONNECTIONS:-"16 64 256"}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-15s}
THREADS=${THREADS:-2}
BODY=${BODY:-json}
TARGETS=${TARGETS:-"baseline gateway"}
STORAGE=${STORAGE:-rocksdb}
RECIPIENTS=${RECIPIENTS:-10000}
OUT=${OUT:-benchmark-results/wrk-$(date +%Y%m%d-%H%M%S)}
GATEWAY_JAR=${GATEWAY_JAR:-gateway-server/target/optline-gateway.jar}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-}
HTTP_PORT=${HTTP_PORT:-8080}
TCP_PORT=${TCP_PORT:-9090}
BASE_HTTP_PORT=${BASE_HTTP_PORT:-8190}
BASE_TCP_PORT=${BASE_TCP_PORT:-9190}
NICE=${NICE:-0}
RUN="nice -n $NICE"
LOADTEST="$RUN java -Xmx2g -jar loadtest/target/optline-loadtest.jar"
LUA=scripts/wrk-submit.lua
HOST=127.0.0.1

command -v wrk > /dev/null || { echo "wrk is not installed (Debian: apt-get install wrk)" >&2; exit 2; }
case "$BODY" in json|protobuf) ;; *) echo "BODY must be json or protobuf" >&2; exit 2 ;; esac
seconds() { # 30s, 2m or 45 -> seconds
  case "$1" in *m) echo $(( ${1%m} * 60 )) ;; *s) echo "${1%s}" ;; *) echo "$1" ;; esac
}
# a wrk that hangs must not hold the script: its duration, plus time to finish and report
WRK_LIMIT=$(( $(seconds "$DURATION") + 30 ))
WARMUP_LIMIT=$(( $(seconds "$WARMUP") + 30 ))

# build what is missing; package only: installing would write to the shared ~/.m2
[ -f loadtest/target/optline-loadtest.jar ] && [ -f gateway-server/target/optline-gateway.jar ] \
  || ./mvnw -q -pl gateway-server,loadtest -am package -DskipTests
mkdir -p "$OUT"
SERVER_PID=
DATA=

stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}
cleanup() {
  stop_server
  if [ -n "$DATA" ]; then rm -rf "$DATA" "$DATA-keys"; fi
}
trap cleanup EXIT

port_free() { # port: fails when something already listens there (it would be measured instead)
  if (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; then
    echo "something already listens on $HOST:$1; stop it or choose other ports" >&2
    exit 1
  fi
}

wait_for() { # port
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "nothing listens on $HOST:$1" >&2
  exit 1
}

# CPU time (clock ticks, user + system) of the server being measured
server_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }

# optline_admission_outcomes_total summed over the lines that match $2 (a reason, or "" for all)
outcomes() { # http-port reason
  curl -s --max-time 10 "http://$HOST:$1/metrics" \
    | awk -v reason="$2" '/^optline_admission_outcomes_total[{ ]/ {
        if (reason == "" || index($0, "reason=\"" reason "\"") > 0) { sum += $NF } }
      END { printf "%.0f\n", sum }'
}

run_wrk() { # connections duration limit port file
  # shellcheck disable=SC2086
  timeout "$3" $RUN wrk -t "$THREADS" -c "$1" -d "$2" --latency -s "$LUA" "http://$HOST:$4/v1/messages" \
    -- "wrk-$(date +%s%N)" "$BODY" "$RECIPIENTS" > "$5" 2>&1 || echo "wrk failed or timed out" >> "$5"
}

# what wrk printed: requests/s, completed requests, p50, p99, and its errors
rate_of() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1" | awk '{printf "%.0f", $1}'; }
completed_of() { sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' "$1"; }
percentile_of() { awk -v p="$2%" '$1 == p { print $2 }' "$1" | head -1; }
errors_of() { # non-2xx responses and socket errors, as one number
  local non2xx socket
  non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$1")
  socket=$(sed -n 's/^ *Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1 \2 \3 \4/p' "$1" \
    | awk '{print $1 + $2 + $3 + $4}')
  echo $(( ${non2xx:-0} + ${socket:-0} ))
}

measure() { # target port check-counters
  local name=$1 port=$2 check=$3
  echo "== $name: warm-up, $WARMUP at the most connections (not counted)"
  local most
  most=$(echo "$CONNECTIONS" | tr ' ' '\n' | sort -n | tail -1)
  run_wrk "$most" "$WARMUP" "$WARMUP_LIMIT" "$port" "$OUT/$name-warmup.txt"
  for c in $CONNECTIONS; do
    local file="$OUT/$name-c$c.txt" before=0 before_all=0 verdict=ok
    if [ "$check" = yes ]; then
      sleep 1
      before=$(outcomes "$port" ACCEPTED)
      before_all=$(outcomes "$port" "")
    fi
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" > "$file.load"
    local ticks_before start
    ticks_before=$(server_ticks); start=$(date +%s%N)
    run_wrk "$c" "$DURATION" "$WRK_LIMIT" "$port" "$file"
    # the server's CPU over wrk's run, in cores and per completed request
    awk -v t=$(( $(server_ticks) - ticks_before )) -v n=$(( $(date +%s%N) - start )) -v r="$(completed_of "$file")" \
      'BEGIN { c = t / 100 / (n / 1e9); printf "server CPU: %.2f cores, %.1f us per request\n", c, (r > 0 ? t / 100 * 1e6 / r : 0) }' \
      >> "$file"
    cat "$file.load" >> "$file"
    local completed errors
    completed=$(completed_of "$file")
    errors=$(errors_of "$file")
    [ -n "$completed" ] || verdict=FAILED
    [ "$errors" -eq 0 ] || verdict=FAILED
    if [ "$check" = yes ] && [ -n "$completed" ]; then
      # the answers of the last requests may still be on their way when wrk stops
      sleep 2
      local accepted all
      accepted=$(( $(outcomes "$port" ACCEPTED) - before ))
      all=$(( $(outcomes "$port" "") - before_all ))
      echo "gateway counters: $accepted ACCEPTED, $all outcomes; wrk completed $completed" >> "$file"
      if [ "$accepted" -lt "$completed" ] || [ "$accepted" -gt $(( completed + c )) ] || [ "$all" -ne "$accepted" ]; then
        verdict=FAILED
      fi
      echo "   gateway counted $accepted ACCEPTED of $all outcomes for $completed requests wrk completed"
    fi
    echo "$verdict" >> "$file"
    printf "   %4d connections: %8s requests/s, p50 %s, p99 %s, errors %s: %s (%s; %s)\n" "$c" "$(rate_of "$file")" \
      "$(percentile_of "$file" 50)" "$(percentile_of "$file" 99)" "$errors" "$verdict" "$(cat "$file.load")" \
      "$(grep '^server CPU' "$file")"
    rm -f "$file.load"
  done
}

echo "results in $OUT; wrk $THREADS threads, $BODY bodies, $DURATION per run"
if [[ " $TARGETS " == *" baseline "* ]]; then
  port_free "$BASE_HTTP_PORT"
  $LOADTEST baseline --host "$HOST" --tcp-port "$BASE_TCP_PORT" --http-port "$BASE_HTTP_PORT" \
    > "$OUT/baseline-server.log" 2>&1 &
  SERVER_PID=$!
  wait_for "$BASE_HTTP_PORT"
  # the baseline checks no key; any will do
  OPTLINE_KEY=any measure baseline "$BASE_HTTP_PORT" no
  stop_server
fi

if [[ " $TARGETS " == *" gateway "* ]]; then
  port_free "$HTTP_PORT"
  DATA=$(mktemp -d /tmp/optline-wrk-XXXXXX)
  # as scripts/benchmarks.sh starts it: a fixed, pre-touched heap, the demo business
  OPTLINE_HTTP_HOST=$HOST OPTLINE_TCP_HOST=$HOST OPTLINE_HTTP_PORT=$HTTP_PORT OPTLINE_TCP_PORT=$TCP_PORT \
    OPTLINE_STORAGE=$STORAGE OPTLINE_DATA_DIR=$DATA \
    $RUN java -Xms4g -Xmx4g -XX:+AlwaysPreTouch $GATEWAY_JAVA_OPTS -jar "$GATEWAY_JAR" > "$OUT/gateway.log" 2>&1 &
  SERVER_PID=$!
  wait_for "$HTTP_PORT"
  set -a; . "$DATA/demo-credentials.env"; set +a
  timeout 900 $LOADTEST seed --host "$HOST" --http-port "$HTTP_PORT" --tcp-port "$TCP_PORT" \
    --recipients "$RECIPIENTS" > "$OUT/seed.txt" 2>&1 || { tail -5 "$OUT/seed.txt"; exit 1; }
  tail -1 "$OUT/seed.txt"
  measure gateway "$HTTP_PORT" yes
  stop_server
fi

echo
printf "%-12s %18s %18s %7s   %s\n" connections "baseline req/s" "gateway req/s" ratio "gateway p50 / p99; verdicts"
for c in $CONNECTIONS; do
  base=$( [ -f "$OUT/baseline-c$c.txt" ] && rate_of "$OUT/baseline-c$c.txt" || true)
  gate=$( [ -f "$OUT/gateway-c$c.txt" ] && rate_of "$OUT/gateway-c$c.txt" || true)
  ratio=$(awk -v g="${gate:-0}" -v b="${base:-0}" 'BEGIN { if (b > 0 && g > 0) printf "%.2f", g / b; else print "-" }')
  lat=-
  if [ -f "$OUT/gateway-c$c.txt" ]; then
    lat="$(percentile_of "$OUT/gateway-c$c.txt" 50) / $(percentile_of "$OUT/gateway-c$c.txt" 99)"
  fi
  verdicts=$(for t in baseline gateway; do [ -f "$OUT/$t-c$c.txt" ] && echo "$t $(tail -1 "$OUT/$t-c$c.txt")"; done | paste -sd, - || true)
  printf "%-12s %18s %18s %7s   %s; %s\n" "$c" "${base:--}" "${gate:--}" "$ratio" "$lat" "$verdicts"
done
