package org.optline.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.business.Business;
import org.optline.core.business.BusinessDirectory;
import org.optline.core.business.Credential;
import org.optline.core.business.KeyRestrictions;
import org.optline.core.business.Origin;
import org.optline.core.business.PlatformScope;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.message.Category;
import org.optline.core.template.Template;

/**
 * The configuration file and its environment overrides: what is written is what runs, and
 * anything wrong stops the start with a message that names the key at fault.
 */
class ConfigLoaderTest {
    private static final String BANK_KEY = "olk_config_test_bank";
    private static final String PLATFORM_KEY = "olp_config_test_platform";

    @TempDir
    Path dir;

    @Test
    void backupsGoUnderTheDataDirectoryUnlessBackupDirSaysElsewhere() throws IOException {
        GatewayConfig defaults = ConfigLoader.load(write(business("acme-bank") + "data.dir=/srv/optline\n"),
                Map.of()).config();
        GatewayConfig elsewhere = ConfigLoader.load(write(business("acme-bank") + "data.dir=/srv/optline\n"
                + "backup.dir=/mnt/backups/optline\n"), Map.of()).config();

        assertThat(defaults.backupDir()).isEqualTo(Path.of("/srv/optline", "backups"));
        assertThat(elsewhere.backupDir()).isEqualTo(Path.of("/mnt/backups/optline"));
    }

