#!/usr/bin/env bash
# Measures the campaign figures of docs/benchmarks.md on this machine: a gateway on its durable
# store in a child JVM with a small heap; RECIPIENTS opted in with `loadtest seed`; an audience of
# RECIPIENTS rows uploaded as one CSV file (its heap sampled with jstat while it is read); then the
# campaign run at full pace (its pace far above what the gateway can do, so the scheduler sends as
# fast as admission and the store take it), every message through the whole admission.
#
#   scripts/campaign-benchmark.sh                       # 1 000 000 recipients, about 5 minutes
#   RECIPIENTS=100000 HEAP=256m scripts/campaign-benchmark.sh
#
# Settings (environment): RECIPIENTS (default 1000000, at most 1000000), HEAP (the gateway's -Xmx,
# default 512m), THROUGHPUT (the business's limit; campaigns get half, default 400000),
# HTTP_PORT (default 18080), OUT (where the files and the summary go).
set -euo pipefail
cd "$(dirname "$0")/.."

RECIPIENTS=${RECIPIENTS:-1000000}
HEAP=${HEAP:-512m}
THROUGHPUT=${THROUGHPUT:-400000}
HTTP_PORT=${HTTP_PORT:-18080}
TCP_PORT=$((HTTP_PORT + 1))
OUT=${OUT:-benchmark-results/campaign-$(date +%Y%m%d-%H%M%S)}
KEY=olk_campaign_benchmark_key
PLATFORM_KEY=olp_campaign_benchmark_platform
BUSINESS=bench-marketer

[ -f gateway-server/target/optline-gateway.jar ] && [ -f loadtest/target/optline-loadtest.jar ] \
  || ./mvnw -q -pl gateway-server,loadtest -am package -DskipTests
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
sha() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
cat > "$OUT/optline.properties" <<EOF
data.dir=$OUT/data
http.port=$HTTP_PORT
tcp.port=$TCP_PORT
demo.enabled=false
platform.key-sha256=$(sha "$PLATFORM_KEY")
business.$BUSINESS.key-sha256=$(sha "$KEY")
business.$BUSINESS.throughput=$THROUGHPUT
business.$BUSINESS.tier=unlimited
EOF

