package org.optline.loadtest;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar for long bulk work: redrawn in place on a terminal, one plain line per call
 * otherwise (so a CI log shows progress without a screen of carriage returns).
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final String what;
    private final boolean inPlace;

    ProgressBar(PrintWriter out, String what, boolean inPlace) {
        this.out = out;
        this.what = what;
        this.inPlace = inPlace;
    }

    /** {@code done} of {@code total}, at {@code perSecond}. */
    void show(long done, long total, double perSecond) {
        int filled = total == 0 ? WIDTH : (int) (WIDTH * Math.min(done, total) / total);
        String line = String.format(Locale.ROOT, "[%s%s] %3d%% %,d/%,d %s %,.0f/s", "#".repeat(filled),
                " ".repeat(WIDTH - filled), total == 0 ? 100 : 100 * Math.min(done, total) / total, done, total, what,
                perSecond);
        if (inPlace) {
            out.print("\r" + line);
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the bar's line, so what follows starts on a new one. */
    void finish() {
        if (inPlace) {
            out.println();
            out.flush();
        }
    }
}
