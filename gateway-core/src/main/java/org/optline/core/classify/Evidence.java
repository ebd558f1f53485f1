package org.optline.core.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.optline.core.classify.Tokens.Shape;

/**
 * Names the features that pushed a text from one label to another: each feature's weight for
 * the decided label less its weight for the label it was declared as, summed per signal and per
 * word (a word's character n-grams count for the word). Only the strongest few are named.
 */
final class Evidence {
    private static final int MOST = 5;
    /** Words too common to tell a business anything about its text. */
    private static final Set<String> PLAIN = Set.of(
            "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "with", "by", "from", "is", "are",
            "was", "were", "be", "been", "it", "its", "this", "that", "these", "you", "your", "yours", "we", "our",
            "us", "i", "me", "my", "he", "she", "they", "them", "their", "have", "has", "had", "do", "does", "will",
            "can", "as", "if", "not", "no", "but", "so", "all", "any", "up", "out", "just", "here", "there", "more",
            "la", "el", "de", "le", "les", "des", "die", "der", "das", "und", "il", "di", "da", "em", "ваш");

    private Evidence() {}

    static List<String> of(ClassifierModel model, Features features, Label decided, Label against) {
        Tokens tokens = features.tokens;
        float[] bySignal = new float[Signal.ALL.length];
        float[] byOrigin = new float[Math.max(1, tokens.count * 2)];
        for (int i = 0; i < features.count; i++) {
            int place = features.places[i];
            float push = (model.weight(place, decided) - model.weight(place, against)) * features.value(i);
            int origin = features.origins[i];
            if (origin < 0) {
                bySignal[-origin - 1] += push;
            } else {
                byOrigin[origin] += push;
            }
        }
        List<Item> items = new ArrayList<>(2 * MOST + 4);
        for (Signal signal : Signal.ALL) {
            if (bySignal[signal.ordinal()] > 0f) {
                keepStrongest(items, new Item(bySignal[signal.ordinal()], signal, -1));
            }
        }
        for (int origin = 0; origin < tokens.count * 2; origin++) {
            if (byOrigin[origin] > 0f && (origin % 2 == 0 || origin / 2 + 1 < tokens.count)) {
                keepStrongest(items, new Item(byOrigin[origin], null, origin));
            }
        }
        List<String> signals = new ArrayList<>();
        List<String> words = new ArrayList<>();
        boolean[] quoted = new boolean[tokens.count];
        float strongest = items.isEmpty() ? 0f : items.get(0).push;
        for (Item item : items) {
            if (signals.size() + words.size() >= MOST || item.push < strongest * 0.15f) {
                break;
            }
            if (item.signal != null) {
                signals.add(describe(item.signal, features));
                continue;
            }
            int token = item.origin / 2;
            String word;
            if (item.origin % 2 == 0) {
                if (quoted[token] || isPlain(tokens, token) || tokens.kind[token] == Tokens.LINK && !signals.isEmpty()) {
                    continue;
                }
                quoted[token] = true;
                word = quote(tokens, token);
            } else {
                if (quoted[token] && quoted[token + 1] || isPlain(tokens, token) && isPlain(tokens, token + 1)
                        || tokens.kind[token] == Tokens.LINK || tokens.kind[token + 1] == Tokens.LINK) {
                    continue;
                }
                quoted[token] = true;
                quoted[token + 1] = true;
                word = "\"" + plain(tokens, token) + " " + plain(tokens, token + 1) + "\"";
            }
            if (!words.contains(word)) {
                words.add(word);
            }
        }
        List<String> evidence = new ArrayList<>(signals);
        if (!words.isEmpty()) {
            String kind = switch (decided) {
                case SPAM -> "scam wording: ";
                case MARKETING -> "selling words: ";
                case AUTHENTICATION -> "code wording: ";
                case TRANSACTIONAL -> "wording: ";
            };
            evidence.add(kind + String.join(", ", words));
        }
        return evidence;
    }

    private record Item(float push, Signal signal, int origin) {}

    /**
     * Keeps the strongest items in order, more than will be named since plain words are skipped;
     * a selection rather than a sort of every feature's origin.
     */
    private static void keepStrongest(List<Item> items, Item item) {
        int keep = 3 * MOST;
        if (items.size() == keep && items.get(keep - 1).push >= item.push) {
            return;
        }
        int at = items.size();
        while (at > 0 && items.get(at - 1).push < item.push) {
            at--;
        }
        items.add(at, item);
        if (items.size() > keep) {
            items.remove(keep);
        }
    }

    private static String describe(Signal signal, Features features) {
        int token = features.signalTokens[signal.ordinal()];
        Tokens tokens = features.tokens;
        return switch (signal) {
            case SHORTENED_LINK, LOOKALIKE_DOMAIN -> signal.description + " \"" + tokens.display(token) + "\"";
            case RISKY_DOMAIN_ENDING -> {
                String host = tokens.host(token);
                yield signal.description + " \"" + host.substring(host.lastIndexOf('.')) + "\" ("
                        + tokens.display(token) + ")";
            }
            case CODE_NEAR_CODE_WORD -> signal.description + " \"" + tokens.text(features.codeWordToken) + "\"";
            default -> signal.description;
        };
    }

    private static boolean isPlain(Tokens tokens, int token) {
        return tokens.kind[token] == Tokens.WORD && (tokens.length(token) <= 1 || PLAIN.contains(tokens.text(token)));
    }

    private static String quote(Tokens tokens, int token) {
        if (tokens.kind[token] == Tokens.LINK) {
            return "link \"" + tokens.display(token) + "\"";
        }
        if (tokens.kind[token] == Tokens.NUMBER && tokens.shape[token] != Shape.PERCENT
                && tokens.shape[token] != Shape.DIGITS_1_3) {
            return tokens.display(token);
        }
        return "\"" + tokens.display(token) + "\"";
    }

    /** A token inside a quoted pair: numbers that could identify someone become a placeholder. */
    private static String plain(Tokens tokens, int token) {
        return switch (tokens.kind[token]) {
            case Tokens.WORD -> tokens.display(token);
            case Tokens.NUMBER -> tokens.shape[token] == Shape.PERCENT || tokens.shape[token] == Shape.DIGITS_1_3
                    ? tokens.display(token) : tokens.shape[token].symbol;
            case Tokens.LINK -> tokens.display(token);
            case Tokens.EMAIL -> "<email>";
            default -> "<phone>";
        };
    }
}
