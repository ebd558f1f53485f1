package org.optline.core.business;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a platform key may do. A key holds one or more scopes; the platform credential of earlier
 * configurations ({@code platform.key-sha256}) holds them all.
 */
public enum PlatformScope {
    /** Record and read consents and their audit trail; pass on keyword replies. */
    CONSENTS,
    /** Read recipients' inboxes and acknowledge what was delivered (the delivery side). */
    INBOX,
    /** Erase everything about a recipient (right to erasure). */
    ERASURE,
    /** Operator endpoints that need a key: which credentials were used when. */
    OPERATIONS;

    /** Every scope: what {@code all} means in the configuration. */
    public static Set<PlatformScope> all() {
        return EnumSet.allOf(PlatformScope.class);
    }

    /** The name in configuration and answers: {@code consents}, {@code inbox}, … */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@code consents}, {@code inbox}, {@code erasure}, {@code operations}. */
    public static PlatformScope parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected consents, inbox, erasure, operations or all, was '"
                    + value.trim() + "'");
        }
    }
}
