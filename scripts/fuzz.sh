#!/usr/bin/env bash
# Fuzzes one of the gateway's @FuzzTests for about N minutes (default 10), in rounds of the five
# minutes each test allows itself:
#
#   scripts/fuzz.sh FrameDecoderFuzzTest
#   scripts/fuzz.sh 'JsonBodyFuzzTest#theShapeLookAgreesWithAStrictParserOnEveryWellFormedObject' 30
#
# The fuzz tests: FrameDecoderFuzzTest, ClientFrameFuzzTest, JsonBodyFuzzTest (four methods; name one).
# The corpus Jazzer grows lives in gateway-server/.cifuzz-corpus/ (not checked in) and each round
# starts from it. A finding stops the run: Jazzer writes the input that failed into the test's
# saved inputs (gateway-server/src/test/resources/org/optline/server/…/<Test>Inputs/<method>/),
# where every ./mvnw verify replays it from then on. Fix the bug, keep the input, commit both.
set -euo pipefail
cd "$(dirname "$0")/.."
test=${1:?usage: scripts/fuzz.sh <FuzzTest class>[#method] [minutes]}
minutes=${2:-10}
rounds=$(( (minutes + 4) / 5 ))
for round in $(seq 1 "$rounds"); do
  echo "fuzzing $test, round $round of $rounds (5 minutes)" >&2
  # The other modules run no test of that name; in gateway-server only its fuzz execution runs it.
  JAZZER_FUZZ=1 ./mvnw -q -pl gateway-server -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false || {
    echo "a finding: see the test's saved inputs (git status) and gateway-server/target/surefire-reports" >&2
    exit 1
  }
done
