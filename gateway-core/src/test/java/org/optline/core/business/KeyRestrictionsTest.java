package org.optline.core.business;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.optline.core.testing.MutableClock;

class KeyRestrictionsTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void anAddressRangeHoldsItsBlockAndNothingElse() throws Exception {
        AddressRange block = AddressRange.parse("203.0.113.0/25");
        assertThat(block.contains(ip("203.0.113.0"))).isTrue();
        assertThat(block.contains(ip("203.0.113.127"))).isTrue();
        assertThat(block.contains(ip("203.0.113.128"))).isFalse();
        assertThat(block.contains(ip("2001:db8::1"))).isFalse();
        assertThat(AddressRange.parse("192.168.1.7").contains(ip("192.168.1.7"))).isTrue();
        assertThat(AddressRange.parse("192.168.1.7").contains(ip("192.168.1.8"))).isFalse();
        assertThat(AddressRange.parse("2001:db8::/32").contains(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(AddressRange.parse("0.0.0.0/0").contains(ip("8.8.8.8"))).isTrue();
        assertThat(block.contains(null)).isFalse();
    }

    @Test
    void anAddressRangeIsALiteralNeverAHostName() {
        assertThatIllegalArgumentException().isThrownBy(() -> AddressRange.parse("bank.example.com"));
        assertThatIllegalArgumentException().isThrownBy(() -> AddressRange.parse("10.0.0.0/33"));
        assertThatIllegalArgumentException().isThrownBy(() -> AddressRange.parse("10.0.0.0/x"));
    }

    @Test
    void eachRestrictionMustHoldAndNoneMeansAnywhere() throws Exception {
        Origin.ClientCertificate certificate = new Origin.ClientCertificate("ab".repeat(32), "CN=acme-bank,O=Acme");
        Origin tcpFromTheBank = new Origin("tcp", ip("203.0.113.9"), certificate);
        assertThat(KeyRestrictions.NONE.allow(tcpFromTheBank)).isTrue();
        assertThat(KeyRestrictions.NONE.allow(Origin.unknown("http"))).isTrue();

        assertThat(new KeyRestrictions(Set.of("http"), List.of(), Set.of(), null).allow(tcpFromTheBank)).isFalse();
        assertThat(new KeyRestrictions(Set.of("TCP"), List.of(), Set.of(), null).allow(tcpFromTheBank)).isTrue();
        assertThat(new KeyRestrictions(Set.of(), List.of(AddressRange.parse("198.51.100.0/24")), Set.of(), null)
                .allow(tcpFromTheBank)).isFalse();
        assertThat(new KeyRestrictions(Set.of(), List.of(), Set.of("AB:".repeat(31) + "AB"), null)
                .allow(tcpFromTheBank)).isTrue();
        assertThat(new KeyRestrictions(Set.of(), List.of(), Set.of("cd".repeat(32)), null)
                .allow(tcpFromTheBank)).isFalse();
        assertThat(new KeyRestrictions(Set.of(), List.of(), Set.of(), "CN=acme-bank, O=Acme")
                .allow(tcpFromTheBank)).as("the subject compared in one canonical form").isTrue();
        assertThat(new KeyRestrictions(Set.of(), List.of(), Set.of(), "CN=acme-bank,O=Acme")
                .allow(new Origin("tcp", ip("203.0.113.9"), null))).as("no certificate").isFalse();
    }

    @Test
    void aRestrictedKeyIsRefusedElsewhereAndEveryUseIsRememberedByKeyIdOnly() throws Exception {
        MutableClock clock = new MutableClock();
        Business bank = new Business("acme-bank", List.of(Credential.ofSecret("olk_bank")), 10, Tier.UNLIMITED,
                Quality.GREEN, Map.of(),
                new KeyRestrictions(Set.of(), List.of(AddressRange.parse("203.0.113.0/24")), Set.of(), null));
        PlatformKey app = new PlatformKey("app", List.of(Credential.ofSecret("olp_old"), Credential.ofSecret("olp_new")),
                Set.of(PlatformScope.CONSENTS));
        BusinessDirectory directory = new BusinessDirectory(List.of(bank), List.of(app), clock);

        assertThat(directory.check("olk_bank", new Origin("http", ip("198.51.100.1"), null)))
                .isInstanceOf(BusinessDirectory.Check.Restricted.class);
        assertThat(directory.peek("olk_bank", new Origin("http", ip("203.0.113.1"), null)))
                .isInstanceOf(BusinessDirectory.Check.Business.class);
        assertThat(directory.usage()).allSatisfy(usage -> assertThat(usage.lastUsed()).as("nothing used yet").isEmpty());

        assertThat(directory.check("olk_bank", new Origin("http", ip("203.0.113.1"), null)))
                .isInstanceOf(BusinessDirectory.Check.Business.class);
        clock.advance(Duration.ofMinutes(5));
        assertThat(directory.check("olp_new", Origin.unknown("http"))).isInstanceOf(BusinessDirectory.Check.Platform.class);

        Instant start = MutableClock.DEFAULT_START;
        assertThat(directory.usage()).extracting(KeyUsage::keyId, KeyUsage::owner, KeyUsage::lastUsed).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Credential.sha256Hex("olk_bank").substring(0, 8), "acme-bank",
                        java.util.Optional.of(start)),
                org.assertj.core.groups.Tuple.tuple(Credential.sha256Hex("olp_old").substring(0, 8), "app",
                        java.util.Optional.empty()),
                org.assertj.core.groups.Tuple.tuple(Credential.sha256Hex("olp_new").substring(0, 8), "app",
                        java.util.Optional.of(start.plus(Duration.ofMinutes(5)))));
    }
}
