package org.optline.core.classify;

import java.util.Arrays;

/**
 * The features of one text: the places of the model's weight table it touches, and for each
 * where it came from, so that a decision can name the words and signals behind it. Hashed
 * features count {@link #hashedValue()} each, so that a long text weighs no more than a short
 * one; signals count 1.
 */
public final class Features {
    /** Origin of a signal feature: {@code -(ordinal + 1)}. Word features: {@code token * 2}, pairs {@code token * 2 + 1}. */
    int[] places;
    int[] origins;
    int count;
    int hashed;
    Tokens tokens;
    /** Per signal, the token that raised it (-1 for the text as a whole), for the evidence; read only for raised signals. */
    final int[] signalTokens = new int[Signal.ALL.length];
    /** The code word a one-time code sits next to, for the evidence; -1 when none. */
    int codeWordToken = -1;
    boolean codeLike;
    /** The first word that names a brand phishing borrows ("PayPal", "USPS"), or -1. */
    int brandToken = -1;

    Features(Tokens tokens, int capacity) {
        this.tokens = tokens;
        places = new int[capacity];
        origins = new int[capacity];
    }

    /** Empties these features for the tokens of a new text, keeping the arrays. */
    void reset(Tokens read, int capacity) {
        tokens = read;
        if (places.length < capacity) {
            places = new int[capacity];
            origins = new int[capacity];
        }
        count = 0;
        hashed = 0;
        raised = 0;
        codeLike = false;
        codeWordToken = -1;
        brandToken = -1;
    }

    void add(int place, int origin) {
        if (count == places.length) {
            places = Arrays.copyOf(places, count * 2);
            origins = Arrays.copyOf(origins, count * 2);
        }
        places[count] = place;
        origins[count] = origin;
        count++;
        if (place >= FeatureSpace.SIGNALS) {
            hashed++;
        }
    }

    void raise(Signal signal, int token) {
        if (has(signal)) {
            return;
        }
        signalTokens[signal.ordinal()] = token;
        add(signal.place(), -(signal.ordinal() + 1));
        raised |= 1L << signal.ordinal();
    }

    private long raised;

    boolean has(Signal signal) {
        return (raised & (1L << signal.ordinal())) != 0;
    }

    /** How many features the text has. */
    public int count() {
        return count;
    }

    /** The place of feature {@code i} in the weight table. */
    public int place(int i) {
        return places[i];
    }

    /** The value of feature {@code i}. */
    public float value(int i) {
        return places[i] < FeatureSpace.SIGNALS ? 1f : hashedValue();
    }

    /** The value of each hashed feature: one over the square root of how many there are. */
    public float hashedValue() {
        return hashed == 0 ? 0f : (float) (1.0 / Math.sqrt(hashed));
    }

    /** True when the text holds a number shaped like a one-time code. */
    public boolean hasCodeLikeNumber() {
        return codeLike;
    }

    /** True when such a number stands next to a word like "code", "OTP" or "PIN". */
    public boolean hasCodeNextToCodeWord() {
        return has(Signal.CODE_NEAR_CODE_WORD);
    }
}
