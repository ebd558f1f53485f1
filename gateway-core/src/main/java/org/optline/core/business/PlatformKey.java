package org.optline.core.business;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A key of the platform (the recipient's app and the operator's tools) and what it may do.
 * Several hashes under one label allow rotation: the new key is added, clients move to it, and
 * the old one is removed once its last use is old enough.
 *
 * @param label a name for operators, {@code [a-z0-9-]{1,32}}: {@code platform} for the key of
 *              {@code platform.key-sha256}, else the {@code <label>} of {@code platform.key.<label>.*}
 * @param credentials the hashes of the key's current versions
 * @param scopes what it may do; never empty
 */
public record PlatformKey(String label, List<Credential> credentials, Set<PlatformScope> scopes) {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9-]{1,32}");

    public PlatformKey {
        if (label == null || !LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("a platform key label must match [a-z0-9-]{1,32}");
        }
        if (credentials.isEmpty()) {
            throw new IllegalArgumentException("platform key '" + label + "' has no hash");
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("platform key '" + label + "' has no scope");
        }
        credentials = List.copyOf(credentials);
        scopes = Set.copyOf(EnumSet.copyOf(scopes));
    }

    /** The key of earlier configurations: every scope. */
    public static PlatformKey unscoped(List<Credential> credentials) {
        return new PlatformKey("platform", credentials, PlatformScope.all());
    }

    public static boolean isValidLabel(String label) {
        return label != null && LABEL.matcher(label).matches();
    }

    public boolean may(PlatformScope scope) {
        return scopes.contains(scope);
    }
}
