#!/usr/bin/env bash
# Trains Optline's classifier from the corpus and writes the model resource that gateway-core
# ships; prints the confusion matrix and per-label figures on both evaluation sets: the held-out
# part of the team-written corpus and the external set of real messages.
#
#   scripts/train-classifier.sh            train on the committed split (what you normally run)
#   scripts/train-classifier.sh --split    first split corpus/raw and corpus/real again; only after
#                                          adding messages: a team-written message's side depends on
#                                          its own text, a real message's on its family of near-duplicates
#   scripts/train-classifier.sh --mistakes also list every evaluation text the model got wrong
#   scripts/train-classifier.sh --cross-validate
#                                          also print 5-fold cross-validation figures on the
#                                          training part (what thresholds are chosen from)
#   scripts/train-classifier.sh --evaluate-only
#                                          measure the committed model without training
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=classifier-training/corpus
resources=gateway-core/src/test/resources/org/optline/core/classify
heldout=$resources/heldout.tsv
real_heldout=$resources/real-heldout.tsv
model=gateway-core/src/main/resources/org/optline/core/classify/model.bin

./mvnw -q -pl classifier-training -am compile
classpath=classifier-training/target/classes:gateway-core/target/classes

options=()
for arg in "$@"; do
  case "$arg" in
    --split) java -cp "$classpath" org.optline.training.SplitCorpus "$corpus/raw" "$corpus/real" "$corpus/train.tsv" \
               "$heldout" "$real_heldout" ;;
    --mistakes|--cross-validate|--evaluate-only) options+=("$arg") ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done

java -cp "$classpath" org.optline.training.TrainClassifier "$corpus/train.tsv" "$heldout" "$real_heldout" "$model" \
  "${options[@]}"
