package org.optline.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Splits the raw corpus, once, into the training file and the held-out file that training never
 * reads. Which side a message falls on depends on a seeded hash of its own text only, so the
 * split is the same on every run and a message added later never moves an old one across; one
 * in five of each label's messages is held out. Duplicates (after lower-casing and collapsing
 * spaces) are kept once.
 *
 * <p>Usage: {@code SplitCorpus <raw directory> <training file> <held-out file>}.
 */
public final class SplitCorpus {
    /** The split's seed: changing it would make a new split, and the old held-out part would be trained on. */
    static final long SEED = 0x0971_1e5e_ed10L;
    static final int HELD_OUT_ONE_IN = 5;

    private SplitCorpus() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: SplitCorpus <raw directory> <training file> <held-out file>");
            System.exit(2);
        }
        List<LabelledText> all = RawCorpus.read(Path.of(args[0]));
        List<LabelledText> training = new ArrayList<>();
        List<LabelledText> heldOut = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<Label, int[]> counts = new EnumMap<>(Label.class);
        for (LabelledText text : all) {
            if (!seen.add(key(text.text()))) {
                continue;
            }
            boolean held = isHeldOut(text.text());
            (held ? heldOut : training).add(text);
            counts.computeIfAbsent(text.label(), label -> new int[2])[held ? 1 : 0]++;
        }
        Comparator<LabelledText> order = Comparator.comparing(LabelledText::label)
                .thenComparing(LabelledText::source).thenComparing(LabelledText::text);
        training.sort(order);
        heldOut.sort(order);
        write(Path.of(args[1]), training, "training part: the trainer reads only this file");
        write(Path.of(args[2]), heldOut, "held-out part: never trained on; the quality gate measures on it");
        counts.forEach((label, count) -> System.out.printf(Locale.ROOT, "%-15s training %4d  held out %4d%n",
                label, count[0], count[1]));
    }

    static boolean isHeldOut(String text) {
        return Long.remainderUnsigned(mix(SEED ^ fnv64(key(text))), HELD_OUT_ONE_IN) == 0;
    }

    private static String key(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
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
