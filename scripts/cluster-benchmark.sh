#!/usr/bin/env bash
# docs/benchmarks.md, "Gateway nodes on Kafka": accepted messages/s with NODES gateway nodes on an
# in-process 3-broker Kafka cluster, and the opt-out propagation lag under that load.
#
#   scripts/cluster-benchmark.sh 1 30; scripts/cluster-benchmark.sh 2 30; scripts/cluster-benchmark.sh 3 30
set -euo pipefail
cd "$(dirname "$0")/.."
NODES="${1:-3}"
SECONDS_MEASURED="${2:-30}"
./mvnw -q -pl cluster -am test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
    -Dmdep.includeScope=compile
CP="cluster/target/classes:$(cat cluster/target/classpath.txt)"
exec java -Xms6g -Xmx6g -XX:+AlwaysPreTouch ${OPTLINE_JAVA_OPTS:-} -cp "$CP" org.optline.cluster.ClusterBenchmark \
    "$NODES" "$SECONDS_MEASURED"
