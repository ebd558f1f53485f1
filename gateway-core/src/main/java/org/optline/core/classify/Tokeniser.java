package org.optline.core.classify;

import java.text.Normalizer;
import java.util.Set;
import org.optline.core.classify.Tokens.Shape;

/**
 * Reads a text into {@link Tokens}, undoing the disguises senders of spam use to slip past
 * filters: full-width and mathematical letters, zero-width characters, Cyrillic and Greek
 * look-alike letters in a Latin text, accents, digits and symbols for letters ({@code 0ffer},
 * {@code fr33}, {@code ca$h}), letters spelt out ({@code f r e e}, {@code o.f.f.e.r}),
 * stretched letters ({@code freeee}) and {@code 20 percent} for {@code 20%}. Links are kept
 * whole whether or not they start with a scheme, and phone numbers whole across their spaces.
 *
 * <p>It runs for every message: plain ASCII texts take a path with no regular expression and
 * no string per word.
 */
final class Tokeniser {
    /** Top-level domains that a link written without a scheme may end with. */
    static final Set<String> LINK_ENDINGS = Set.of(
            "com", "net", "org", "co", "uk", "io", "ly", "gl", "me", "us", "de", "fr", "es", "it", "nl", "eu",
            "in", "info", "biz", "top", "xyz", "click", "icu", "buzz", "live", "online", "site", "vip", "cc",
            "tk", "ml", "ga", "cf", "gq", "work", "rest", "cam", "sbs", "cfd", "loan", "win", "bid", "monster",
            "club", "link", "support", "fun", "pw", "ws", "app", "dev", "shop", "store", "example", "gd", "at",
            "ch", "be", "ru", "cn", "au", "ca", "gy", "to", "tv", "ai", "su", "cyou", "lol", "quest", "bond",
            "today", "gov", "edu", "mobi", "pro", "page", "id", "br", "mx", "pl", "se", "no", "dk", "ie",
            "pt", "sg", "za", "nz", "jp", "kr", "tw", "hk", "ae", "sa", "tr", "gr", "cz", "ro", "hu", "help",
            "services", "delivery", "express", "finance", "bank", "money", "center", "world", "group");

    private static boolean isCurrencySymbol(char c) {
        return c == '$' || c >= 0xa3 && (c == '£' || c == '€' || c == '¥' || c == '₹' || c == '₩' || c == '₽' || c == '₦');
    }

    private static boolean opensAChunk(char c) {
        return c == '(' || c == '[' || c == '{' || c == '<' || c == '"' || c == '\'' || c == '*';
    }

