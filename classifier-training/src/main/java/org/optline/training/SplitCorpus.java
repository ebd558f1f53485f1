package org.optline.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.optline.core.classify.Label;
import org.optline.core.classify.LabelledText;

/**
 * Splits the corpus, once, into the training file and the two held-out files that training never
 * reads.
 *
 * <p>The team-written corpus ({@code corpus/raw}): which side a message falls on depends on a
 * seeded hash of its own text only, so the split is the same on every run and a message added
 * later never moves an old one across; one in five of each label's messages is held out.
 *
 * <p>The real messages ({@code corpus/real}, public data sets and quoted examples): real texts
 * come in families (one campaign sent with a different number, a code message with a different
 * code), so they are split by family, never by message. Texts that read alike (see
 * {@link #similarity}) form one group, and a whole group lands on one side: half the groups make
 * the external evaluation set, the other half go to training. A real text that reads like a
 * team-written training text goes to training; one that reads like a team-written held-out text
 * goes to the external evaluation set. So no text of either evaluation set has a near-duplicate in
 * training.
 *
 * <p>Duplicates (after lower-casing, digits made alike and punctuation dropped) are kept once.
 *
 * <p>Usage: {@code SplitCorpus <raw directory> <real directory> <training file> <held-out file>
 * <real held-out file>}.
 */
public final class SplitCorpus {
    /** The split's seed: changing it would make a new split, and the old held-out part would be trained on. */
    static final long SEED = 0x0971_1e5e_ed10L;
    static final int HELD_OUT_ONE_IN = 5;
    /** One in this many groups of real texts is held out: half, since real texts are few and evaluation needs many. */
    static final int REAL_HELD_OUT_ONE_IN = 2;
    /** Two texts whose character 4-grams overlap this much (Jaccard) are one family. */
    static final double NEAR_DUPLICATE = 0.5;

    private SplitCorpus() {}

