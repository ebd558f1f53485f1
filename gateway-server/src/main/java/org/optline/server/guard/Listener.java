package org.optline.server.guard;

import java.util.Locale;

/** The node's two listeners, as they appear in metric tags, configuration and refusals. */
public enum Listener {
    HTTP,
    TCP;

    /** The name in metric tags and configuration values: {@code http}, {@code tcp}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
