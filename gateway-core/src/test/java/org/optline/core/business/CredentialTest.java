package org.optline.core.business;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CredentialTest {
    /** SHA-256("abc") from FIPS 180-2, appendix B.1. */
    private static final String SHA256_OF_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void secretIsHashedWithSha256() {
        assertThat(Credential.sha256Hex("abc")).isEqualTo(SHA256_OF_ABC);
        assertThat(Credential.sha256("abc")).isEqualTo(HexFormat.of().parseHex(SHA256_OF_ABC));
    }

    @Test
    void credentialFromClearSecretMatchesOnlyThatSecret() {
        Credential credential = Credential.ofSecret("olk_right");

        assertThat(credential.matches("olk_right")).isTrue();
        assertThat(credential.matches("olk_wrong")).isFalse();
        assertThat(credential.matches("")).isFalse();
        assertThat(credential.matches("OLK_RIGHT")).isFalse();
    }

    @Test
    void credentialFromConfiguredHashMatchesTheSecretItWasMadeFrom() {
        Credential credential = Credential.ofSha256Hex(Credential.sha256Hex("olk_configured"));

        assertThat(credential.matches("olk_configured")).isTrue();
        assertThat(credential.matchesHash(Credential.sha256("olk_configured"))).isTrue();
        assertThat(credential.matches("olk_other")).isFalse();
    }

    @Test
    void configuredHashMayBeUpperCaseAndPadded() {
        Credential credential = Credential.ofSha256Hex("  " + SHA256_OF_ABC.toUpperCase() + "\n");

        assertThat(credential.matches("abc")).isTrue();
    }

    @Test
    void configuredHashThatIsNotHexIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Credential.ofSha256Hex("zz" + SHA256_OF_ABC.substring(2)))
                .withMessageContaining("hex");
    }

    @Test
    void configuredHashOfTheWrongLengthIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Credential.ofSha256Hex(SHA256_OF_ABC.substring(0, 62)))
                .withMessageContaining("64")
                .withMessageContaining("62");
    }

    @Test
    void generatedSecretsCarryThePrefixAndAreUnique() {
        String first = Credential.generateSecret("olk_");
        String second = Credential.generateSecret("olk_");

        assertThat(first).startsWith("olk_").hasSize(4 + 43).matches("olk_[A-Za-z0-9_-]{43}");
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void toStringRevealsNeitherSecretNorHash() {
        Credential credential = Credential.ofSecret("abc");

        assertThat(credential.toString()).doesNotContain("abc").doesNotContain(SHA256_OF_ABC.substring(0, 8));
    }
}
