package org.optline.loadtest;

import java.util.Locale;

/** Range checks shared by the commands' settings; the message names the option to fix. */
final class Settings {
    private Settings() {
    }

    static void checkRange(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    String.format(Locale.ROOT, "%s must be between %d and %d, not %d", option, min, max, value));
        }
    }
}
