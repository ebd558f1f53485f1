/**
 * Training of the gateway's classifier, run by hand ({@code scripts/train-classifier.sh}), never
 * by the gateway: {@link org.optline.training.SplitCorpus} splits the raw corpus once into a
 * training and a held-out part, {@link org.optline.training.TrainClassifier} trains on the first
 * and writes the model resource of gateway-core.
 */
package org.optline.training;
