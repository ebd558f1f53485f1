package org.optline.core.business;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BusinessDirectoryTest {
    private static final String BANK_KEY = "olk_bank_primary";
    private static final String BANK_SECOND_KEY = "olk_bank_rotated";
    private static final String AIRLINE_KEY = "olk_airline";
    private static final String PLATFORM_KEY = "olp_platform";

    private final Business bank = new Business("acme-bank",
            List.of(Credential.ofSecret(BANK_KEY), Credential.ofSha256Hex(Credential.sha256Hex(BANK_SECOND_KEY))),
            100, Tier.UNLIMITED, Quality.GREEN, Map.of());
    private final Business airline = new Business("sky-air", List.of(Credential.ofSecret(AIRLINE_KEY)),
            50, Tier.TIER_10K, Quality.GREEN, Map.of());
    private final BusinessDirectory directory =
            new BusinessDirectory(List.of(bank, airline), Credential.ofSecret(PLATFORM_KEY));

    @Test
    void rightKeyAuthenticatesItsBusiness() {
        assertThat(directory.authenticate(BANK_KEY)).contains(bank);
        assertThat(directory.authenticate(AIRLINE_KEY)).contains(airline);
    }

    @Test
    void everyKeyOfABusinessAuthenticatesIt() {
        assertThat(directory.authenticate(BANK_SECOND_KEY)).contains(bank);
    }

    @Test
    void wrongKeyAuthenticatesNobody() {
        assertThat(directory.authenticate("olk_bank_primar")).isEmpty();
        assertThat(directory.authenticate(BANK_KEY + " ")).isEmpty();
        assertThat(directory.authenticate(Credential.sha256Hex(BANK_KEY))).isEmpty();
    }

    @Test
    void emptyOrMissingKeyAuthenticatesNobody() {
        assertThat(directory.authenticate("")).isEmpty();
        assertThat(directory.authenticate(null)).isEmpty();
    }

    @Test
    void platformCredentialIsDistinctFromBusinessKeys() {
        assertThat(directory.isPlatform(PLATFORM_KEY)).isTrue();
        assertThat(directory.authenticate(PLATFORM_KEY)).isEmpty();
        assertThat(directory.isPlatform(BANK_KEY)).isFalse();
        assertThat(directory.isPlatform(AIRLINE_KEY)).isFalse();
        assertThat(directory.isPlatform("")).isFalse();
        assertThat(directory.isPlatform(null)).isFalse();
    }

    @Test
    void businessesAreFoundById() {
        assertThat(directory.byId("acme-bank")).contains(bank);
        assertThat(directory.byId("nobody")).isEmpty();
        assertThat(directory.all()).containsExactly(bank, airline);
    }
}
