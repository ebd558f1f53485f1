package org.optline.server.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Raw configuration values (from the file, then environment overrides), read as typed values.
 * Every getter names the key in its error, and the keys that were never read can be listed,
 * so that a typo in the file fails the start instead of being ignored.
 */
final class ConfigValues {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");

    private final Map<String, String> values;
    private final Set<String> read = new TreeSet<>();

    ConfigValues(Map<String, String> values) {
        this.values = values;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    String string(String key, String defaultValue) {
        read.add(key);
        String value = values.get(key);
        return value == null ? defaultValue : value.trim();
    }

    int integer(String key, int defaultValue, int min, int max) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.replace("_", ""));
            if (parsed < min || parsed > max) {
                throw new ConfigException(key, "must be between " + min + " and " + max + ", was " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "expected a whole number, was '" + value + "'");
        }
    }

    long longValue(String key, long defaultValue, long min) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value.replace("_", ""));
            if (parsed < min) {
                throw new ConfigException(key, "must be at least " + min + ", was " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "expected a whole number, was '" + value + "'");
        }
    }

    /** A share such as {@code 0.03} or {@code 3%}, between {@code min} and {@code max} (as fractions). */
    double fraction(String key, double defaultValue, double min, double max) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            double parsed = value.endsWith("%")
                    ? Double.parseDouble(value.substring(0, value.length() - 1).trim()) / 100
                    : Double.parseDouble(value);
            if (!(parsed >= min && parsed <= max)) {
                throw new ConfigException(key, "must be between " + min + " and " + max + ", was " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "expected a share such as 0.03 or 3%, was '" + value + "'");
        }
    }

    /** A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 24h}, {@code 7d}. */
    Duration duration(String key, Duration defaultValue) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw new ConfigException(key, "expected a duration such as 500ms, 30s, 5m, 24h or 7d, was '" + value + "'");
        }
        long amount = parseAmount(key, m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** A size in bytes such as {@code 65536}, {@code 64KiB}, {@code 1MiB}. */
    int size(String key, int defaultValue, int min, int max) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        Matcher m = SIZE.matcher(value);
        if (!m.matches()) {
            throw new ConfigException(key, "expected a size such as 65536, 64KiB or 1MiB, was '" + value + "'");
        }
        long multiplier = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KiB" -> 1024L;
            case "MiB" -> 1024L * 1024;
            case "GiB" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        long amount = parseAmount(key, m.group(1));
        if (amount > Long.MAX_VALUE / multiplier) {
            throw new ConfigException(key, "is far too large: " + value);
        }
        long bytes = amount * multiplier;
        if (bytes < min || bytes > max) {
            throw new ConfigException(key, "must be between " + min + " and " + max + " bytes, was " + bytes);
        }
        return (int) bytes;
    }

    private static long parseAmount(String key, String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "is far too large: " + digits);
        }
    }

    boolean bool(String key, boolean defaultValue) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(key, "expected true or false, was '" + value + "'");
        };
    }

    /** Keys present in the configuration under a prefix, for the per-business sections. */
    Set<String> keysStartingWith(String prefix) {
        Set<String> keys = new TreeSet<>();
        for (String key : values.keySet()) {
            if (key.startsWith(prefix)) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** Keys present in the configuration that no getter asked for: typos, most likely. */
    Set<String> unread() {
        Set<String> unread = new TreeSet<>(values.keySet());
        unread.removeAll(read);
        return unread;
    }
}