    @Test
    void fileWithABusinessIsLoadedWithEveryValue() throws IOException {
        Path file = write(business("acme-bank")
                + "business.acme-bank.throughput=250\n"
                + "business.acme-bank.tier=10000\n"
                + "business.acme-bank.quality=yellow\n"
                + "business.acme-bank.template.balance_alert.category=TRANSACTIONAL\n"
                + "business.acme-bank.template.balance_alert.text=Your balance is {{1}} on {{2}}.\n"
                + "http.port=8081\n"
                + "idle-timeout=90s\n"
                + "http.max-body-size=64KiB\n");

        ConfigLoader.Loaded loaded = ConfigLoader.load(file, Map.of());

        GatewayConfig config = loaded.config();
        assertThat(loaded.demo()).isNull();
        assertThat(config.httpPort()).isEqualTo(8081);
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.maxBodySize()).isEqualTo(64 * 1024);
        assertThat(config.businesses()).hasSize(1);
        Business business = config.businesses().get(0);
        assertThat(business.id()).isEqualTo("acme-bank");
        assertThat(business.throughputPerSecond()).isEqualTo(250);
        assertThat(business.tier()).isEqualTo(Tier.TIER_10K);
        assertThat(business.quality()).isEqualTo(Quality.YELLOW);
        assertThat(business.template("balance_alert")).hasValue(
                new Template("balance_alert", Category.TRANSACTIONAL, "Your balance is {{1}} on {{2}}."));
        BusinessDirectory directory = new BusinessDirectory(config.businesses(), config.platformCredential());
        assertThat(directory.authenticate(BANK_KEY)).hasValue(business);
        assertThat(directory.authenticate("olk_some_other_key")).isEmpty();
        assertThat(directory.isPlatform(PLATFORM_KEY)).isTrue();
    }

    @Test
    void environmentOverridesTheFile() throws IOException {
        Path file = write(business("acme-bank") + "http.port=8081\nbusiness.acme-bank.throughput=250\n");

        GatewayConfig config = ConfigLoader.load(file, Map.of(
                "OPTLINE_HTTP_PORT", "1234",
                "OPTLINE_TCP_PORT", "4321",
                "OPTLINE_BUSINESS_ACME_BANK_THROUGHPUT", "7")).config();

        assertThat(config.httpPort()).isEqualTo(1234);
        assertThat(config.tcpPort()).isEqualTo(4321);
        assertThat(config.businesses().get(0).throughputPerSecond()).isEqualTo(7);
        assertThat(ConfigLoader.envName("admission.max-pending-appends")).isEqualTo("OPTLINE_ADMISSION_MAX_PENDING_APPENDS");
    }

    @Test
    void portThatIsNotANumberFailsNamingTheKey() throws IOException {
        assertFailsNaming(business("acme-bank") + "http.port=abc\n", "http.port");
    }

    @Test
    void tierThatIsNotOneOfTheTiersFailsNamingTheKey() throws IOException {
        assertFailsNaming(business("acme-bank") + "business.acme-bank.tier=5\n", "business.acme-bank.tier");
    }

    @Test
    void durationWithoutAUnitFailsNamingTheKey() throws IOException {
        assertFailsNaming(business("acme-bank") + "idle-timeout=forever\n", "idle-timeout");
    }

    @Test
    void keyHashOfTheWrongLengthFailsNamingTheKey() throws IOException {
        String shortHash = Credential.sha256Hex(BANK_KEY).substring(1);
        assertThat(shortHash).hasSize(63);

        assertFailsNaming("platform.key-sha256=" + Credential.sha256Hex(PLATFORM_KEY) + "\n"
                + "business.acme-bank.key-sha256=" + shortHash + "\n", "business.acme-bank.key-sha256");
    }

    @Test
    void qualityThatIsNotAStateFailsNamingTheKey() throws IOException {
        assertFailsNaming(business("acme-bank") + "business.acme-bank.quality=PURPLE\n", "business.acme-bank.quality");
    }

    @Test
    void misspelledKeyFailsNamingIt() throws IOException {
        assertFailsNaming(business("acme-bank") + "htp.port=1\n", "htp.port");
    }

    @Test
    void misspelledBusinessKeyFailsNamingIt() throws IOException {
        assertFailsNaming(business("acme-bank") + "business.acme-bank.througput=5\n", "business.acme-bank.througput");
    }

    @Test
    void noBusinessMakesTheDemoBusinessWithOwnerOnlyCredentialsAndReusesThemOnTheNextStart() throws IOException {
        Path data = dir.resolve("data");
        Path file = write("data.dir=" + data + "\n");

        ConfigLoader.Loaded first = ConfigLoader.load(file, Map.of());
        ConfigLoader.Loaded second = ConfigLoader.load(file, Map.of());

        DemoCredentials demo = first.demo();
        assertThat(demo).isNotNull();
        assertThat(demo.created()).isTrue();
        assertThat(demo.file()).isEqualTo(data.resolve(DemoCredentials.FILE_NAME)).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(demo.file()))).isEqualTo("rw-------");
        assertThat(Files.readString(demo.file())).contains(demo.businessKey(), demo.platformKey());
        assertThat(first.config().businesses()).extracting(Business::id).containsExactly(DemoCredentials.BUSINESS_ID);
        BusinessDirectory directory = new BusinessDirectory(first.config().businesses(),
                first.config().platformCredential());
        assertThat(directory.authenticate(demo.businessKey())).isPresent();
        assertThat(directory.isPlatform(demo.platformKey())).isTrue();

        assertThat(second.demo().created()).isFalse();
        assertThat(second.demo().businessKey()).isEqualTo(demo.businessKey());
        assertThat(second.demo().platformKey()).isEqualTo(demo.platformKey());
    }

    @Test
    void noBusinessWithTheDemoDisabledFailsNamingAKey() throws IOException {
        Path file = write("data.dir=" + dir.resolve("data") + "\ndemo.enabled=false\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("business.");
        assertThat(dir.resolve("data").resolve(DemoCredentials.FILE_NAME)).doesNotExist();
    }

    @Test
    void theQualityKeysAreReadAndCheckedTogether() throws IOException {
        GatewayConfig defaults = ConfigLoader.load(write(business("acme-bank")), Map.of()).config();
        GatewayConfig config = ConfigLoader.load(write(business("acme-bank")
                + "quality.window=3d\n"
                + "quality.yellow-rate=2%\n"
                + "quality.red-rate=0.05\n"
                + "quality.min-complaints=10\n"
                + "limits.tracked-recipients=5000\n"), Map.of()).config();

        assertThat(defaults.quality()).isEqualTo(org.optline.core.quality.QualityPolicy.DEFAULTS);
        assertThat(defaults.antiSpam().trackedRecipients()).isEqualTo(100_000);
        assertThat(config.quality().window()).isEqualTo(Duration.ofDays(3));
        assertThat(config.quality().yellowRate()).isEqualTo(0.02);
        assertThat(config.quality().redRate()).isEqualTo(0.05);
        assertThat(config.quality().minComplaints()).isEqualTo(10);
        assertThat(config.antiSpam().trackedRecipients()).isEqualTo(5_000);
        assertFailsNaming(business("acme-bank") + "quality.yellow-rate=5%\nquality.red-rate=3%\n",
                "quality.yellow-rate");
        assertFailsNaming(business("acme-bank") + "quality.red-rate=lots\n", "quality.red-rate");
        assertFailsNaming(business("acme-bank") + "quality.red-rate=150%\n", "quality.red-rate");
        assertFailsNaming(business("acme-bank") + "quality.window=30m\n", "quality.window");
        assertFailsNaming(business("acme-bank") + "quality.min-complaints=0\n", "quality.min-complaints");
    }

    /** The lines that configure one business with a known key, and the platform credential. */
    @Test
    void theDeliverySideKeysAreReadAndCheckedTogether() throws IOException {
        Path file = write(business("acme-bank")
                + "delivery.ttl.authentication=5m\n"
                + "delivery.max-ttl.authentication=30m\n"
                + "delivery.status-retention=3d\n"
                + "delivery.tick=250ms\n"
                + "inbox.lease=1m\n"
                + "push.window=20\n"
                + "webhook.max-batch=10\n"
                + "webhook.max-attempts=5\n"
                + "webhook.secret-overlap=2h\n");

        GatewayConfig config = ConfigLoader.load(file, Map.of()).config();

        assertThat(config.delivery().ttlSeconds(Category.AUTHENTICATION, 0)).isEqualTo(300);
        assertThat(config.delivery().ttlSeconds(Category.AUTHENTICATION, 3_600)).isEqualTo(1_800);
        assertThat(config.delivery().ttlSeconds(Category.MARKETING, 0)).isEqualTo(7 * 86_400);
        assertThat(config.delivery().statusRetention()).isEqualTo(Duration.ofDays(3));
        assertThat(config.delivery().defaultLease()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.deliveryTick()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.pushWindow()).isEqualTo(20);
        assertThat(config.webhooks().maxBatch()).isEqualTo(10);
        assertThat(config.webhooks().maxAttempts()).isEqualTo(5);
        assertThat(config.webhooks().secretOverlap()).isEqualTo(Duration.ofHours(2));

        assertThatThrownBy(() -> ConfigLoader.load(write(business("acme-bank")
                + "delivery.ttl.authentication=2h\n"), Map.of()))
                .as("a default above its category's maximum").hasMessageContaining("delivery");
        assertThatThrownBy(() -> ConfigLoader.load(write(business("acme-bank") + "push.window=0\n"), Map.of()))
                .hasMessageContaining("push.window");
    }

    @Test
    void thePlatformCredentialRotatesWithSeveralHashesAndScopedKeysHoldOnlyTheirScopes() throws IOException {
        Path file = write("platform.key-sha256=" + Credential.sha256Hex(PLATFORM_KEY) + ","
                + Credential.sha256Hex("olp_rotated") + "\n"
                + "platform.key.app.sha256=" + Credential.sha256Hex("olp_app") + "\n"
                + "platform.key.app.scopes=consents, inbox\n"
                + "platform.key.ops.sha256=" + Credential.sha256Hex("olp_ops") + "\n"
                + "platform.key.ops.scopes=all\n"
                + "business.acme-bank.key-sha256=" + Credential.sha256Hex(BANK_KEY) + "\n");

        GatewayConfig config = ConfigLoader.load(file, Map.of()).config();

        BusinessDirectory directory = new BusinessDirectory(config.businesses(), config.platformKeys(),
                java.time.InstantSource.system());
        Origin origin = Origin.unknown("http");
        assertThat(directory.check(PLATFORM_KEY, origin)).isInstanceOfSatisfying(BusinessDirectory.Check.Platform.class,
                p -> assertThat(p.key().scopes()).isEqualTo(PlatformScope.all()));
        assertThat(directory.check("olp_rotated", origin)).isInstanceOf(BusinessDirectory.Check.Platform.class);
        assertThat(directory.check("olp_app", origin)).isInstanceOfSatisfying(BusinessDirectory.Check.Platform.class,
                p -> assertThat(p.key().scopes()).containsExactlyInAnyOrder(PlatformScope.CONSENTS, PlatformScope.INBOX));
        assertThat(directory.check("olp_ops", origin)).isInstanceOfSatisfying(BusinessDirectory.Check.Platform.class,
                p -> assertThat(p.key().label()).isEqualTo("ops"));
    }

    @Test
    void aScopedPlatformKeyWithoutScopesOrWithAnUnknownOneStopsTheStart() throws IOException {
        String base = business("acme-bank") + "platform.key.app.sha256=" + Credential.sha256Hex("olp_app") + "\n";
        assertFailsNaming(base, "platform.key.app.scopes");
        assertFailsNaming(base + "platform.key.app.scopes=consents,everything\n", "platform.key.app.scopes");
    }

    @Test
    void aBusinessKeyIsRestrictedToListenersAddressesAndACertificate() throws IOException {
        String fingerprint = "AB:".repeat(31) + "AB";
        Path file = write(business("acme-bank")
                + "tcp.tls=true\ntls.certificate=c.pem\ntls.private-key=k.pem\n"
                + "tls.client-auth=optional\ntls.trusted-certificates=t.pem\n"
                + "business.acme-bank.listeners=tcp\n"
                + "business.acme-bank.source-addresses=203.0.113.0/24, 2001:db8::/32\n"
                + "business.acme-bank.client-certificate-sha256=" + fingerprint + "\n"
                + "business.acme-bank.client-certificate-subject=CN=acme-bank, O=Acme\n");

        KeyRestrictions restrictions = ConfigLoader.load(file, Map.of()).config().businesses().get(0).keyRestrictions();

        assertThat(restrictions.listeners()).containsExactly("tcp");
        assertThat(restrictions.sources()).extracting(Object::toString).containsExactly("203.0.113.0/24", "2001:db8::/32");
        assertThat(restrictions.certificateSha256()).containsExactly("ab".repeat(32));
        assertThat(restrictions.certificateSubject()).isEqualTo("CN=acme-bank,O=Acme");
    }

    @Test
    void aBadRestrictionStopsTheStartNamingItsKey() throws IOException {
        assertFailsNaming(business("acme-bank") + "business.acme-bank.listeners=smtp\n", "business.acme-bank.listeners");
        assertFailsNaming(business("acme-bank") + "business.acme-bank.source-addresses=bank.example.com\n",
                "business.acme-bank.source-addresses");
        assertFailsNaming(business("acme-bank") + "business.acme-bank.source-addresses=10.0.0.0/33\n",
                "business.acme-bank.source-addresses");
        assertFailsNaming(business("acme-bank") + "business.acme-bank.client-certificate-sha256=abcd\n",
                "business.acme-bank.client-certificate-sha256");
    }

    @Test
    void tlsIsOffByDefaultAndItsKeysAreRead() throws IOException {
        assertThat(ConfigLoader.load(write(business("acme-bank")), Map.of()).config().tls().enabled()).isFalse();

        Path file = write(business("acme-bank") + "tcp.tls=true\n"
                + "tls.certificate=/etc/optline/chain.pem\ntls.private-key=/etc/optline/key.pem\n"
                + "tls.client-auth=optional\ntls.trusted-certificates=/etc/optline/clients.pem\n"
                + "tls.reload-interval=1m\ntls.provider=jdk\ntls.handshake-timeout=5s\n");
        TlsConfig tls = ConfigLoader.load(file, Map.of()).config().tls();

        assertThat(tls.tcp()).isTrue();
        assertThat(tls.http()).isFalse();
        assertThat(tls.certificate()).isEqualTo(Path.of("/etc/optline/chain.pem"));
        assertThat(tls.clientAuth()).isEqualTo(TlsConfig.ClientAuth.OPTIONAL);
        assertThat(tls.reloadInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(tls.provider()).isEqualTo(TlsConfig.Provider.JDK);
    }

    @Test
    void tlsWithoutItsFilesOrABindingWithoutClientCertificatesStopsTheStart() throws IOException {
        assertFailsNaming(business("acme-bank") + "http.tls=true\n", "tls.certificate");
        assertFailsNaming(business("acme-bank") + "http.tls=true\ntls.certificate=c.pem\ntls.private-key=k.pem\n"
                + "tls.client-auth=require\n", "tls.trusted-certificates");
        assertFailsNaming(business("acme-bank") + "business.acme-bank.client-certificate-subject=CN=acme\n",
                "business.acme-bank.client-certificate-sha256");
    }

    private static String business(String id) {
        return "platform.key-sha256=" + Credential.sha256Hex(PLATFORM_KEY) + "\n"
                + "business." + id + ".key-sha256=" + Credential.sha256Hex(BANK_KEY) + "\n";
    }

    private Path write(String properties) throws IOException {
        Path file = dir.resolve("optline.properties");
        Files.writeString(file, properties, StandardCharsets.UTF_8);
        return file;
    }

    private void assertFailsNaming(String properties, String key) throws IOException {
        Path file = write(properties);

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + key + "'");
    }
}
