/**
 * What a message really is. {@link org.optline.core.classify.Classifier} is the starting point:
 * it reads a text into {@link org.optline.core.classify.Features} with the
 * {@link org.optline.core.classify.FeatureExtractor}, scores them with the trained
 * {@link org.optline.core.classify.ClassifierModel} (shipped as the resource {@code model.bin},
 * trained by {@code scripts/train-classifier.sh}) and returns a
 * {@link org.optline.core.classify.Classification} with its evidence.
 * {@link org.optline.core.classify.Evaluation} measures a model on labelled texts; the quality
 * gate test and the training command both use it. Runs on the admission pool's threads.
 */
package org.optline.core.classify;
