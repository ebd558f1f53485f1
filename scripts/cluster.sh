#!/usr/bin/env bash
# A local cluster on one machine: three Kafka brokers (KRaft, from Kafka's own jars, which Maven
# resolves like any dependency: nothing else is downloaded) and NODES gateway nodes against them,
# each its own process. See docs/operations.md, "Trying a cluster on one machine".
#
#   scripts/cluster.sh                 # 3 nodes: HTTP 8080-8082, TCP 9090-9092
#   NODES=2 DIR=/tmp/oc scripts/cluster.sh
set -euo pipefail
cd "$(dirname "$0")/.."
NODES="${NODES:-3}"
DIR="${DIR:-target/local-cluster}"
# Compiles what the cluster module needs (test sources too: the modules share test fixtures) and writes its class path (the modules' classes and the
# resolved jars); -o is left out so that a first run may resolve the Kafka jars.
./mvnw -q -pl cluster -am test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
    -Dmdep.includeScope=compile
CP="cluster/target/classes:$(cat cluster/target/classpath.txt)"
mkdir -p "$DIR"
exec java ${OPTLINE_JAVA_OPTS:-} -cp "$CP" org.optline.cluster.LocalCluster --nodes "$NODES" --dir "$DIR"
