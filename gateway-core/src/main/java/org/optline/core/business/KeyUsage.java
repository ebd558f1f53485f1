package org.optline.core.business;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * When a key was last used, for operators rotating keys: which key (its id, never the key or
 * its hash), whose, and what it may do. A key that was never used since the node started has no
 * time.
 *
 * @param keyId the first 8 hex digits of the key's SHA-256, as {@code sha256sum} prints it
 * @param owner the business id, or the platform key's label
 * @param platform true for a platform key
 * @param scopes what a platform key may do; empty for a business key
 * @param lastUsed the last successful authentication with it, to the second
 */
public record KeyUsage(String keyId, String owner, boolean platform, Set<PlatformScope> scopes,
                       Optional<Instant> lastUsed) {}
