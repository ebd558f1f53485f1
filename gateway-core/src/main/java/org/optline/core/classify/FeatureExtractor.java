package org.optline.core.classify;

import java.util.Set;
import org.optline.core.classify.Tokens.Shape;

/**
 * Turns a text into {@link Features}: word unigrams and pairs, character 4-grams of each word, number shapes, link parts, and the engineered {@link Signal}s. Training and the
 * gateway use this one class, so the model always sees texts read the same way.
 */
public final class FeatureExtractor {
    static final Set<String> SHORTENERS = Set.of(
            "bit.ly", "bitly.com", "tinyurl.com", "goo.gl", "t.co", "ow.ly", "is.gd", "buff.ly", "cutt.ly", "rb.gy",
            "tiny.cc", "shorturl.at", "t.ly", "rebrand.ly", "s.id", "v.gd", "bl.ink", "lnkd.in", "short.io",
            "tiny.one", "shrtco.de", "x.co", "clck.ru", "u.to", "surl.li", "urlz.fr", "2no.co", "soo.gd", "qr.io",
            "shorturl.asia", "rebrandly.com", "tr.im", "cli.re", "tinu.be", "shor.by", "bit.do", "adf.ly", "db.tt",
            "qrco.de", "1url.com", "linktr.ee");

    static final Set<String> RISKY_ENDINGS = Set.of(
            "top", "xyz", "info", "click", "icu", "buzz", "live", "online", "site", "vip", "cc", "tk", "ml", "ga",
            "cf", "gq", "work", "rest", "cam", "sbs", "cfd", "loan", "win", "bid", "monster", "club", "link",
            "support", "fun", "pw", "ws", "su", "cyou", "lol", "quest", "bond", "help", "services", "delivery",
            "express", "finance", "money", "center", "world", "group", "biz");

    /** Names that phishing links borrow; the short ones count only as a whole part of the host. */
    static final Set<String> BRANDS = Set.of(
            "paypal", "apple", "icloud", "amazon", "netflix", "microsoft", "outlook", "office365", "google", "gmail",
            "facebook", "instagram", "whatsapp", "usps", "fedex", "dhl", "ups", "royalmail", "evri", "hermes",
            "dpd", "parcelforce", "canadapost", "auspost", "hmrc", "irs", "gov", "govuk", "chase", "wellsfargo",
            "bankofamerica", "citibank", "citi", "hsbc", "barclays", "lloyds", "natwest", "santander", "halifax",
            "monzo", "revolut", "coinbase", "binance", "metamask", "ezpass", "sunpass", "fastrak", "ebay",
            "walmart", "costco", "verizon", "tmobile", "vodafone", "dvla", "nhs", "medicare", "ssa", "visa",
            "mastercard", "amex", "americanexpress", "steam", "roblox", "spotify", "docusign", "dropbox",
            "linkedin", "wetransfer", "postnl", "laposte", "correos", "poste", "swisspost", "bpost", "toll",
            "tolls", "dmv", "usbank", "capitalone", "discover", "venmo", "zelle", "cashapp", "kraken", "ledger",
            "trustwallet", "bankid", "post");

