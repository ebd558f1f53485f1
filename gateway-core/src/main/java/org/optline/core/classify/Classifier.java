package org.optline.core.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.optline.core.message.Category;

/**
 * Decides what a message really is from its text, with a few explicit rules checked in order:
 * unmistakable scams first, then selling words, then one-time codes. This is the first honest
 * classifier; a measured one replaces it behind the same method.
 *
 * <p>The rules only ever move a message towards the stricter consent class: a text declared
 * MARKETING stays MARKETING whatever it says, so reclassification can refuse a message but
 * never let one through that its declaration would have stopped.
 *
 * <p>It runs for every message, so it reads the text once into lower-case words and looks
 * words up in sets; the few scam patterns that need a regular expression run only when a cheap
 * substring test says they could match.
 */
public final class Classifier {

    /** A scam pattern, tried only when one of its trigger substrings is in the text. */
    private record ScamRule(String name, List<String> triggers, Pattern pattern) {
        boolean matches(String lower) {
            for (String trigger : triggers) {
                if (lower.contains(trigger)) {
                    return pattern.matcher(lower).find();
                }
            }
            return false;
        }
    }

    private static ScamRule scam(String name, List<String> triggers, String regex) {
        return new ScamRule(name, triggers, Pattern.compile(regex));
    }

    private static final List<ScamRule> SCAM_RULES = List.of(
            scam("lottery", List.of("won", "winner", "lottery", "jackpot", "claim your"),
                    "\\b(you(?:'ve| have)? (?:just )?won (?:a|an|the|\\d|[$£€])|winner of|lottery|jackpot"
                            + "|claim your (?:prize|reward|winnings))"),
            scam("link-shortener", List.of("bit.ly/", "tinyurl.com/", "goo.gl/", "t.co/", "ow.ly/", "is.gd/",
                            "buff.ly/", "cutt.ly/", "rb.gy/"),
                    "\\b(bit\\.ly|tinyurl\\.com|goo\\.gl|t\\.co|ow\\.ly|is\\.gd|buff\\.ly|cutt\\.ly|rb\\.gy)/"),
            // A request to prove who you are, or a threat to the account, with a link: a bank's
            // "your statement is ready at https://…" is neither.
            scam("phishing", List.of("http://", "https://", "www."),
                    "(\\b(verify|confirm|unlock|reactivate|validate)\\b.{0,40}\\b(your account|password|card details"
                            + "|pin|login|identity)\\b|\\b(account|card)\\b.{0,30}\\b(suspended|locked|blocked"
                            + "|deactivated)\\b).{0,60}(https?://|www\\.)"),
            scam("advance-fee", List.of(" fee"),
                    "\\b(wire|send)\\b.{0,30}\\b(processing|release|clearance) fee\\b"));

    private static final Set<String> SELLING_WORDS = Set.of(
            "offer", "offers", "discount", "discounts", "promo", "promos", "promotion", "promotions", "promotional",
            "sale", "deal", "deals", "coupon", "coupons", "voucher", "vouchers", "newsletter", "subscribe",
            "cashback", "bargain", "clearance");
    /** Two-word phrases, written as "first second". */
    private static final Set<String> SELLING_PHRASES = Set.of(
            "buy now", "shop now", "limited time", "special price", "upgrade now", "free gift", "order now",
            "book now");
    /** The first words of the phrases, so that most words cost one set lookup and no concatenation. */
    private static final Set<String> PHRASE_STARTS = SELLING_PHRASES.stream()
            .map(phrase -> phrase.substring(0, phrase.indexOf(' ')))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    private static final Set<String> CODE_WORDS = Set.of("code", "otp", "passcode", "pin", "verification");
    /** How many words may stand between a code word and the code itself. */
    private static final int CODE_DISTANCE = 6;

    /** Classifies a text declared as {@code declared}. */
    public Classification classify(String text, Category declared) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (ScamRule rule : SCAM_RULES) {
            if (rule.matches(lower)) {
                return new Classification(declared, true, rule.name());
            }
        }
        if (declared == Category.MARKETING) {
            return new Classification(Category.MARKETING, false, "declared");
        }
        List<String> words = words(lower);
        if (isSelling(words)) {
            return new Classification(Category.MARKETING, false, "selling-words");
        }
        if (hasOneTimeCode(words)) {
            return new Classification(Category.AUTHENTICATION, false, "one-time-code");
        }
        return new Classification(declared, false, "declared");
    }

    private static boolean isSelling(List<String> words) {
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (SELLING_WORDS.contains(word)) {
                return true;
            }
            String next = i + 1 < words.size() ? words.get(i + 1) : "";
            if (PHRASE_STARTS.contains(word) && SELLING_PHRASES.contains(word + " " + next)) {
                return true;
            }
            // "20% off" and "save 30": a number with a price cut.
            if (word.equals("%") && next.equals("off") || word.equals("save") && isNumber(next)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasOneTimeCode(List<String> words) {
        // Positions of the last code word and the last 4-8 digit number; far apart until seen.
        int lastCodeWord = -2 * CODE_DISTANCE - 2;
        int lastCode = -CODE_DISTANCE - 1;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            boolean codeWord = CODE_WORDS.contains(word)
                    || word.equals("one") && i + 1 < words.size() && words.get(i + 1).equals("time");
            if (codeWord) {
                lastCodeWord = i;
            } else if (word.length() >= 4 && word.length() <= 8 && isNumber(word)) {
                lastCode = i;
            }
            if (Math.abs(lastCode - lastCodeWord) <= CODE_DISTANCE) {
                return true;
            }
        }
        return false;
    }

    /** Letter-or-digit runs, plus '%' as a word of its own so that "20% off" reads as "20 % off". */
    private static List<String> words(String lower) {
        List<String> words = new ArrayList<>(16);
        int start = -1;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                if (start < 0) {
                    start = i;
                }
                continue;
            }
            if (start >= 0) {
                words.add(lower.substring(start, i));
                start = -1;
            }
            if (c == '%') {
                words.add("%");
            }
        }
        if (start >= 0) {
            words.add(lower.substring(start));
        }
        return words;
    }

    private static boolean isNumber(String word) {
        if (word.isEmpty()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (word.charAt(i) < '0' || word.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
