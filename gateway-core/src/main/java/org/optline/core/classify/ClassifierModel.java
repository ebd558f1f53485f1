package org.optline.core.classify;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The trained weights: a multinomial logistic regression over {@link FeatureSpace}, with the
 * vocabulary it reads disguised words into and the confidence each decision needs. The
 * training module writes it; the gateway reads the copy shipped as a resource when it starts.
 *
 * <p>Weights are kept as 16-bit steps of one scale, in memory as on disk, so that the model the
 * trainer evaluates is exactly the model the gateway loads, and the file stays small.
 */
public final class ClassifierModel {
    /** The shipped model, next to this class on the class path. */
    public static final String RESOURCE = "model.bin";

    private static final String MAGIC = "optline-classifier";
    private static final int VERSION = 1;
    private static final int LABELS = Label.ALL.length;

    /** Weights of place p for label l at {@code p * 4 + l}: the four of one feature share a cache line. */
    private final float[] weights;
    private final float[] bias;
    private final Vocabulary vocabulary;
    private final Thresholds thresholds;
    private final float scale;
    private final short[] steps;

    /**
     * How sure the model must be before a decision moves a message away from what its sender
     * declared.
     *
     * @param spam probability of SPAM at or above which a text is refused
     * @param marketing probability of MARKETING at or above which a declared alert or code is marketing
     * @param authentication probability of AUTHENTICATION at or above which a declared alert is a code
     */
    public record Thresholds(float spam, float marketing, float authentication) {}

    private ClassifierModel(short[] steps, float scale, float[] bias, Vocabulary vocabulary, Thresholds thresholds) {
        this.steps = steps;
        this.scale = scale;
        this.bias = bias.clone();
        this.vocabulary = vocabulary;
        this.thresholds = thresholds;
        this.weights = new float[steps.length];
        for (int i = 0; i < steps.length; i++) {
            weights[i] = steps[i] * scale;
        }
    }

    /**
     * A model of these weights ({@code FeatureSpace.DIMENSION * 4}, place-major), rounded to the
     * 16-bit steps it is stored in.
     */
    public static ClassifierModel of(float[] weights, float[] bias, Vocabulary vocabulary, Thresholds thresholds) {
        if (weights.length != FeatureSpace.DIMENSION * LABELS || bias.length != LABELS) {
            throw new IllegalArgumentException("weights for " + FeatureSpace.DIMENSION + " places and "
                    + LABELS + " labels expected");
        }
        float largest = 0f;
        for (float weight : weights) {
            largest = Math.max(largest, Math.abs(weight));
        }
        float scale = largest == 0f ? 1f : largest / Short.MAX_VALUE;
        short[] steps = new short[weights.length];
        for (int i = 0; i < weights.length; i++) {
            steps[i] = (short) Math.round(weights[i] / scale);
        }
        return new ClassifierModel(steps, scale, bias, vocabulary, thresholds);
    }