    private static final WordSet CODE_WORDS = WordSet.of(Set.of(
            "code", "codes", "otp", "passcode", "pin", "verification", "2fa", "mfa", "token", "onetime", "codigo",
            "kod", "kode", "codice", "passwort", "password", "tan", "pass"));
    /** A "code" after these words is no one-time code: a zip code, a promo code. */
    private static final WordSet NOT_CODE_BEFORE = WordSet.of(Set.of(
            "zip", "post", "postal", "area", "promo", "promotional", "discount", "coupon", "voucher", "referral",
            "gift", "offer", "sort", "swift", "bank", "country", "dress", "qr", "bar", "tracking", "booking",
            "reference", "confirmation", "access", "door", "gate", "seat", "order", "redeem", "apply"));
    private static final WordSet ENDING_WORDS = WordSet.of(Set.of(
            "ending", "ends", "last", "xxxx", "acct", "account", "card", "no", "number", "ref", "reference",
            "order", "booking", "flight", "gate", "seat", "zip", "postcode", "suite", "apt", "unit", "room",
            "parcel", "invoice", "policy", "claim", "ticket", "case", "pnr", "tracking", "store", "platform"));
    private static final Set<String> URGENCY_WORDS = Set.of(
            "urgent", "urgently", "immediately", "immediate", "asap", "suspended", "suspend", "suspension",
            "locked", "deactivated", "deactivation", "disabled", "restricted", "frozen", "penalty", "penalties",
            "terminated", "termination", "final", "warning", "unusual", "suspicious", "unauthorized",
            "unauthorised", "compromised", "legal", "arrest", "lawsuit", "overdue", "expire", "expiring");
    private static final Set<String> PRIZE_WORDS = Set.of(
            "won", "winner", "winners", "winning", "prize", "prizes", "lottery", "jackpot", "congratulations",
            "congrats", "awarded", "lucky", "claim", "sweepstakes", "giveaway", "selected", "guaranteed",
            "reward", "cash", "bonus", "free");
    private static final Set<String> CREDENTIAL_VERBS = Set.of(
            "verify", "confirm", "update", "validate", "unlock", "reactivate", "restore", "authenticate", "login",
            "log", "sign", "re", "review", "secure", "reset", "provide", "enter", "submit", "reply", "send",
            "text", "tell", "give", "read");
    private static final WordSet CREDENTIAL_OBJECTS = WordSet.of(Set.of(
            "account", "details", "identity", "information", "info", "card", "password", "pin", "billing",
            "payment", "credentials", "bank", "id", "ssn", "login", "wallet", "seed", "phrase", "data", "number",
            "username", "expiry", "cvv", "otp", "code", "birth"));
    private static final Set<String> FEE_WORDS = Set.of(
            "fee", "fees", "toll", "tolls", "customs", "duty", "unpaid", "outstanding", "redelivery", "redeliver",
            "reschedule", "shipping", "postage", "surcharge", "fine", "fines", "settle");
    private static final WordSet SHORT_CODE_VERBS = WordSet.of(Set.of("text", "txt", "send", "sms", "reply", "msg"));
    private static final WordSet OPT_OUT_WORDS = WordSet.of(Set.of(
            "stop", "end", "quit", "unsubscribe", "cancel", "optout", "unsub", "help", "info", "stopall", "block"));

    /**
     * Brands named in the text whose messages phishing imitates; distinctive names only, so that
     * "post", "discover" or "visa" in an ordinary sentence is no brand. A link in a text naming one
     * of them is expected on that brand's own site.
     */
    static final Set<String> NAMED_BRANDS = Set.of(
            "paypal", "amazon", "netflix", "icloud", "microsoft", "usps", "fedex", "dhl", "hmrc", "irs",
            "chase", "wellsfargo", "hsbc", "barclays", "lloyds", "natwest", "santander", "halifax", "monzo",
            "revolut", "coinbase", "binance", "metamask", "ezpass", "zpass", "sunpass", "fastrak", "ebay", "walmart",
            "costco", "verizon", "tmobile", "vodafone", "dvla", "medicare", "amex", "spotify", "docusign",
            "dropbox", "linkedin", "royalmail", "evri", "hermes", "dpd", "parcelforce", "auspost", "canadapost",
            "postnl", "correos", "venmo", "zelle", "cashapp", "dmv", "capitalone", "usbank", "instagram",
            "facebook", "whatsapp", "citibank", "apple", "telegram", "roblox", "steam");
    /** "not", "didn't", "never": with "you", "make", "authorise" or "share" after them. */
    private static final Set<String> NEGATIONS = Set.of(
            "not", "didnt", "wasnt", "werent", "never", "dont");
    private static final WordSet DISOWNED = WordSet.of(Set.of(
            "you", "make", "made", "authorize", "authorise", "authorized", "authorised", "perform", "performed",
            "recognize", "recognise", "recognized", "recognised", "request", "requested", "initiate",
            "initiated", "place", "placed", "order", "ordered", "attempt", "attempted", "yours", "do", "done"));
    private static final Set<String> UNAUTHORISED = Set.of(
            "unauthorized", "unauthorised", "unrecognized", "unrecognised", "fraudulent");
    private static final WordSet SHARE_VERBS = WordSet.of(Set.of(
            "share", "disclose", "give", "forward", "tell", "reveal"));