GATEWAY_PID=
JSTAT_PID=
cleanup() {
  [ -n "$JSTAT_PID" ] && kill "$JSTAT_PID" 2>/dev/null || true
  if [ -n "$GATEWAY_PID" ]; then
    kill "$GATEWAY_PID" 2>/dev/null || true
    wait "$GATEWAY_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT

java -Xmx"$HEAP" -Xlog:gc:file="$OUT/gc.log" -jar gateway-server/target/optline-gateway.jar \
  --config "$OUT/optline.properties" > "$OUT/gateway.log" 2>&1 &
GATEWAY_PID=$!
for _ in $(seq 1 150); do
  curl -sf "localhost:$HTTP_PORT/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf "localhost:$HTTP_PORT/health/ready" >/dev/null || { echo "the gateway did not start; see $OUT/gateway.log"; exit 1; }

# `seed` opts every recipient in to the transactional class (and half of them to marketing): the
# campaign is a service notice to every customer, declared TRANSACTIONAL, so that every message can
# be ACCEPTED; it goes through the same stages as an offer but the marketing-only caps.
echo "== seeding $RECIPIENTS opt-ins"
java -jar loadtest/target/optline-loadtest.jar seed --recipients "$RECIPIENTS" --http-port "$HTTP_PORT" \
  --tcp-port "$TCP_PORT" --key "$KEY" --platform-key "$PLATFORM_KEY" --business "$BUSINESS" \
  > "$OUT/seed.log" 2>&1 || { echo "seeding failed; see $OUT/seed.log"; exit 1; }

# The seeded numbers of the harness (+447900000000 upwards), each with one template parameter.
awk -v n="$RECIPIENTS" 'BEGIN { print "recipient,name"; for (i = 0; i < n; i++) printf "+447900%06d,Customer %d\n", i, i }' \
  > "$OUT/audience.csv"
echo "== audience: $(wc -l < "$OUT/audience.csv") lines, $(du -h "$OUT/audience.csv" | cut -f1)"

api() { # method path [curl args...]
  local method=$1 path=$2
  shift 2
  curl -sS -X "$method" "localhost:$HTTP_PORT$path" -H "Authorization: Bearer $KEY" "$@"
}
json() { # field  (first match of "field":"value" or "field":number)
  grep -o "\"$1\":\"\\?[^,\"}]*" | head -1 | sed -E 's/^"[^"]*":"?//'
}

campaign=$(api POST /v1/campaigns -H 'Content-Type: application/json' \
  -d "{\"name\":\"Benchmark\",\"declaredCategory\":\"TRANSACTIONAL\",
       \"text\":\"Online banking is unavailable tonight from 01:00 to 03:00 for maintenance.\",\"pacePerSecond\":1000000,
       \"quietHours\":{\"start\":\"00:00\",\"end\":\"00:00\"}}")
id=$(echo "$campaign" | json campaignId)

echo "== uploading (heap sampled every 250 ms into $OUT/jstat-upload.txt)"
jstat -gc -t "$GATEWAY_PID" 250 > "$OUT/jstat-upload.txt" &
JSTAT_PID=$!
start=$(date +%s.%N)
api POST "/v1/campaigns/$id/audience" -H 'Content-Type: text/csv' --data-binary @"$OUT/audience.csv" > "$OUT/upload.json"
end=$(date +%s.%N)
kill "$JSTAT_PID"; JSTAT_PID=
upload_seconds=$(echo "$end - $start" | bc)
echo "upload answer: $(cat "$OUT/upload.json")"
# jstat -gc -t columns: Timestamp S0C S1C S0U S1U EC EU OC OU ...; used heap = S0U+S1U+EU+OU (KB).
# The old generation is what stays: flat while the rows stream through; the young one is garbage.
awk 'NR > 1 && $1 ~ /^[0-9.]+$/ { used = ($4 + $5 + $7 + $9) / 1024; old = $9 / 1024;
       if (n == 0) first = old; last = old;
       if (used > maxused) maxused = used; if (old > maxold) maxold = old; n++ }
     END { printf "heap during the upload: %d samples; old generation %.0f MB at the start, at most %.0f MB, %.0f MB at the end; at most %.0f MB used with the young generation\n", n, first, maxold, last, maxused }' \
  "$OUT/jstat-upload.txt" | tee "$OUT/heap.txt"

echo "== running the campaign at full pace"
api POST "/v1/campaigns/$id/schedule" > /dev/null
for _ in $(seq 1 3600); do
  sleep 1
  state=$(api GET "/v1/campaigns/$id")
  printf '\r%s sent, state %s, rate %s/s   ' "$(echo "$state" | json sent)" "$(echo "$state" | json state)" \
    "$(echo "$state" | json currentRate)"
  echo "$state" | grep -q '"state":"COMPLETED"' && break
done
echo
echo "$state" > "$OUT/campaign.json"
started=$(echo "$state" | json startedAt)
finished=$(echo "$state" | json finishedAt)
run_seconds=$(( $(date -d "$finished" +%s%N) - $(date -d "$started" +%s%N) ))
run_seconds=$(echo "scale=1; $run_seconds / 1000000000" | bc)
accepted=$(echo "$state" | grep -o '"reason":"ACCEPTED","count":"[0-9]*"' | grep -o '[0-9]*"$' | tr -d '"')
{
  echo "recipients=$RECIPIENTS heap=$HEAP throughput=$THROUGHPUT (campaign budget $((THROUGHPUT / 2))/s)"
  echo "upload: ${upload_seconds}s for $RECIPIENTS rows ($(echo "$RECIPIENTS / $upload_seconds" | bc) rows/s)"
  cat "$OUT/heap.txt"
  echo "campaign: $accepted accepted in ${run_seconds}s ($(echo "${accepted:-0} / $run_seconds" | bc) messages/s through admission, durable)"
} | tee "$OUT/summary.txt"
