package org.optline.core.business;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The businesses a node knows and the platform's keys, answering "who holds this key, and may it
 * be used here?". Every credential is compared in constant time and the search never stops early,
 * so the time taken says nothing about which key, if any, came close. Each successful use is
 * remembered (to the second) for {@link #usage()}.
 */
public final class BusinessDirectory {
    /** Uses closer together than this do not write the time again: one write a second per key at most. */
    private static final long USE_RESOLUTION_MILLIS = 1_000;
    private static final long NEVER = Long.MIN_VALUE;

    private final Map<String, Business> byId;
    private final List<Business> businesses;
    private final List<Key> keys;
    private final InstantSource clock;

    /** One configured key version: whose it is, and when it was last used. */
    private record Key(Credential credential, Business business, PlatformKey platform, String id, AtomicLong lastUsed) {
        KeyUsage usage() {
            long last = lastUsed.get();
            return new KeyUsage(id, business != null ? business.id() : platform.label(), platform != null,
                    platform != null ? platform.scopes() : Set.of(),
                    last == NEVER ? Optional.empty() : Optional.of(Instant.ofEpochMilli(last)));
        }
    }

    /** A directory with one platform key of every scope (the configuration of earlier versions). */
    public BusinessDirectory(Collection<Business> businesses, Credential platform) {
        this(businesses, List.of(PlatformKey.unscoped(List.of(platform))), InstantSource.system());
    }

    public BusinessDirectory(Collection<Business> businesses, List<PlatformKey> platformKeys, InstantSource clock) {
        this.businesses = List.copyOf(businesses);
        this.byId = this.businesses.stream().collect(Collectors.toUnmodifiableMap(Business::id, Function.identity()));
        this.clock = clock;
        List<Key> all = new ArrayList<>();
        for (Business business : this.businesses) {
            for (Credential credential : business.apiKeys()) {
                all.add(new Key(credential, business, null, credential.shortId(), new AtomicLong(NEVER)));
            }
        }
        for (PlatformKey platform : platformKeys) {
            for (Credential credential : platform.credentials()) {
                all.add(new Key(credential, null, platform, credential.shortId(), new AtomicLong(NEVER)));
            }
        }
        this.keys = List.copyOf(all);
    }

    /** What presenting a key somewhere came to. */
    public sealed interface Check {
        /** A business key, accepted here. */
        record Business(org.optline.core.business.Business business) implements Check {}

        /** A platform key, accepted here, with its scopes. */
        record Platform(PlatformKey key) implements Check {}

        /** A business key valid in itself but restricted to other listeners, addresses or a certificate. */
        record Restricted(org.optline.core.business.Business business) implements Check {}

        /** No key, or not one of ours. */
        record Unknown() implements Check {}
    }

    /**
     * Whose key this is and whether it may be used from {@code origin}. A successful check counts
     * as a use of the key.
     */
    public Check check(String presented, Origin origin) {
        return check(presented, origin, true);
    }

    /** The same answer as {@link #check}, for a look ahead: not counted as a use. */
    public Check peek(String presented, Origin origin) {
        return check(presented, origin, false);
    }

    private Check check(String presented, Origin origin, boolean use) {
        Key key = find(presented);
        if (key == null) {
            return new Check.Unknown();
        }
        if (key.business() != null && !key.business().keyRestrictions().allow(origin)) {
            return new Check.Restricted(key.business());
        }
        if (use) {
            used(key);
        }
        return key.business() != null ? new Check.Business(key.business()) : new Check.Platform(key.platform());
    }

    /** The business whose API key this is, if any, wherever it may be used (nothing is counted as a use). */
    public Optional<Business> authenticate(String apiKey) {
        Key key = find(apiKey);
        return key == null ? Optional.empty() : Optional.ofNullable(key.business());
    }

    /** True when the key is a platform key (of any scope). */
    public boolean isPlatform(String key) {
        Key found = find(key);
        return found != null && found.platform() != null;
    }

    public Optional<Business> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public List<Business> all() {
        return new ArrayList<>(businesses);
    }

    /** Every configured key version and when it was last used: for operators, never the key or its hash. */
    public List<KeyUsage> usage() {
        return keys.stream().map(Key::usage).toList();
    }

    /** The key with this secret, comparing against every one in constant time. */
    private Key find(String presented) {
        if (presented == null || presented.isEmpty()) {
            return null;
        }
        byte[] hash = Credential.sha256(presented);
        Key found = null;
        for (Key key : keys) {
            if (key.credential().matchesHash(hash)) {
                found = key;
            }
        }
        return found;
    }

    private void used(Key key) {
        long now = clock.millis();
        long last = key.lastUsed().get();
        if (now - last >= USE_RESOLUTION_MILLIS || last == NEVER) {
            key.lastUsed().set(now / USE_RESOLUTION_MILLIS * USE_RESOLUTION_MILLIS);
        }
    }

    /** The first 8 hex digits of a SHA-256: how keys are named to operators. */
    static String shortHex(byte[] sha256) {
        return HexFormat.of().formatHex(sha256, 0, 4);
    }
}