    private static final int URGENCY = 1;
    private static final int PRIZE = 2;
    private static final int FEE = 4;
    private static final int CREDENTIAL_VERB = 8;
    private static final int BRAND = 16;
    private static final int NEGATION = 32;
    private static final int DISOWNING = 64;
    /** Every word that raises a signal by itself, so that each word of a text costs one look-up. */
    private static final WordSet SIGNAL_WORDS = WordSet.tagged(java.util.Map.of(URGENCY, URGENCY_WORDS,
            PRIZE, PRIZE_WORDS, FEE, FEE_WORDS, CREDENTIAL_VERB, CREDENTIAL_VERBS, BRAND, NAMED_BRANDS,
            NEGATION, NEGATIONS, DISOWNING, UNAUTHORISED));

    /**
     * Character n-grams of one length: 3- to 5-grams together and 4-grams alone score alike on the
     * held-out corpus (within a text or two), and 4-grams alone are a third of the features to hash
     * and weigh for every message.
     */
    static final int GRAM = 4;

    private final Tokeniser tokeniser;

    /** An extractor that undoes disguised words into the words of this vocabulary. */
    public FeatureExtractor(Vocabulary vocabulary) {
        this.tokeniser = new Tokeniser(vocabulary);
    }

    /** The features of a text. */
    public Features extract(String text) {
        Tokens tokens = tokeniser.read(text == null ? "" : text);
        return extract(tokens, new Features(tokens, capacity(tokens)));
    }

    /**
     * The features of a text, read into {@code scratch} and its tokens: for the gateway's hot
     * path, which classifies one text at a time per thread and keeps nothing of it.
     */
    Features extract(String text, Features scratch) {
        Tokens tokens = tokeniser.read(text == null ? "" : text, scratch.tokens);
        scratch.reset(tokens, capacity(tokens));
        return extract(tokens, scratch);
    }

    /** Room for every word, pair and signal, and for the n-grams of words of average length. */
    private static int capacity(Tokens tokens) {
        return 48 + tokens.charCount * 2 + tokens.count * 3;
    }

    private static Features extract(Tokens tokens, Features features) {
        if (tokens.keys.length < tokens.count) {
            tokens.keys = new int[tokens.count * 2];
        }
        int[] keys = tokens.keys;
        for (int i = 0; i < tokens.count; i++) {
            keys[i] = tokenFeatures(tokens, i, features);
        }
        for (int i = 0; i + 1 < tokens.count; i++) {
            features.add(FeatureSpace.place(FeatureSpace.pair(keys[i], keys[i + 1])), i * 2 + 1);
        }
        signals(tokens, features);
        return features;
    }

    /** Plain words of a text as the model reads them, for building the vocabulary. */
    public static java.util.List<String> plainWords(String text) {
        Tokens tokens = new Tokeniser(Vocabulary.EMPTY).read(text);
        java.util.List<String> words = new java.util.ArrayList<>();
        for (int i = 0; i < tokens.count; i++) {
            if (tokens.kind[i] == Tokens.WORD && tokens.length(i) >= 2) {
                String word = tokens.text(i);
                if (word.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
                    words.add(word);
                }
            }
        }
        return words;
    }

    private static int tokenFeatures(Tokens tokens, int i, Features features) {
        int origin = i * 2;
        return switch (tokens.kind[i]) {
            case Tokens.WORD -> {
                int key = WordSet.hash(tokens.chars, tokens.start[i], tokens.end[i]);
                features.add(FeatureSpace.place(key), origin);
                charGrams(tokens, i, features);
                yield key;
            }
            case Tokens.NUMBER -> {
                int key = FeatureSpace.hash(FeatureSpace.WORD_SEED, tokens.shape[i].symbol);
                features.add(FeatureSpace.place(key), origin);
                yield key;
            }
            case Tokens.LINK -> {
                int key = FeatureSpace.hash(FeatureSpace.WORD_SEED, "<link>");
                features.add(FeatureSpace.place(key), origin);
                linkParts(tokens, i, features);
                yield key;
            }
            case Tokens.EMAIL -> {
                int key = FeatureSpace.hash(FeatureSpace.WORD_SEED, "<email>");
                features.add(FeatureSpace.place(key), origin);
                yield key;
            }
            default -> {
                int key = FeatureSpace.hash(FeatureSpace.WORD_SEED, "<phone>");
                features.add(FeatureSpace.place(key), origin);
                yield key;
            }
        };
    }

