package org.optline.core.business;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The businesses a node knows and the platform credential, answering "who holds this key?".
 * Every credential is compared in constant time and the search never stops early, so the
 * time taken says nothing about which key, if any, came close.
 */
public final class BusinessDirectory {
    private final Map<String, Business> byId;
    private final List<Business> businesses;
    private final Credential platform;

    public BusinessDirectory(Collection<Business> businesses, Credential platform) {
        this.businesses = List.copyOf(businesses);
        this.byId = this.businesses.stream().collect(Collectors.toUnmodifiableMap(Business::id, Function.identity()));
        this.platform = platform;
    }

    /** The business whose API key this is, if any. */
    public Optional<Business> authenticate(String apiKey) {
        if (apiKey == null || apiKey.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = Credential.sha256(apiKey);
        Business found = null;
        for (Business business : businesses) {
            for (Credential key : business.apiKeys()) {
                if (key.matchesHash(presented)) {
                    found = business;
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** True when the key is the platform credential, which may change consents. */
    public boolean isPlatform(String key) {
        return key != null && !key.isEmpty() && platform.matches(key);
    }

    public Optional<Business> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public List<Business> all() {
        return new ArrayList<>(businesses);
    }
}
