package org.optline.core.template;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.optline.core.message.Category;

/**
 * A registered message template with numbered placeholders ({@code Your balance is {{1}}}).
 * Placeholders are numbered from 1 without gaps; a message must fill every one of them.
 */
public record Template(String name, Category category, String text) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\d+)}}");

    public Template {
        Objects.requireNonNull(name);
        Objects.requireNonNull(category);
        Objects.requireNonNull(text);
        int expected = 1;
        for (int n : placeholderNumbers(text)) {
            if (n > expected) {
                throw new IllegalArgumentException("template '" + name + "' skips placeholder {{" + expected + "}}");
            }
            expected = Math.max(expected, n + 1);
        }
    }

    /** How many parameters a message using this template must carry. */
    public int parameterCount() {
        return placeholderNumbers(text).stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** The text with every placeholder replaced; the caller has checked the parameter count. */
    public String render(List<String> parameters) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 32);
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(parameters.get(n - 1)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static List<Integer> placeholderNumbers(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        java.util.TreeSet<Integer> numbers = new java.util.TreeSet<>();
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            if (n < 1) {
                throw new IllegalArgumentException("placeholders are numbered from {{1}}");
            }
            numbers.add(n);
        }
        return List.copyOf(numbers);
    }
}