    /**
     * Character 4-grams of the word between boundary marks: {@code <fre}, {@code free},
     * {@code ree>}. Each is hashed as four characters in a 64-bit word, which costs the same for
     * every position; a word of one or two letters has none.
     */
    private static void charGrams(Tokens tokens, int i, Features features) {
        int length = tokens.length(i);
        if (length < 2 || length > 24) {
            return;
        }
        char[] chars = tokens.chars;
        int from = tokens.start[i];
        int padded = length + 2;
        long window = '<';
        for (int at = 1; at < padded; at++) {
            char c = at == padded - 1 ? '>' : chars[from + at - 1];
            window = window << 16 | c;
            if (at >= GRAM - 1) {
                features.add(FeatureSpace.place(gram(window)), i * 2);
            }
        }
    }

    private static int gram(long window) {
        long h = window * 0x9E3779B97F4A7C15L;
        return (int) (h ^ h >>> 32) ^ FeatureSpace.CHAR_SEED;
    }

    /** The words of a link's host and path: {@code paypal-secure.top/verify} gives paypal, secure, top, verify. */
    private static void linkParts(Tokens tokens, int i, Features features) {
        char[] chars = tokens.chars;
        int hostEnd = tokens.hostEnd[i];
        int lastDot = hostEnd;
        for (int k = tokens.start[i]; k < hostEnd; k++) {
            if (chars[k] == '.') {
                lastDot = k;
            }
        }
        if (lastDot < hostEnd) {
            features.add(FeatureSpace.place(FeatureSpace.hash(FeatureSpace.TLD_SEED, chars, lastDot + 1, hostEnd)),
                    i * 2);
        }
        int partStart = tokens.start[i];
        for (int k = tokens.start[i]; k <= lastDot; k++) {
            if (k == lastDot || chars[k] == '.' || chars[k] == '-') {
                if (k - partStart >= 2 && !(k - partStart == 3 && chars[partStart] == 'w' && chars[partStart + 1] == 'w')) {
                    features.add(FeatureSpace.place(FeatureSpace.hash(FeatureSpace.DOMAIN_SEED, chars, partStart, k)),
                            i * 2);
                }
                partStart = k + 1;
            }
        }
        int words = 0;
        int wordStart = -1;
        for (int k = hostEnd; k <= tokens.end[i] && words < 6; k++) {
            boolean letter = k < tokens.end[i] && chars[k] >= 'a' && chars[k] <= 'z';
            if (letter && wordStart < 0) {
                wordStart = k;
            } else if (!letter && wordStart >= 0) {
                if (k - wordStart >= 3) {
                    features.add(FeatureSpace.place(FeatureSpace.hash(FeatureSpace.PATH_SEED, chars, wordStart, k)),
                            i * 2);
                    words++;
                }
                wordStart = -1;
            }
        }
    }

    // ---------------------------------------------------------------- signals

    private static void signals(Tokens tokens, Features features) {
        int links = 0;
        boolean phone = false;
        for (int i = 0; i < tokens.count; i++) {
            switch (tokens.kind[i]) {
                case Tokens.LINK -> {
                    links++;
                    linkSignals(tokens, i, features);
                }
                case Tokens.EMAIL -> features.raise(Signal.EMAIL_ADDRESS, i);
                case Tokens.PHONE -> {
                    phone = true;
                    phoneSignals(tokens, i, features);
                }
                case Tokens.NUMBER -> numberSignals(tokens, i, features);
                default -> wordSignals(tokens, i, features);
            }
        }
        if (links >= 2) {
            features.raise(Signal.SEVERAL_LINKS, -1);
        }
        if (phone && features.has(Signal.NOT_YOU)) {
            features.raise(Signal.NOT_YOU_AND_PHONE, features.signalTokens[Signal.NOT_YOU.ordinal()]);
        }
        if (links > 0) {
            int link = features.signalTokens[Signal.LINK.ordinal()];
            if (features.brandToken >= 0 && !brandsOwnLink(tokens, features.brandToken)) {
                features.raise(Signal.LINK_NOT_THE_BRANDS, link);
            }
            if (features.has(Signal.NOT_YOU)) {
                features.raise(Signal.NOT_YOU_AND_LINK, link);
            }
            if (features.has(Signal.URGENCY)) {
                features.raise(Signal.LINK_AND_URGENCY, link);
            }
            if (features.has(Signal.CREDENTIALS)) {
                features.raise(Signal.LINK_AND_CREDENTIALS, link);
            }
            if (features.has(Signal.PRIZE)) {
                features.raise(Signal.LINK_AND_PRIZE, link);
            }
            if (features.has(Signal.FEE_DEMAND)) {
                features.raise(Signal.LINK_AND_FEE, link);
            }
        }
        if (tokens.letters >= 16 && tokens.capitals * 10 >= tokens.letters * 6) {
            features.raise(Signal.SHOUTING, -1);
        }
        if (tokens.exclamations >= 2) {
            features.raise(Signal.EXCLAMATIONS, -1);
        }
    }

