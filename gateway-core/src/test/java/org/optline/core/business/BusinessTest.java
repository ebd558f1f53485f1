package org.optline.core.business;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.optline.core.message.Category;
import org.optline.core.template.Template;

class BusinessTest {
    private static final List<Credential> KEYS = List.of(Credential.ofSecret("olk_key"));

    @ParameterizedTest
    @ValueSource(strings = {"abc", "acme-bank", "bank-42", "a23456789012345678901234567890123456789012345678901234567890123z"})
    void slugIdsAreValid(String id) {
        assertThat(Business.isValidId(id)).isTrue();
        assertThat(new Business(id, KEYS, 1, Tier.UNLIMITED, Quality.GREEN, Map.of()).id()).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ab", "Acme", "acme_bank", "acme bank", "*", "acmé",
            "a234567890123456789012345678901234567890123456789012345678901234z"})
    void idsOutsideTheSlugAreRefused(String id) {
        assertThat(Business.isValidId(id)).isFalse();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Business(id, KEYS, 1, Tier.UNLIMITED, Quality.GREEN, Map.of()));
    }

    @Test
    void businessNeedsAKeyAndAPositiveThroughput() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Business("acme", List.of(), 1, Tier.UNLIMITED, Quality.GREEN, Map.of()));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Business("acme", KEYS, 0, Tier.UNLIMITED, Quality.GREEN, Map.of()));
    }

    @Test
    void templatesAreFoundByName() {
        Template balance = new Template("balance", Category.TRANSACTIONAL, "Your balance is {{1}}");
        Business business = new Business("acme", KEYS, 1, Tier.UNLIMITED, Quality.GREEN, Map.of("balance", balance));

        assertThat(business.template("balance")).contains(balance);
        assertThat(business.template("missing")).isEmpty();
    }

    @Test
    void tiersParseFromTheirConfiguredNames() {
        assertThat(Tier.parse("1000")).isEqualTo(Tier.TIER_1K);
        assertThat(Tier.parse("10000")).isEqualTo(Tier.TIER_10K);
        assertThat(Tier.parse(" 100000 ")).isEqualTo(Tier.TIER_100K);
        assertThat(Tier.parse("Unlimited")).isEqualTo(Tier.UNLIMITED);
        assertThat(Tier.UNLIMITED.isUnlimited()).isTrue();
        assertThat(Tier.TIER_100K.isUnlimited()).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> Tier.parse("5000"));
        assertThatIllegalArgumentException().isThrownBy(() -> new Tier(0));
    }
}
