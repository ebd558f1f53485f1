package org.optline.core.classify;

import java.util.List;
import java.util.regex.Pattern;
import org.optline.core.message.Category;

/**
 * Decides what a message really is from its text, with a few explicit rules checked in order:
 * unmistakable scams first, then one-time codes, then selling words. This is the first honest
 * classifier; a measured one replaces it behind the same method.
 *
 * <p>The rules only ever move a message towards the stricter consent class: a text declared
 * MARKETING stays MARKETING whatever it says, so reclassification can refuse a message but
 * never let one through that its declaration would have stopped.
 */
public final class Classifier {

    private record Rule(String name, Pattern pattern) {
        boolean matches(String text) {
            return pattern.matcher(text).find();
        }
    }

    private static Rule rule(String name, String regex) {
        return new Rule(name, Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }

    private static final List<Rule> SCAM_RULES = List.of(
            rule("lottery", "\\b(you(?:'ve| have)? (?:just )?won (?:a|an|the|\\d|[$£€])|winner of|lottery|jackpot"
                    + "|claim your (?:prize|reward|winnings))"),
            rule("link-shortener", "\\b(bit\\.ly|tinyurl\\.com|goo\\.gl|t\\.co|ow\\.ly|is\\.gd|buff\\.ly|cutt\\.ly|rb\\.gy)/"),
            // A request to prove who you are, or a threat to the account, with a link: a bank's
            // "your statement is ready at https://…" is neither.
            rule("phishing", "(\\b(verify|confirm|unlock|reactivate|validate)\\b.{0,40}\\b(your account|password|card details"
                    + "|pin|login|identity)\\b|\\b(account|card)\\b.{0,30}\\b(suspended|locked|blocked|deactivated)\\b)"
                    + ".{0,60}(https?://|www\\.)"),
            rule("advance-fee", "\\b(wire|send)\\b.{0,30}\\b(processing|release|clearance) fee\\b"));

    private static final Rule ONE_TIME_CODE = rule("one-time-code",
            "(\\b(code|otp|passcode|one[- ]time|verification|pin)\\b\\D{0,30}\\b\\d{4,8}\\b)"
                    + "|(\\b\\d{4,8}\\b\\D{0,30}\\b(is your|as your)\\b.{0,20}\\b(code|otp|passcode|pin)\\b)");

    private static final Rule SELLING = rule("selling-words",
            "\\b(offer|offers|discount|discounts|promo|promotion|promotions|promotional|sale|deal|deals|coupon"
                    + "|voucher|buy now|shop now|limited time|special price|newsletter|subscribe|upgrade now"
                    + "|free gift|cashback|save \\d+|\\d+\\s?% off|% off)\\b");

    /** Classifies a text declared as {@code declared}. */
    public Classification classify(String text, Category declared) {
        for (Rule scam : SCAM_RULES) {
            if (scam.matches(text)) {
                return new Classification(declared, true, scam.name());
            }
        }
        if (declared == Category.MARKETING) {
            return new Classification(Category.MARKETING, false, "declared");
        }
        if (SELLING.matches(text)) {
            return new Classification(Category.MARKETING, false, SELLING.name());
        }
        if (ONE_TIME_CODE.matches(text)) {
            return new Classification(Category.AUTHENTICATION, false, ONE_TIME_CODE.name());
        }
        return new Classification(declared, false, "declared");
    }
}