    private static void linkSignals(Tokens tokens, int i, Features features) {
        features.raise(Signal.LINK, i);
        if (!tokens.scheme[i]) {
            features.raise(Signal.LINK_WITHOUT_SCHEME, i);
        }
        String host = tokens.host(i);
        if (host.startsWith("www.")) {
            host = host.substring(4);
        }
        if (SHORTENERS.contains(host)) {
            features.raise(Signal.SHORTENED_LINK, i);
            return;
        }
        int lastDot = host.lastIndexOf('.');
        String ending = lastDot < 0 ? "" : host.substring(lastDot + 1);
        if (isNumber(ending)) {
            features.raise(Signal.IP_ADDRESS_LINK, i);
            return;
        }
        if (RISKY_ENDINGS.contains(ending)) {
            features.raise(Signal.RISKY_DOMAIN_ENDING, i);
        }
        String[] labels = split(host, '.');
        if (isLookalike(labels)) {
            features.raise(Signal.LOOKALIKE_DOMAIN, i);
        } else if (isOfficial(labels)) {
            features.raise(Signal.OFFICIAL_LINK, i);
        }
    }

    /** Second-to-last labels of government domains: {@code www.gov.uk}, {@code service.gov.au}, {@code impots.gouv.fr}. */
    private static final Set<String> GOVERNMENT = Set.of("gov", "gouv", "gob", "govt", "gc", "nhs", "europa");

    /**
     * A government site ({@code gov.uk}, {@code irs.gov}, {@code dmv.ca.gov}) or a brand's own
     * registrable domain ({@code paypal.com}, {@code amazon.co.uk}); never called for a look-alike.
     */
    static boolean isOfficial(String host) {
        return isOfficial(split(host, '.'));
    }

    private static boolean isOfficial(String[] labels) {
        if (labels.length < 2 || RISKY_ENDINGS.contains(labels[labels.length - 1])) {
            return false;
        }
        if (isGovernment(labels)) {
            return true;
        }
        String last = labels[labels.length - 1];
        String beforeLast = labels[labels.length - 2];
        int registrable = labels.length - 2;
        if (labels.length >= 3 && last.length() == 2 && SECOND_LEVEL.contains(beforeLast)) {
            registrable = labels.length - 3;
        }
        String owner = labels[registrable];
        return owner.length() >= 3 && BRANDS.contains(owner) && !owner.equals("post") && !owner.equals("toll")
                && !owner.equals("tolls") && !owner.equals("gov");
    }

    /**
     * {@code irs.gov}, {@code dmv.ny.gov}, {@code www.gov.uk}, {@code nhs.uk}, {@code canada.gc.ca}:
     * a government ending, or a government second level under a country ending that is not one
     * anybody can register under ({@code gov.cc} is not).
     */
    private static boolean isGovernment(String[] labels) {
        String last = labels[labels.length - 1];
        if (last.equals("gov") || last.equals("mil")) {
            return true;
        }
        return labels.length >= 2 && last.length() == 2 && !RISKY_ENDINGS.contains(last)
                && GOVERNMENT.contains(labels[labels.length - 2]);
    }

