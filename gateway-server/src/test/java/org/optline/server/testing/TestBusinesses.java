package org.optline.server.testing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.PlatformKey;
import org.optline.core.business.PlatformScope;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.message.Category;
import org.optline.core.template.Template;

/** The businesses every end-to-end test gateway knows, with their keys in clear. */
public final class TestBusinesses {
    public static final String BANK = "test-bank";
    public static final String BANK_KEY = "olk_test_bank_key";
    public static final String SHOP = "test-shop";
    public static final String SHOP_KEY = "olk_test_shop_key";
    /** Two messages a second: for RATE_LIMITED. */
    public static final String TRICKLE = "test-trickle";
    public static final String TRICKLE_KEY = "olk_test_trickle_key";
    /** Quality RED: its marketing is paused. */
    public static final String RED = "test-red";
    public static final String RED_KEY = "olk_test_red_key";
    public static final String PLATFORM_KEY = "olp_test_platform_key";
    /** Platform keys of one scope each (label: the scope). */
    public static final String CONSENTS_KEY = "olp_test_consents_key";
    public static final String INBOX_KEY = "olp_test_inbox_key";
    public static final String ERASURE_KEY = "olp_test_erasure_key";
    public static final String OPERATIONS_KEY = "olp_test_operations_key";

    private TestBusinesses() {}

    public static List<Business> all() {
        Map<String, Template> templates = Map.of("balance_alert",
                new Template("balance_alert", Category.TRANSACTIONAL, "Your balance is {{1}} on {{2}}."));
        return List.of(
                new Business(BANK, List.of(Credential.ofSecret(BANK_KEY)), 1_000_000, Tier.UNLIMITED, Quality.GREEN,
                        templates),
                new Business(SHOP, List.of(Credential.ofSecret(SHOP_KEY)), 1_000_000, Tier.UNLIMITED, Quality.GREEN,
                        Map.of()),
                new Business(TRICKLE, List.of(Credential.ofSecret(TRICKLE_KEY)), 2, Tier.UNLIMITED, Quality.GREEN,
                        Map.of()),
                new Business(RED, List.of(Credential.ofSecret(RED_KEY)), 1_000, Tier.UNLIMITED, Quality.RED,
                        Map.of()));
    }

    public static Credential platform() {
        return Credential.ofSecret(PLATFORM_KEY);
    }

    /** The platform keys of one scope each, beside the platform credential of every scope. */
    public static List<PlatformKey> scopedPlatformKeys() {
        return List.of(
                new PlatformKey("consents", List.of(Credential.ofSecret(CONSENTS_KEY)), Set.of(PlatformScope.CONSENTS)),
                new PlatformKey("inbox", List.of(Credential.ofSecret(INBOX_KEY)), Set.of(PlatformScope.INBOX)),
                new PlatformKey("erasure", List.of(Credential.ofSecret(ERASURE_KEY)), Set.of(PlatformScope.ERASURE)),
                new PlatformKey("operations", List.of(Credential.ofSecret(OPERATIONS_KEY)),
                        Set.of(PlatformScope.OPERATIONS)));
    }
}
