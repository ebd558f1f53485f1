package org.optline.core.classify;

import java.util.Arrays;
import java.util.Collection;

/**
 * The plain words the model was trained on, kept as hashes. Reading a text asks it whether
 * {@code fr33} undone is a word ({@code free}), so that a disguised word is read as the word
 * while a code like {@code A7K9Q2} stays a code.
 */
public final class Vocabulary {
    static final Vocabulary EMPTY = new Vocabulary(new int[0]);

    private final int[] sortedHashes;

    Vocabulary(int[] sortedHashes) {
        this.sortedHashes = sortedHashes;
    }

    /** A vocabulary of these words, lower case letters only. */
    public static Vocabulary of(Collection<String> words) {
        int[] hashes = words.stream().mapToInt(word -> FeatureSpace.hash(FeatureSpace.WORD_SEED, word))
                .sorted().distinct().toArray();
        return new Vocabulary(hashes);
    }

    boolean contains(char[] chars, int from, int to) {
        return Arrays.binarySearch(sortedHashes, FeatureSpace.hash(FeatureSpace.WORD_SEED, chars, from, to)) >= 0;
    }

    int[] hashes() {
        return sortedHashes;
    }

    int size() {
        return sortedHashes.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Vocabulary that && Arrays.equals(sortedHashes, that.sortedHashes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sortedHashes);
    }
}