    /** The short names brands give their own domains: {@code vzw.com}, {@code amzn.to}, {@code bofa.com}. */
    private static final java.util.Map<String, String> BRAND_ALIASES = java.util.Map.of(
            "verizon", "vzw", "amazon", "amzn", "paypal", "pypl", "tmobile", "t-mobile", "citibank", "citi",
            "wellsfargo", "wf.com", "ezpass", "e-zpass", "zpass", "e-zpass", "royalmail", "royal-mail");

    /** True when some link of the text has the brand named at {@code brand}, or its short name, in its host. */
    private static boolean brandsOwnLink(Tokens tokens, int brand) {
        String alias = BRAND_ALIASES.get(tokens.text(brand));
        for (int i = 0; i < tokens.count; i++) {
            if (tokens.kind[i] == Tokens.LINK && (hostContains(tokens, i, tokens.chars, tokens.start[brand],
                    tokens.length(brand)) || alias != null && hostContains(tokens, i, alias.toCharArray(), 0,
                    alias.length()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hostContains(Tokens tokens, int link, char[] name, int from, int length) {
        char[] chars = tokens.chars;
        for (int at = tokens.start[link]; at + length <= tokens.hostEnd[link]; at++) {
            int k = 0;
            while (k < length && chars[at + k] == name[from + k]) {
                k++;
            }
            if (k == length) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNumber(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * A host that borrows a brand's name without being the brand's own domain: the brand with a
     * hyphenated word ({@code paypal-secure.com}), with digits for letters ({@code paypa1.com}),
     * or as a subdomain of another site ({@code paypal.com.verify.top}).
     */
    private static final Set<String> SECOND_LEVEL = Set.of("co", "com", "org", "gov", "ac", "net", "gob");

    static boolean isLookalike(String host) {
        return isLookalike(split(host, '.'));
    }

    private static boolean isLookalike(String[] labels) {
        if (labels.length < 2) {
            return false;
        }
        int registrable = labels.length - 2;
        if (labels.length >= 3 && labels[labels.length - 1].length() == 2
                && SECOND_LEVEL.contains(labels[labels.length - 2])) {
            registrable = labels.length - 3;
        }
        if (isGovernment(labels)) {
            // dmv.ny.gov, vehicletax.service.gov.uk: only a government registry issues these names
            return false;
        }
        String owner = labels[registrable];
        // a brand's own site may put another brand's name in a subdomain (apple.paypal.com is PayPal's)
        boolean brandOwnsTheSite = BRANDS.contains(owner);
        for (int l = 0; l < labels.length - 1; l++) {
            String label = labels[l];
            String folded = fold(label);
            for (String part : split(folded, '-')) {
                if (part.isEmpty()) {
                    continue;
                }
                boolean brandPart = BRANDS.contains(part);
                String brand = brandPart ? part : null;
                if (brand == null) {
                    brand = longBrandInside(part);
                }
                if (brand == null) {
                    continue;
                }
                boolean ownDomain = l == registrable && label.equals(brand);
                if (!ownDomain && !(l < registrable && brandOwnsTheSite)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The parts of a host between separators, without a regular expression. */
    private static String[] split(String text, char separator) {
        int parts = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == separator) {
                parts++;
            }
        }
        String[] split = new String[parts];
        int from = 0;
        int part = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == separator) {
                split[part++] = text.substring(from, i);
                from = i + 1;
            }
        }
        return split;
    }

    /** Brands of five letters or more, by first letter: a part of a host is searched for them in one pass. */
    private static final String[][] LONG_BRANDS = longBrandsByFirstLetter();

    private static String[][] longBrandsByFirstLetter() {
        String[][] byFirst = new String[128][];
        BRANDS.stream().filter(brand -> brand.length() >= 5).sorted().forEach(brand -> {
            char first = brand.charAt(0);
            String[] known = byFirst[first] == null ? new String[0] : byFirst[first];
            String[] grown = java.util.Arrays.copyOf(known, known.length + 1);
            grown[known.length] = brand;
            byFirst[first] = grown;
        });
        return byFirst;
    }

    /** A brand of five letters or more inside {@code part} ({@code secure-paypalhelp}), or null. */
    private static String longBrandInside(String part) {
        for (int at = 0; at + 5 <= part.length(); at++) {
            char first = part.charAt(at);
            String[] candidates = first < 128 ? LONG_BRANDS[first] : null;
            if (candidates == null) {
                continue;
            }
            for (String brand : candidates) {
                if (part.startsWith(brand, at)) {
                    return brand;
                }
            }
        }
        return null;
    }

    /** Digits and doubled letters read as the letters they imitate: {@code paypa1} → {@code paypal}, {@code rn} → {@code m}. */
    static String fold(String label) {
        StringBuilder folded = new StringBuilder(label.length());
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            switch (c) {
                case '0' -> folded.append('o');
                case '1' -> folded.append('l');
                case '3' -> folded.append('e');
                case '4' -> folded.append('a');
                case '5' -> folded.append('s');
                case '7' -> folded.append('t');
                case '8' -> folded.append('b');
                default -> folded.append(c);
            }
        }
        return folded.toString().replace("rn", "m").replace("vv", "w");
    }

    private static void phoneSignals(Tokens tokens, int i, Features features) {
        String digits = tokens.text(i);
        if (digits.startsWith("44") && digits.length() >= 12) {
            digits = "0" + digits.substring(2);
        } else if (digits.startsWith("1") && digits.length() == 11) {
            digits = digits.substring(1);
        }
        boolean premium = digits.startsWith("09") || digits.startsWith("0871") || digits.startsWith("0872")
                || digits.startsWith("0873") || digits.startsWith("070") || digits.startsWith("900")
                || digits.startsWith("976") || digits.startsWith("190");
        features.raise(premium ? Signal.PREMIUM_RATE_NUMBER : Signal.PHONE_NUMBER, i);
    }

    private static void numberSignals(Tokens tokens, int i, Features features) {
        Shape shape = tokens.shape[i];
        switch (shape) {
            case MONEY -> features.raise(Signal.MONEY, i);
            case PENCE -> features.raise(Signal.PREMIUM_CHARGE, i);
            case PERCENT -> {
                if (tokens.isAnyOf(i + 1, "off", "discount", "cashback", "savings", "sale")
                        || tokens.isAnyOf(i - 1, "save", "extra", "get", "up")) {
                    features.raise(Signal.PRICE_CUT, i);
                }
            }
            default -> { }
        }
        if (tokens.isAnyOf(i - 1, "save") && (shape == Shape.MONEY || shape == Shape.DIGITS_1_3)) {
            features.raise(Signal.PRICE_CUT, i);
        }
        // "text WIN to 80082": a keyword sent to a short code
        if ((shape == Shape.DIGITS_4 || shape == Shape.DIGITS_5 || shape == Shape.DIGITS_6)
                && tokens.is(i - 1, "to") && i >= 3 && tokens.kind[i - 2] == Tokens.WORD
                && SHORT_CODE_VERBS.contains(tokens.keys[i - 3])) {
            features.raise(OPT_OUT_WORDS.contains(tokens.keys[i - 2]) ? Signal.OPT_OUT : Signal.SHORT_CODE_KEYWORD, i);
        }
        if (!shape.isCodeLike()) {
            return;
        }
        features.codeLike = true;
        features.raise(Signal.CODE_LIKE_NUMBER, i);
        for (int k = Math.max(0, i - 3); k < i; k++) {
            if (tokens.kind[k] == Tokens.WORD && ENDING_WORDS.contains(tokens.keys[k])) {
                features.raise(Signal.CARD_OR_ACCOUNT_ENDING, i);
                return;
            }
        }
        for (int k = Math.max(0, i - 6); k < Math.min(tokens.count, i + 7); k++) {
            if (k != i && tokens.kind[k] == Tokens.WORD && isCodeWord(tokens, k)) {
                features.codeWordToken = k;
                features.raise(Signal.CODE_NEAR_CODE_WORD, i);
                return;
            }
        }
    }

    private static boolean isCodeWord(Tokens tokens, int k) {
        int key = tokens.keys[k];
        if (tokens.is(k, "one") && tokens.isAnyOf(k + 1, "time")) {
            return true;
        }
        if (!CODE_WORDS.contains(key) && !endsWithCode(tokens, k) && !tokens.startsWith(k, "kod")
                && !tokens.is(k, "код") && !tokens.is(k, "пароль") && !hasEastAsianCodeWord(tokens, k)) {
            return false;
        }
        return k == 0 || tokens.kind[k - 1] != Tokens.WORD || !NOT_CODE_BEFORE.contains(tokens.keys[k - 1])
                || !tokens.startsWith(k, "code");
    }

    private static void wordSignals(Tokens tokens, int i, Features features) {
        int length = tokens.length(i);
        if (length < 2 || length > 16) {
            return;
        }
        if (tokens.is(i, "opt") && tokens.is(i + 1, "out") || tokens.is(i, "unsubscribe")) {
            features.raise(Signal.OPT_OUT, i);
        }
        int bits = SIGNAL_WORDS.bits(tokens.keys[i]);
        if (bits == 0) {
            return;
        }
        if ((bits & URGENCY) != 0) {
            features.raise(Signal.URGENCY, i);
        }
        if ((bits & PRIZE) != 0 && !(tokens.is(i, "free") && tokens.isAnyOf(i + 1, "of", "to"))) {
            // "free of charge", "free to rebook" are no prize
            features.raise(Signal.PRIZE, i);
        }
        if ((bits & FEE) != 0) {
            features.raise(Signal.FEE_DEMAND, i);
        }
        if ((bits & BRAND) != 0 && features.brandToken < 0) {
            features.brandToken = i;
        }
        if ((bits & NEGATION) != 0) {
            negationSignals(tokens, i, features);
        }
        if ((bits & DISOWNING) != 0) {
            features.raise(Signal.NOT_YOU, i);
        }
        if ((bits & CREDENTIAL_VERB) != 0) {
            for (int k = i + 1; k < Math.min(tokens.count, i + 5); k++) {
                if (tokens.kind[k] == Tokens.WORD && CREDENTIAL_OBJECTS.contains(tokens.keys[k])) {
                    features.raise(Signal.CREDENTIALS, i);
                    break;
                }
            }
        }
    }

    /**
     * "if you did not make this", "wasn't you?", "not authorised": the reader disowns a charge or
     * a sign-in; "do not share this code", "never give it to anyone": a code's own warning.
     */
    private static void negationSignals(Tokens tokens, int i, Features features) {
        for (int k = i + 1; k < Math.min(tokens.count, i + 3); k++) {
            if (tokens.kind[k] != Tokens.WORD) {
                return;
            }
            int key = tokens.keys[k];
            if (SHARE_VERBS.contains(key)) {
                features.raise(Signal.DO_NOT_SHARE, i);
                return;
            }
            if (DISOWNED.contains(key)) {
                features.raise(Signal.NOT_YOU, i);
                return;
            }
        }
    }

    /** "code" in Chinese, Japanese and Korean, written inside a longer run of those scripts without spaces. */
    private static final String[] EAST_ASIAN_CODE_WORDS = java.util.stream.Stream.of(
            "验证码", "驗證碼", "校验码", "认证码", "动态码", "确认码", "密码", "コード", "認証番号", "暗証番号", "パスワード",
            "인증번호", "인증코드", "코드", "비밀번호")
            .map(word -> new String(Tokeniser.prepare(word))).toArray(String[]::new);

    private static boolean hasEastAsianCodeWord(Tokens tokens, int k) {
        char[] c = tokens.chars;
        int from = tokens.start[k];
        int to = tokens.end[k];
        if (c[from] < 0x1100) {
            return false;
        }
        for (String word : EAST_ASIAN_CODE_WORDS) {
            for (int at = from; at + word.length() <= to; at++) {
                int m = 0;
                while (m < word.length() && c[at + m] == word.charAt(m)) {
                    m++;
                }
                if (m == word.length()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** German and Dutch compounds: "Bestätigungscode", "verificatiecode". */
    private static boolean endsWithCode(Tokens tokens, int k) {
        int length = tokens.length(k);
        int end = tokens.end[k];
        char[] c = tokens.chars;
        return length > 5 && (c[end - 4] == 'c' && c[end - 3] == 'o' && c[end - 2] == 'd' && c[end - 1] == 'e'
                || c[end - 5] == 'c' && c[end - 4] == 'o' && c[end - 3] == 'd' && c[end - 2] == 'e' && c[end - 1] == 's');
    }
}