    private static boolean closesAChunk(char c) {
        return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' || c == ']' || c == '}'
                || c == '>' || c == '"' || c == '\'' || c == '*';
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c < 0x80 ? c : Character.toLowerCase(c);
    }

    private final Vocabulary vocabulary;

    Tokeniser(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    Tokens read(String text) {
        return read(text, new Tokens(text.length()));
    }

    /** Reads a text into these tokens, emptied first. */
    Tokens read(String text, Tokens tokens) {
        char[] source = prepare(text);
        tokens.reset(source.length);
        int n = source.length;
        int i = 0;
        while (i < n) {
            char c = source[i];
            if (isSpace(c)) {
                i++;
                continue;
            }
            int numberEnd = readSpacedNumber(source, i, tokens);
            if (numberEnd > i) {
                tokens.source(i, numberEnd);
                i = numberEnd;
                continue;
            }
            // one pass finds the chunk's end, counts its letters and capitals, and looks for a dot or an @
            int chunkEnd = i;
            int marks = 0;
            int letters = 0;
            int capitals = 0;
            for (; chunkEnd < n; chunkEnd++) {
                char d = source[chunkEnd];
                if (d >= 'a' && d <= 'z') {
                    letters++;
                } else if (d >= 'A' && d <= 'Z') {
                    letters++;
                    capitals++;
                } else if (d <= ' ' && isSpace(d)) {
                    break;
                } else if (d == '.') {
                    marks |= DOT;
                } else if (d == '@') {
                    marks |= AT;
                } else if (d == '!') {
                    tokens.exclamations++;
                } else if (d >= 0x80) {
                    if (isSpace(d)) {
                        break;
                    }
                    if (Character.isLetter(d)) {
                        letters++;
                        capitals += Character.isUpperCase(d) ? 1 : 0;
                    }
                }
            }
            tokens.letters += letters;
            tokens.capitals += capitals;
            readChunk(source, i, chunkEnd, marks, tokens);
            i = chunkEnd;
        }
        joinSpeltOut(tokens);
        readPercentAndCurrencyWords(tokens);
        return tokens;
    }

    // ---------------------------------------------------------------- characters

    /**
     * The text as characters to read: compatibility forms folded (full-width, mathematical,
     * ligatures), accents and zero-width characters dropped, and in a mostly Latin text the
     * Cyrillic and Greek letters that look Latin replaced by the Latin ones.
     */
    static char[] prepare(String text) {
        char[] chars = text.toCharArray();
        boolean ascii = true;
        for (char c : chars) {
            if (c >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return chars;
        }
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKD);
        int latin = 0;
        int lookalikeScripts = 0;
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            if (c < 0x80 && Character.isLetter(c)) {
                latin++;
            } else if (c >= 0x370 && c <= 0x4ff && Character.isLetter(c)) {
                lookalikeScripts++;
            }
        }
        boolean latinText = latin >= lookalikeScripts;
        char[] out = new char[folded.length()];
        int length = 0;
        boolean latinWord = false;
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            if (i == 0 || isSpace(folded.charAt(i - 1))) {
                latinWord = hasLatinLetter(folded, i);
            }
            // a look-alike letter is undone in a Latin text, or in a word that mixes it with Latin ones
            boolean mapLookalikes = latinText || latinWord;
            int type = Character.getType(c);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                    || type == Character.FORMAT || c == '\u034f' || (c >= '\ufe00' && c <= '\ufe0f')) {
                continue;
            }
            if (mapLookalikes) {
                c = latinLookalike(c);
            }
            out[length++] = typographic(c);
        }
        return java.util.Arrays.copyOf(out, length);
    }

    private static boolean hasLatinLetter(String text, int from) {
        for (int i = from; i < text.length() && !isSpace(text.charAt(i)); i++) {
            char c = text.charAt(i);
            if (c < 0x80 && Character.isLetter(c)) {
                return true;
            }
        }
        return false;
    }

    private static char typographic(char c) {
        return switch (c) {
            case '\u2018', '\u2019', '\u201b', '\u2032', '`' -> '\'';
            case '\u201c', '\u201d', '\u201e' -> '"';
            case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212' -> '-';
            case '\u00a0', '\u2007', '\u202f', '\u3000' -> ' ';
            case '\u0131' -> 'i';
            case '\u2113' -> 'l';
            default -> c;
        };
    }

    private static final String CYRILLIC_GREEK = "аАвВеЕёЁкКмМнНоОрРсСтТуУхХіІјЈѕЅԁԛԝӏαΑβΒεΕιΙκΚνΝοΟρΡτΤυΥχΧΖΗΜ";
    private static final String LATIN_LOOKALIKE = "aAbBeEeEkKmMhHoOpPcCtTyYxXiIjJsSdqwlaAbBeEiIkKvNoOpPtTuYxXZHM";

    static char latinLookalike(char c) {
        if (c < 0x370) {
            return c;
        }
        int at = CYRILLIC_GREEK.indexOf(c);
        return at < 0 ? c : LATIN_LOOKALIKE.charAt(at);
    }

    static boolean isSpace(char c) {
        return c <= ' ' ? c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == 0x0b
                : c >= 0x80 && Character.isWhitespace(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 && Character.isLetter(c);
    }

    private static boolean isLetterOrDigit(char c) {
        return isDigit(c) || isLetter(c);
    }

    // ---------------------------------------------------------------- numbers across spaces

    /**
     * A phone number ({@code 0906 170 1461}, {@code 1-900-555-0199}), a code split in two
     * ({@code 123 456}) or a code spelt digit by digit ({@code 4 8 2 9 1 3}); returns where it
     * ends, or {@code from} when the text there is none of them.
     */
    private static int readSpacedNumber(char[] s, int from, Tokens tokens) {
        int n = s.length;
        if (from > 0 && isLetterOrDigit(s[from - 1])) {
            return from;
        }
        int j = from;
        if ((s[j] == '+' || s[j] == '(') && j + 1 < n && isDigit(s[j + 1])) {
            j++;
        } else if (!isDigit(s[j])) {
            return from;
        }
        int digits = 0;
        int groups = 0;
        int firstGroup = 0;
        int secondGroup = 0;
        boolean allSingle = true;
        boolean allShort = true;
        while (j < n && isDigit(s[j])) {
            int run = 0;
            while (j < n && isDigit(s[j])) {
                run++;
                j++;
            }
            digits += run;
            groups++;
            if (groups == 1) {
                firstGroup = run;
            } else if (groups == 2) {
                secondGroup = run;
            }
            allSingle &= run == 1;
            allShort &= run >= 2 && run <= 4;
            if (j + 1 < n && (s[j] == ' ' || s[j] == '-' || s[j] == ')') && isDigit(s[j + 1])) {
                j++;
            } else if (j + 2 < n && s[j] == ')' && s[j + 1] == ' ' && isDigit(s[j + 2])) {
                j += 2;
            } else {
                break;
            }
        }
        if (j < n && (isLetter(s[j]) || s[j] == '%' || s[j] == ',' && j + 1 < n && isDigit(s[j + 1])
                || s[j] == '.' && j + 1 < n && isDigit(s[j + 1]) || s[j] == ':' || s[j] == '/')) {
            return from;
        }
        if (digits >= 10 && digits <= 15 && (groups > 1 || s[from] == '+' || s[from] == '0' || s[from] == '1')) {
            addDigits(s, from, j, tokens, Tokens.PHONE, null);
            return j;
        }
        if (groups == 2 && firstGroup == 3 && secondGroup == 3) {
            addDigits(s, from, j, tokens, Tokens.NUMBER, Shape.SPLIT_CODE);
            return j;
        }
        // "4 8 2 9 1 3", "44 12 90", "4410 1923": a code read out in groups
        if (groups >= 4 && allSingle || groups >= 2 && allShort && digits >= 6 && digits <= 8) {
            addDigits(s, from, j, tokens, Tokens.NUMBER, digitsShape(digits));
            return j;
        }
        return from;
    }

    private static void addDigits(char[] s, int from, int to, Tokens tokens, byte kind, Shape shape) {
        int start = tokens.charCount;
        boolean split = shape == Shape.SPLIT_CODE;
        for (int i = from; i < to; i++) {
            if (isDigit(s[i])) {
                tokens.append(s[i]);
            } else if (split) {
                tokens.append('-');
            }
        }
        int token = tokens.add(kind, start, tokens.charCount);
        tokens.shape[token] = shape;
    }

    static Shape digitsShape(int digits) {
        if (digits <= 3) {
            return Shape.DIGITS_1_3;
        }
        return switch (digits) {
            case 4 -> Shape.DIGITS_4;
            case 5 -> Shape.DIGITS_5;
            case 6 -> Shape.DIGITS_6;
            case 7, 8 -> Shape.DIGITS_7_8;
            default -> Shape.DIGITS_9_PLUS;
        };
    }

    // ---------------------------------------------------------------- chunks between spaces

    private static final int DOT = 1;
    private static final int AT = 2;

    private void readChunk(char[] s, int from, int to, int marks, Tokens tokens) {
        boolean at = (marks & AT) != 0;
        if ((marks & DOT) == 0) {
            // neither a link nor an e-mail address can be written without a dot
            readPieces(s, from, to, tokens);
            return;
        }
        int a = from;
        int b = to;
        while (a < b && opensAChunk(s[a])) {
            a++;
        }
        while (b > a && closesAChunk(s[b - 1])) {
            b--;
        }
        if (b - a >= 4 && readLink(s, a, b, tokens)) {
            tokens.source(a, b);
            return;
        }
        if (at && isEmail(s, a, b)) {
            int start = tokens.charCount;
            for (int i = a; i < b; i++) {
                tokens.append(lower(s[i]));
            }
            tokens.add(Tokens.EMAIL, start, tokens.charCount);
            tokens.source(a, b);
            return;
        }
        readPieces(s, from, to, tokens);
    }

    private static boolean isEmail(char[] s, int a, int b) {
        int at = -1;
        for (int i = a; i < b; i++) {
            if (s[i] == '@') {
                at = i;
                break;
            }
        }
        if (at <= a || at >= b - 3) {
            return false;
        }
        for (int i = at + 2; i < b - 1; i++) {
            if (s[i] == '.') {
                return isLetter(s[at - 1]) || isDigit(s[at - 1]);
            }
        }
        return false;
    }

    private static boolean startsWithIgnoreCase(char[] s, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (lower(s[from + i]) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A link with or without its scheme: {@code https://x.example/a}, {@code www.x.example}, {@code bit.ly/x}. */
    private static boolean readLink(char[] s, int a, int b, Tokens tokens) {
        boolean scheme = false;
        int hostStart = a;
        if (startsWithIgnoreCase(s, a, b, "https://")) {
            scheme = true;
            hostStart = a + 8;
        } else if (startsWithIgnoreCase(s, a, b, "http://")) {
            scheme = true;
            hostStart = a + 7;
        } else if (startsWithIgnoreCase(s, a, b, "hxxp")) {
            return false;
        }
        int hostEnd = hostStart;
        while (hostEnd < b && s[hostEnd] != '/' && s[hostEnd] != '?' && s[hostEnd] != '#' && s[hostEnd] != ':') {
            hostEnd++;
        }
        if (hostEnd <= hostStart) {
            return false;
        }
        if (!scheme) {
            if (!isHost(s, hostStart, hostEnd)) {
                return false;
            }
        } else {
            for (int i = hostStart; i < hostEnd; i++) {
                if (!isLetterOrDigit(s[i]) && s[i] != '.' && s[i] != '-' && s[i] != '@') {
                    return false;
                }
            }
        }
        int start = tokens.charCount;
        int at = -1;
        for (int i = hostStart; i < hostEnd; i++) {
            if (s[i] == '@') {
                at = i;
            }
        }
        // user@host: the host is what follows the @, the trick that shows a trusted name first
        for (int i = at < 0 ? hostStart : at + 1; i < hostEnd; i++) {
            tokens.append(lower(s[i]));
        }
        int host = tokens.charCount;
        for (int i = hostEnd; i < b; i++) {
            tokens.append(lower(s[i]));
        }
        int token = tokens.add(Tokens.LINK, start, tokens.charCount);
        tokens.hostEnd[token] = host;
        tokens.scheme[token] = scheme;
        return true;
    }

    /** A host without a scheme: labels of letters, digits and hyphens, ending with a known domain. */
    private static boolean isHost(char[] s, int from, int to) {
        int dots = 0;
        int lastDot = -1;
        boolean letter = false;
        for (int i = from; i < to; i++) {
            char c = s[i];
            if (c == '.') {
                if (i == from || i == to - 1 || s[i - 1] == '.') {
                    return false;
                }
                dots++;
                lastDot = i;
            } else if (isLetter(c)) {
                letter = true;
            } else if (!isDigit(c) && c != '-') {
                return false;
            }
        }
        if (dots == 0 || !letter) {
            return false;
        }
        int endingLength = to - lastDot - 1;
        if (endingLength < 2 || endingLength > 12) {
            return false;
        }
        StringBuilder ending = new StringBuilder(endingLength);
        for (int i = lastDot + 1; i < to; i++) {
            char c = lower(s[i]);
            if (c < 'a' || c > 'z') {
                return false;
            }
            ending.append(c);
        }
        if (startsWithIgnoreCase(s, from, to, "www.")) {
            return true;
        }
        // "e.g." and "a.m." are not links: the first label needs two characters
        int firstLabel = 0;
        while (from + firstLabel < to && s[from + firstLabel] != '.') {
            firstLabel++;
        }
        return firstLabel >= 1 && LINK_ENDINGS.contains(ending.toString()) && (to - from) >= 4;
    }

    // ---------------------------------------------------------------- pieces: words and numbers

    /**
     * Splits a chunk into words and numbers. Inside a number, separators stay ({@code 1,234.56},
     * {@code 18:45}, {@code 14/03}); inside a word, symbols that stand for letters stay
     * ({@code ca$h}); apostrophes vanish ({@code don't} → {@code dont}).
     */
    private void readPieces(char[] s, int from, int to, Tokens tokens) {
        int i = from;
        while (i < to) {
            char c = s[i];
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
                int end = readPlainWord(s, i, to, tokens);
                if (end > i) {
                    tokens.source(i, end);
                    i = end;
                    continue;
                }
            }
            boolean currencyFirst = isCurrencySymbol(c) && i + 1 < to && isDigit(s[i + 1]);
            if (!isLetterOrDigit(c) && !currencyFirst) {
                i++;
                continue;
            }
            int start = i;
            if (currencyFirst) {
                i++;
            }
            while (i < to) {
                char d = s[i];
                if (isLetterOrDigit(d)) {
                    i++;
                    continue;
                }
                char before = s[i - 1];
                char after = i + 1 < to ? s[i + 1] : ' ';
                if ((d == ',' || d == '.' || d == ':' || d == '/') && isDigit(before) && isDigit(after)) {
                    i++;
                } else if (d == '-' && isLetterOrDigit(before) && isDigit(after)
                        && (isDigit(before) || allLetters(s, start, i))) {
                    i++;
                } else if ((d == '$' || d == '@' || d == '|' || d == '!') && isLetter(before) && isLetter(after)) {
                    i++;
                } else if (d == '\'' && isLetter(before) && isLetter(after)) {
                    i++;
                } else {
                    break;
                }
            }
            int end = i;
            boolean percent = false;
            boolean currencyAfter = false;
            if (i < to && s[i] == '%') {
                percent = true;
                i++;
            } else if (i < to && isCurrencySymbol(s[i])) {
                currencyAfter = true;
                i++;
            }
            addPiece(s, start, end, currencyFirst || currencyAfter, percent, tokens);
            tokens.source(start, end);
        }
    }

    /**
     * The common case in one pass: a word of plain ASCII letters, not stretched, not followed by
     * anything that could make it part of a code or a disguise. Returns where it ends, or
     * {@code from} when the general reading must decide.
     */
    private static int readPlainWord(char[] s, int from, int to, Tokens tokens) {
        int start = tokens.charCount;
        int i = from;
        char previous = 0;
        int repeats = 0;
        while (i < to) {
            char c = s[i];
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + 32);
            } else if (c < 'a' || c > 'z') {
                break;
            }
            repeats = c == previous ? repeats + 1 : 0;
            if (repeats >= 2) {
                tokens.charCount = start;
                return from;
            }
            previous = c;
            tokens.append(c);
            i++;
        }
        if (i < to) {
            char stop = s[i];
            char after = i + 1 < to ? s[i + 1] : ' ';
            boolean continues = isLetterOrDigit(stop)
                    || (stop == '$' || stop == '@' || stop == '|' || stop == '!' || stop == '\'') && isLetter(after)
                    || stop == '-' && isDigit(after);
            if (continues) {
                tokens.charCount = start;
                return from;
            }
        }
        tokens.add(Tokens.WORD, start, tokens.charCount);
        return i;
    }

    private static boolean allLetters(char[] s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isLetter(s[i])) {
                return false;
            }
        }
        return to > from && to - from <= 3;
    }

    private void addPiece(char[] s, int from, int to, boolean currency, boolean percent, Tokens tokens) {
        int letters = 0;
        int digits = 0;
        int transitions = 0;
        int previousClass = -1;
        boolean colon = false;
        boolean slash = false;
        boolean dash = false;
        boolean point = false;
        for (int i = from; i < to; i++) {
            char c = s[i];
            int charClass = -1;
            if (isDigit(c)) {
                digits++;
                charClass = 1;
            } else if (isLetter(c)) {
                letters++;
                charClass = 0;
            } else if (c == ':') {
                colon = true;
            } else if (c == '/') {
                slash = true;
            } else if (c == '-') {
                dash = true;
            } else if (c == '.' || c == ',') {
                point = true;
            }
            if (charClass >= 0) {
                if (previousClass >= 0 && charClass != previousClass) {
                    transitions++;
                }
                previousClass = charClass;
            }
        }
        int start = tokens.charCount;
        if (digits == 0) {
            appendWord(s, from, to, tokens);
            if (tokens.charCount > start) {
                tokens.add(Tokens.WORD, start, tokens.charCount);
            }
            return;
        }
        for (int i = from; i < to; i++) {
            tokens.append(lower(s[i]));
        }
        if (percent && letters == 0) {
            tokens.append('%');
        }
        int end = tokens.charCount;
        if (letters == 0) {
            Shape shape;
            if (currency) {
                shape = Shape.MONEY;
            } else if (percent) {
                shape = Shape.PERCENT;
            } else if (colon) {
                shape = Shape.TIME;
            } else if (slash) {
                shape = Shape.DATE;
            } else if (dash) {
                shape = dashedShape(s, from, to);
            } else if (point) {
                shape = Shape.DECIMAL;
            } else {
                shape = digitsShape(digits);
            }
            number(tokens, start, end, shape);
            return;
        }
        // letters and digits together: a disguised word, a code, or a reference
        if (letters >= 2 && transitions >= 1 && readDisguisedWord(s, from, to, tokens, start)) {
            return;
        }
        Shape shape;
        if (currency) {
            shape = Shape.MONEY;
        } else if (dash && isLetter(s[from])) {
            shape = digits >= 4 ? Shape.PREFIXED_CODE : Shape.LETTERS_DIGITS;
        } else if (transitions == 1 && isDigit(s[from])) {
            shape = suffixShape(tokens.chars, start + digitsPrefix(s, from, to), end);
        } else if (transitions == 1) {
            shape = Shape.LETTERS_DIGITS;
        } else if (to - from >= 5 && to - from <= 10) {
            shape = Shape.MIXED_CODE;
        } else {
            shape = Shape.OTHER;
        }
        number(tokens, start, end, shape);
    }

    private static int digitsPrefix(char[] s, int from, int to) {
        int i = from;
        while (i < to && (isDigit(s[i]) || s[i] == '.' || s[i] == ',' || s[i] == ':')) {
            i++;
        }
        return i - from;
    }

    private static Shape suffixShape(char[] chars, int from, int to) {
        String suffix = new String(chars, from, to - from);
        return switch (suffix) {
            case "p", "ppm", "pmin", "pmsg", "pence" -> Shape.PENCE;
            case "st", "nd", "rd", "th" -> Shape.ORDINAL;
            case "am", "pm", "h", "hr", "hrs", "min", "mins" -> Shape.TIME;
            case "k", "m", "bn", "gb", "mb", "kg", "km", "mi", "x" -> Shape.DECIMAL;
            default -> Shape.DIGITS_LETTERS;
        };
    }

    private static Shape dashedShape(char[] s, int from, int to) {
        int groups = 1;
        int first = 0;
        int second = 0;
        int run = 0;
        for (int i = from; i <= to; i++) {
            if (i < to && isDigit(s[i])) {
                run++;
                continue;
            }
            if (groups == 1) {
                first = run;
            } else if (groups == 2) {
                second = run;
            }
            if (i < to) {
                groups++;
            }
            run = 0;
        }
        if (groups == 2 && first == 3 && second == 3) {
            return Shape.SPLIT_CODE;
        }
        if (groups == 3) {
            return Shape.DATE;
        }
        return Shape.OTHER;
    }

    private static void number(Tokens tokens, int start, int end, Shape shape) {
        int token = tokens.add(Tokens.NUMBER, start, end);
        tokens.shape[token] = shape;
    }

    /**
     * Lower case letters; symbols standing for letters undone; a letter repeated thrice or more
     * kept twice ({@code freeee} → {@code free}), or once when that makes a known word
     * ({@code offerrr} → {@code offer}).
     */
    private void appendWord(char[] s, int from, int to, Tokens tokens) {
        int start = tokens.charCount;
        boolean stretched = appendWord(s, from, to, tokens, 2);
        if (stretched && !vocabulary.contains(tokens.chars, start, tokens.charCount)) {
            tokens.charCount = start;
            appendWord(s, from, to, tokens, 1);
            if (!vocabulary.contains(tokens.chars, start, tokens.charCount)) {
                tokens.charCount = start;
                appendWord(s, from, to, tokens, 2);
            }
        }
    }

    /** Appends the word keeping at most {@code most} of a letter repeated thrice or more; true when there was one. */
    private static boolean appendWord(char[] s, int from, int to, Tokens tokens, int most) {
        boolean stretched = false;
        int runStart = tokens.charCount;
        char previous = 0;
        int repeats = 0;
        for (int i = from; i < to; i++) {
            char c = s[i];
            if (c == '\'') {
                continue;
            }
            c = switch (c) {
                case '$' -> 's';
                case '@' -> 'a';
                case '!' -> 'i';
                case '|' -> 'l';
                default -> lower(c);
            };
            if (c == previous) {
                repeats++;
            } else {
                if (repeats >= 2) {
                    stretched = true;
                    collapse(tokens, runStart, most);
                }
                repeats = 0;
                runStart = tokens.charCount;
            }
            previous = c;
            tokens.append(c);
        }
        if (repeats >= 2) {
            stretched = true;
            collapse(tokens, runStart, most);
        }
        return stretched;
    }

    private static void collapse(Tokens tokens, int runStart, int most) {
        tokens.charCount = Math.min(tokens.charCount, runStart + most);
    }

    private static final String LEET_DIGITS = "0134578";
    private static final String LEET_LETTERS = "oieastb";

    /** {@code fr33} → {@code free}, {@code paypa1} → {@code paypal}: only when the result is a known word. */
    private boolean readDisguisedWord(char[] s, int from, int to, Tokens tokens, int start) {
        for (int variant = 0; variant < 2; variant++) {
            tokens.charCount = start;
            boolean possible = true;
            char previous = 0;
            int repeats = 0;
            for (int i = from; i < to && possible; i++) {
                char c = lower(s[i]);
                if (isDigit(c)) {
                    int at = LEET_DIGITS.indexOf(c);
                    if (at < 0) {
                        possible = false;
                        break;
                    }
                    c = variant == 1 && c == '1' ? 'l' : LEET_LETTERS.charAt(at);
                } else if (!isLetter(c)) {
                    possible = false;
                    break;
                }
                repeats = c == previous ? repeats + 1 : 0;
                previous = c;
                if (repeats < 2) {
                    tokens.append(c);
                }
            }
            if (possible && vocabulary.contains(tokens.chars, start, tokens.charCount)) {
                tokens.add(Tokens.WORD, start, tokens.charCount);
                return true;
            }
            if (!possible) {
                break;
            }
        }
        // not a word: put the piece back as written
        tokens.charCount = start;
        for (int i = from; i < to; i++) {
            tokens.append(lower(s[i]));
        }
        return false;
    }

    // ---------------------------------------------------------------- across tokens

    /**
     * {@code f r e e} and {@code o.f.f.e.r} arrive as single letters: three or more in a row are
     * one word spelt out, read again as a piece (so {@code f r 3 3} is {@code free} too).
     */
    private void joinSpeltOut(Tokens tokens) {
        int i = 0;
        while (i < tokens.count) {
            int run = 0;
            int letters = 0;
            while (i + run < tokens.count && tokens.length(i + run) == 1
                    && (tokens.kind[i + run] == Tokens.WORD || tokens.kind[i + run] == Tokens.NUMBER)
                    && (run == 0 || tokens.sourceStart[i + run] - tokens.sourceEnd[i + run - 1] <= 1)) {
                if (tokens.kind[i + run] == Tokens.WORD) {
                    letters++;
                }
                run++;
            }
            if (run >= 3 && letters >= 2) {
                char[] spelt = new char[run];
                for (int k = 0; k < run; k++) {
                    spelt[k] = tokens.chars[tokens.start[i + k]];
                }
                int firstNew = tokens.count;
                int from = tokens.sourceStart[i];
                int to = tokens.sourceEnd[i + run - 1];
                addPiece(spelt, 0, run, false, false, tokens);
                tokens.source(from, to);
                int added = tokens.count - firstNew;
                replace(tokens, i, run, firstNew, added);
                i += added;
            } else {
                i += Math.max(1, run);
            }
        }
    }

    /** Moves the {@code added} tokens appended at {@code firstNew} into the place of {@code run} tokens at {@code at}. */
    private static void replace(Tokens tokens, int at, int run, int firstNew, int added) {
        int[] start = new int[added];
        int[] end = new int[added];
        byte[] kind = new byte[added];
        Shape[] shape = new Shape[added];
        int[] sourceStart = new int[added];
        int[] sourceEnd = new int[added];
        for (int k = 0; k < added; k++) {
            sourceStart[k] = tokens.sourceStart[firstNew + k];
            sourceEnd[k] = tokens.sourceEnd[firstNew + k];
            start[k] = tokens.start[firstNew + k];
            end[k] = tokens.end[firstNew + k];
            kind[k] = tokens.kind[firstNew + k];
            shape[k] = tokens.shape[firstNew + k];
        }
        tokens.count = firstNew;
        int tail = tokens.count - (at + run);
        int shift = added - run;
        if (shift != 0) {
            System.arraycopy(tokens.start, at + run, tokens.start, at + added, tail);
            System.arraycopy(tokens.end, at + run, tokens.end, at + added, tail);
            System.arraycopy(tokens.kind, at + run, tokens.kind, at + added, tail);
            System.arraycopy(tokens.shape, at + run, tokens.shape, at + added, tail);
            System.arraycopy(tokens.hostEnd, at + run, tokens.hostEnd, at + added, tail);
            System.arraycopy(tokens.scheme, at + run, tokens.scheme, at + added, tail);
            System.arraycopy(tokens.sourceStart, at + run, tokens.sourceStart, at + added, tail);
            System.arraycopy(tokens.sourceEnd, at + run, tokens.sourceEnd, at + added, tail);
        }
        for (int k = 0; k < added; k++) {
            tokens.start[at + k] = start[k];
            tokens.end[at + k] = end[k];
            tokens.kind[at + k] = kind[k];
            tokens.shape[at + k] = shape[k];
            tokens.hostEnd[at + k] = end[k];
            tokens.scheme[at + k] = false;
            tokens.sourceStart[at + k] = sourceStart[k];
            tokens.sourceEnd[at + k] = sourceEnd[k];
        }
        tokens.count += shift;
    }

    private static final WordSet CURRENCY_WORDS = WordSet.of(Set.of(
            "eur", "euro", "euros", "usd", "gbp", "inr", "rs", "aed", "chf", "jpy", "cad", "aud", "dollar", "dollars",
            "pound", "pounds", "sgd", "zar", "ngn", "kes", "php", "brl", "mxn", "sek", "nok", "dkk", "pln", "rupees",
            "naira", "reais", "pesos"));

    /** {@code 20 percent} is {@code 20%}; a number next to {@code EUR} or {@code dollars} is an amount. */
    private static void readPercentAndCurrencyWords(Tokens tokens) {
        for (int i = 0; i < tokens.count; i++) {
            if (tokens.kind[i] != Tokens.NUMBER) {
                continue;
            }
            Shape shape = tokens.shape[i];
            boolean plain = shape == Shape.DIGITS_1_3 || shape == Shape.DECIMAL || shape == Shape.DIGITS_4
                    || shape == Shape.DIGITS_5 || shape == Shape.DIGITS_6;
            if (!plain) {
                continue;
            }
            if (shape == Shape.DIGITS_1_3 || shape == Shape.DECIMAL) {
                int words = tokens.is(i + 1, "percent") || tokens.is(i + 1, "pct") || tokens.is(i + 1, "percentage") ? 1
                        : tokens.is(i + 1, "per") && tokens.is(i + 2, "cent") ? 2 : 0;
                if (words > 0) {
                    int start = tokens.charCount;
                    for (int k = tokens.start[i]; k < tokens.end[i]; k++) {
                        tokens.append(tokens.chars[k]);
                    }
                    tokens.append('%');
                    tokens.start[i] = start;
                    tokens.end[i] = tokens.charCount;
                    tokens.shape[i] = Shape.PERCENT;
                    int firstNew = tokens.count;
                    replace(tokens, i + 1, words, firstNew, 0);
                    continue;
                }
            }
            if (isCurrencyWord(tokens, i + 1) || isCurrencyWord(tokens, i - 1)) {
                tokens.shape[i] = Shape.MONEY;
            }
        }
    }

    private static boolean isCurrencyWord(Tokens tokens, int token) {
        return token >= 0 && token < tokens.count && tokens.kind[token] == Tokens.WORD && tokens.length(token) <= 7
                && CURRENCY_WORDS.contains(WordSet.hash(tokens.chars, tokens.start[token], tokens.end[token]));
    }
}
