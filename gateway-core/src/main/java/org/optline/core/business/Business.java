package org.optline.core.business;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.optline.core.template.Template;

/**
 * A business that sends messages: its id, its keys (hashes only) and where they are accepted,
 * its throughput limit, its tier, its quality state and its registered templates.
 */
public record Business(
        String id,
        List<Credential> apiKeys,
        int throughputPerSecond,
        Tier tier,
        Quality quality,
        Map<String, Template> templates,
        KeyRestrictions keyRestrictions) {

    private static final Pattern ID = Pattern.compile("[a-z0-9-]{3,64}");

    public Business {
        if (!isValidId(id)) {
            throw new IllegalArgumentException("business id must match [a-z0-9-]{3,64}");
        }
        if (apiKeys.isEmpty()) {
            throw new IllegalArgumentException("business '" + id + "' has no API key");
        }
        if (throughputPerSecond <= 0) {
            throw new IllegalArgumentException("throughput of '" + id + "' must be positive");
        }
        apiKeys = List.copyOf(apiKeys);
        templates = Map.copyOf(templates);
        keyRestrictions = keyRestrictions == null ? KeyRestrictions.NONE : keyRestrictions;
    }

    /** A business whose keys are accepted anywhere. */
    public Business(String id, List<Credential> apiKeys, int throughputPerSecond, Tier tier, Quality quality,
                    Map<String, Template> templates) {
        this(id, apiKeys, throughputPerSecond, tier, quality, templates, KeyRestrictions.NONE);
    }

    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public Optional<Template> template(String name) {
        return Optional.ofNullable(templates.get(name));
    }

    @Override
    public String toString() {
        return "Business[" + id + "]";
    }
}
