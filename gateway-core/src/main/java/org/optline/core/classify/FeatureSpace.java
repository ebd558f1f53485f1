package org.optline.core.classify;

/**
 * Where each feature of a text lives in the model's weight table. The first
 * {@link #SIGNALS} places hold the engineered {@link Signal}s; words, word pairs, character
 * n-grams and number shapes are hashed into the rest, so the model needs no dictionary and
 * reads any text in one pass.
 */
public final class FeatureSpace {
    /** Places reserved for signals; more than there are, so that new ones keep old files readable. */
    public static final int SIGNALS = 64;
    /** 2^18 hashed places: few collisions for a corpus of thousands of texts, 4 MB of floats. */
    public static final int HASHED_BITS = 18;
    public static final int HASHED = 1 << HASHED_BITS;
    /** Every place a feature can take. */
    public static final int DIMENSION = SIGNALS + HASHED;

    static final int WORD_SEED = 0x2f0b3c11;
    static final int CHAR_SEED = 0x61c88647;
    static final int PAIR_SEED = 0x7feb352d;
    static final int DOMAIN_SEED = 0x3c6ef372;
    static final int PATH_SEED = 0x1b873593;
    static final int TLD_SEED = 0x5bd1e995;

    private static final int FNV_PRIME = 0x01000193;

    private FeatureSpace() {}

    static int start(int seed) {
        return 0x811c9dc5 ^ seed;
    }

    static int step(int hash, char c) {
        return (hash ^ c) * FNV_PRIME;
    }

    static int hash(int seed, char[] chars, int from, int to) {
        int h = start(seed);
        for (int i = from; i < to; i++) {
            h = step(h, chars[i]);
        }
        return h;
    }

    static int hash(int seed, String text) {
        int h = start(seed);
        for (int i = 0; i < text.length(); i++) {
            h = step(h, text.charAt(i));
        }
        return h;
    }

    static int pair(int first, int second) {
        return mix(first * 31 + (second ^ PAIR_SEED));
    }

    /** The place of a hashed feature: mixed first, since FNV's low bits alone spread poorly. */
    static int place(int hash) {
        return SIGNALS + (mix(hash) & (HASHED - 1));
    }

    /** MurmurHash3's finaliser. */
    static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
