package org.optline.core.classify;

import java.util.Map;
import java.util.Set;

/**
 * Sets of words looked up by the hash a token already has, so that asking "is this an urgency
 * word, a prize word, a fee word?" for every word of every message costs one probe, no string and
 * no boxing. Each word carries the bits of the sets it belongs to.
 */
final class WordSet {
    private final int[] keys;
    private final int[] bits;
    private final int mask;

    private WordSet(Map<Integer, Set<String>> sets) {
        int words = sets.values().stream().mapToInt(Set::size).sum();
        int size = Integer.highestOneBit(Math.max(8, words * 4 - 1)) << 1;
        keys = new int[size];
        bits = new int[size];
        mask = size - 1;
        sets.forEach((bit, set) -> {
            for (String word : set) {
                int hash = hash(word);
                int at = FeatureSpace.mix(hash) & mask;
                while (keys[at] != 0 && keys[at] != hash) {
                    at = (at + 1) & mask;
                }
                keys[at] = hash;
                bits[at] |= bit;
            }
        });
    }

    /** One set. */
    static WordSet of(Set<String> words) {
        return new WordSet(Map.of(1, words));
    }

    /** Several sets, each under its bit. */
    static WordSet tagged(Map<Integer, Set<String>> sets) {
        return new WordSet(sets);
    }

    /** The hash a word is looked up by: the word feature's hash, never 0. */
    static int hash(String word) {
        int hash = FeatureSpace.hash(FeatureSpace.WORD_SEED, word);
        return hash == 0 ? 1 : hash;
    }

    static int hash(char[] chars, int from, int to) {
        int hash = FeatureSpace.hash(FeatureSpace.WORD_SEED, chars, from, to);
        return hash == 0 ? 1 : hash;
    }

    boolean contains(int hash) {
        return bits(hash) != 0;
    }

    /** The bits of the sets the word is in; 0 when none. */
    int bits(int hash) {
        int at = FeatureSpace.mix(hash) & mask;
        while (keys[at] != 0) {
            if (keys[at] == hash) {
                return bits[at];
            }
            at = (at + 1) & mask;
        }
        return 0;
    }
}
