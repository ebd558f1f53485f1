#!/usr/bin/env bash
# Trains Optline's classifier from the corpus and writes the model resource that gateway-core
# ships; prints the confusion matrix and per-label figures on the held-out part.
#
#   scripts/train-classifier.sh            train on the committed split (what you normally run)
#   scripts/train-classifier.sh --split    first split corpus/raw again; only after adding messages:
#                                          a message's side depends on its own text, so no old
#                                          message crosses from held-out to training
#   scripts/train-classifier.sh --mistakes also list every held-out text the model got wrong
#   scripts/train-classifier.sh --cross-validate
#                                          also print 5-fold cross-validation figures on the
#                                          training part (what thresholds are chosen from)
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=classifier-training/corpus
heldout=gateway-core/src/test/resources/org/optline/core/classify/heldout.tsv
model=gateway-core/src/main/resources/org/optline/core/classify/model.bin

./mvnw -q -pl classifier-training -am compile
classpath=classifier-training/target/classes:gateway-core/target/classes

options=()
for arg in "$@"; do
  case "$arg" in
    --split) java -cp "$classpath" org.optline.training.SplitCorpus "$corpus/raw" "$corpus/train.tsv" "$heldout" ;;
    --mistakes|--cross-validate) options+=("$arg") ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done

java -cp "$classpath" org.optline.training.TrainClassifier "$corpus/train.tsv" "$heldout" "$model" "${options[@]}"