    /** The three parts. */
    record Split(List<LabelledText> training, List<LabelledText> heldOut, List<LabelledText> realHeldOut) {}

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: SplitCorpus <raw directory> <real directory> <training file> <held-out file>"
                    + " <real held-out file>");
            System.exit(2);
        }
        Split split = split(RawCorpus.read(Path.of(args[0])), RawCorpus.read(Path.of(args[1])));
        write(Path.of(args[2]), split.training(), "training part: the trainer reads only this file");
        write(Path.of(args[3]), split.heldOut(), "held-out part of the team-written corpus: never trained on; "
                + "the quality gate measures on it");
        write(Path.of(args[4]), split.realHeldOut(), "external evaluation set of real messages: never trained on, "
                + "no near-duplicate in training; the real-text quality gate measures on it");
        Map<Label, int[]> counts = new EnumMap<>(Label.class);
        split.training().forEach(text -> counts.computeIfAbsent(text.label(), label -> new int[3])[0]++);
        split.heldOut().forEach(text -> counts.computeIfAbsent(text.label(), label -> new int[3])[1]++);
        split.realHeldOut().forEach(text -> counts.computeIfAbsent(text.label(), label -> new int[3])[2]++);
        counts.forEach((label, count) -> System.out.printf(Locale.ROOT,
                "%-15s training %4d  held out %4d  real held out %4d%n", label, count[0], count[1], count[2]));
    }

    static Split split(List<LabelledText> written, List<LabelledText> real) {
        List<LabelledText> training = new ArrayList<>();
        List<LabelledText> heldOut = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (LabelledText text : written) {
            if (seen.add(key(text.text()))) {
                (isHeldOut(text.text()) ? heldOut : training).add(text);
            }
        }
        List<LabelledText> unique = new ArrayList<>();
        for (LabelledText text : real) {
            if (seen.add(key(text.text()))) {
                unique.add(text);
            }
        }
        int n = unique.size();
        long[][] grams = new long[n][];
        for (int i = 0; i < n; i++) {
            grams[i] = shingles(unique.get(i).text());
        }
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
            for (int j = 0; j < i; j++) {
                if (similarity(grams[i], grams[j]) >= NEAR_DUPLICATE) {
                    parent[find(parent, i)] = find(parent, j);
                }
            }
        }
        // a group's side: next to a team training text, training; next to a team held-out text, held out;
        // otherwise a seeded hash of the group's first key decides
        long[][] writtenTraining = training.stream().map(text -> shingles(text.text())).toArray(long[][]::new);
        long[][] writtenHeldOut = heldOut.stream().map(text -> shingles(text.text())).toArray(long[][]::new);
        int[] side = new int[n];
        String[] first = new String[n];
        for (int i = 0; i < n; i++) {
            int root = find(parent, i);
            String k = key(unique.get(i).text());
            if (first[root] == null || k.compareTo(first[root]) < 0) {
                first[root] = k;
            }
            side[root] = Math.max(side[root], nearWritten(grams[i], writtenTraining, writtenHeldOut));
        }
        List<LabelledText> realHeldOut = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int root = find(parent, i);
            boolean held = switch (side[root]) {
                case TRAINING -> false;
                case HELD_OUT -> true;
                default -> Long.remainderUnsigned(mix(SEED ^ fnv64(first[root])), REAL_HELD_OUT_ONE_IN) == 0;
            };
            (held ? realHeldOut : training).add(unique.get(i));
        }
        Comparator<LabelledText> order = Comparator.comparing(LabelledText::label)
                .thenComparing(LabelledText::source).thenComparing(LabelledText::text);
        training.sort(order);
        heldOut.sort(order);
        realHeldOut.sort(order);
        return new Split(training, heldOut, realHeldOut);
    }

    private static final int UNDECIDED = 0;
    private static final int HELD_OUT = 1;
    private static final int TRAINING = 2;

    /** Whether a text reads like a team-written training text (wins), a held-out one, or neither. */
    private static int nearWritten(long[] grams, long[][] training, long[][] heldOut) {
        for (long[] text : training) {
            if (similarity(grams, text) >= NEAR_DUPLICATE) {
                return TRAINING;
            }
        }
        for (long[] text : heldOut) {
            if (similarity(grams, text) >= NEAR_DUPLICATE) {
                return HELD_OUT;
            }
        }
        return UNDECIDED;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    static boolean isHeldOut(String text) {
        return Long.remainderUnsigned(mix(SEED ^ fnv64(key(text))), HELD_OUT_ONE_IN) == 0;
    }

    /** Lower case, spaces collapsed: what makes two team-written texts the same. */
    private static String key(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }

    /**
     * How much two texts read alike, from 0 to 1: the Jaccard overlap of the character 4-grams of
     * their template (lower case, every digit a 0, punctuation a space), so the same message with
     * another code, amount or phone number is the same text.
     */
    static double similarity(String a, String b) {
        return similarity(shingles(a), shingles(b));
    }

    static double similarity(long[] a, long[] b) {
        if (a.length == 0 || b.length == 0) {
            return a.length == b.length ? 1 : 0;
        }
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                common++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return (double) common / (a.length + b.length - common);
    }

    /** The sorted, distinct hashes of the character 4-grams of a text's template. */
    static long[] shingles(String text) {
        StringBuilder template = new StringBuilder(text.length() + 2).append(' ');
        for (int i = 0; i < text.length(); i++) {
            char c = Character.toLowerCase(text.charAt(i));
            char t = Character.isDigit(c) ? '0' : Character.isLetter(c) ? c : ' ';
            if (t != ' ' || template.charAt(template.length() - 1) != ' ') {
                template.append(t);
            }
        }
        template.append(' ');
        int count = Math.max(0, template.length() - 3);
        long[] grams = new long[count];
        for (int i = 0; i < count; i++) {
            grams[i] = fnv64(template.substring(i, i + 4));
        }
        Arrays.sort(grams);
        int distinct = 0;
        for (int i = 0; i < grams.length; i++) {
            if (i == 0 || grams[i] != grams[i - 1]) {
                grams[distinct++] = grams[i];
            }
        }
        return Arrays.copyOf(grams, distinct);
    }

    private static long fnv64(String text) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void write(Path file, List<LabelledText> texts, String what) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# Optline classifier corpus, " + what + ". Written by SplitCorpus; do not edit by hand.");
        lines.add("# LABEL<TAB>source<TAB>text; the sources are explained in classifier-training/corpus/SOURCES.md");
        texts.forEach(text -> lines.add(text.line()));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
    }
}