    /** The model shipped with the gateway. */
    public static ClassifierModel shipped() {
        try (InputStream in = ClassifierModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the classifier model " + RESOURCE + " is not on the class path");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the classifier model " + RESOURCE, e);
        }
    }

    /** Reads a model written by {@link #write}. */
    public static ClassifierModel read(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(new InflaterInputStream(raw));
        if (!MAGIC.equals(in.readUTF()) || in.readInt() != VERSION) {
            throw new IOException("not an Optline classifier model of version " + VERSION);
        }
        if (in.readInt() != FeatureSpace.DIMENSION || in.readInt() != LABELS) {
            throw new IOException("the model was trained for another feature space");
        }
        Thresholds thresholds = new Thresholds(in.readFloat(), in.readFloat(), in.readFloat());
        int[] hashes = new int[in.readInt()];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = in.readInt();
        }
        float scale = in.readFloat();
        float[] bias = new float[LABELS];
        for (int l = 0; l < LABELS; l++) {
            bias[l] = in.readFloat();
        }
        short[] steps = new short[FeatureSpace.DIMENSION * LABELS];
        int used = in.readInt();
        int place = 0;
        for (int i = 0; i < used; i++) {
            place += in.readInt();
            for (int l = 0; l < LABELS; l++) {
                steps[place * LABELS + l] = in.readShort();
            }
        }
        return new ClassifierModel(steps, scale, bias, new Vocabulary(hashes), thresholds);
    }

    /** Writes the model: deflated, places that all labels weigh zero left out. */
    public void write(OutputStream out) throws IOException {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        DeflaterOutputStream deflated = new DeflaterOutputStream(out, deflater);
        deflated.write(content());
        deflated.finish();
        deflater.end();
    }

    /** The model's content before compression: equal content, equal model. */
    public byte[] content() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(bytes)) {
            data.writeUTF(MAGIC);
            data.writeInt(VERSION);
            data.writeInt(FeatureSpace.DIMENSION);
            data.writeInt(LABELS);
            data.writeFloat(thresholds.spam());
            data.writeFloat(thresholds.marketing());
            data.writeFloat(thresholds.authentication());
            int[] hashes = vocabulary.hashes();
            data.writeInt(hashes.length);
            for (int hash : hashes) {
                data.writeInt(hash);
            }
            data.writeFloat(scale);
            for (float b : bias) {
                data.writeFloat(b);
            }
            data.writeInt(usedPlaces());
            int previous = 0;
            for (int place = 0; place < FeatureSpace.DIMENSION; place++) {
                if (isUsed(place)) {
                    data.writeInt(place - previous);
                    previous = place;
                    for (int l = 0; l < LABELS; l++) {
                        data.writeShort(steps[place * LABELS + l]);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private boolean isUsed(int place) {
        for (int l = 0; l < LABELS; l++) {
            if (steps[place * LABELS + l] != 0) {
                return true;
            }
        }
        return false;
    }

    /** How many places of the feature space carry a weight. */
    public int usedPlaces() {
        int used = 0;
        for (int place = 0; place < FeatureSpace.DIMENSION; place++) {
            if (isUsed(place)) {
                used++;
            }
        }
        return used;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public Thresholds thresholds() {
        return thresholds;
    }

    /** The weight of a feature's place for a label. */
    float weight(int place, Label label) {
        return weights[place * LABELS + label.ordinal()];
    }

    /** The probability of each label, in {@link Label} order. */
    public float[] probabilities(Features features) {
        float[] scores = scores(features);
        float max = Math.max(Math.max(scores[0], scores[1]), Math.max(scores[2], scores[3]));
        float sum = 0f;
        for (int l = 0; l < LABELS; l++) {
            scores[l] = (float) Math.exp(scores[l] - max);
            sum += scores[l];
        }
        for (int l = 0; l < LABELS; l++) {
            scores[l] /= sum;
        }
        return scores;
    }

    /** The score of each label: bias plus weighted features. */
    float[] scores(Features features) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        float h0 = 0f;
        float h1 = 0f;
        float h2 = 0f;
        float h3 = 0f;
        float[] w = weights;
        int[] places = features.places;
        for (int i = 0; i < features.count; i++) {
            int place = places[i];
            int at = place * LABELS;
            if (place < FeatureSpace.SIGNALS) {
                s0 += w[at];
                s1 += w[at + 1];
                s2 += w[at + 2];
                s3 += w[at + 3];
            } else {
                h0 += w[at];
                h1 += w[at + 1];
                h2 += w[at + 2];
                h3 += w[at + 3];
            }
        }
        float value = features.hashedValue();
        return new float[] {bias[0] + s0 + value * h0, bias[1] + s1 + value * h1, bias[2] + s2 + value * h2,
                bias[3] + s3 + value * h3};
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClassifierModel that && Arrays.equals(content(), that.content());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bias) * 31 + Float.hashCode(scale);
    }
}
