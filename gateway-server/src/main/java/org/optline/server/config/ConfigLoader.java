package org.optline.server.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.optline.storage.kafka.KafkaSettings;
import org.optline.core.admission.AdmissionPolicy;
import org.optline.core.admission.AdmissionQueue;
import org.optline.core.business.AddressRange;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.KeyRestrictions;
import org.optline.core.business.PlatformKey;
import org.optline.core.business.PlatformScope;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.consent.ConsentRequests;
import org.optline.core.delivery.DeliveryPolicy;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.limit.AntiSpamPolicy;
import org.optline.core.quality.QualityPolicy;
import org.optline.core.message.Category;
import org.optline.core.template.Template;
import org.optline.core.webhook.WebhookPolicy;

/**
 * Reads the one configuration file (Java properties syntax) and the environment overrides
 * into a {@link GatewayConfig}. A key {@code http.port} is overridden by the environment
 * variable {@code OPTLINE_HTTP_PORT}: upper case, dots and dashes as underscores. Unknown keys
 * and bad values fail the start with a message that names the key.
 */
public final class ConfigLoader {
    static final String ENV_PREFIX = "OPTLINE_";

    /** Every key that is not per business; the per-business keys are business.&lt;id&gt;.*. */
    static final List<String> FIXED_KEYS = List.of(
            "http.host", "http.port", "http.max-body-size", "http.max-header-size",
            "http.max-initial-line-length", "http.max-in-flight",
            "http.max-connections", "http.max-connections-per-address",
            "tcp.max-connections", "tcp.max-connections-per-address",
            "tcp.host", "tcp.port", "tcp.max-frame-size", "tcp.max-in-flight",
            "tcp.max-unauthenticated-frame-size", "tcp.unauthenticated-memory", "tcp.authentication-timeout",
            "idle-timeout", "write-timeout",
            "auth.max-failures", "auth.failure-window", "auth.tracked-addresses",
            "admission.max-batch-size", "admission.max-text-length", "admission.max-pending-appends",
            "admission.overload-retry-after", "admission.workers", "admission.queue-capacity", "admission.max-wait",
            "admission.max-append-wait",
            "consent.cache.max-entries", "consent.request-window", "consent.request-cool-down",
            "idempotency.window", "idempotency.max-entries",
            "limits.marketing-per-recipient", "limits.marketing-per-recipient-per-business",
            "limits.window", "limits.tracked-recipients",
            "http.tls", "tcp.tls", "tls.certificate", "tls.private-key", "tls.client-auth",
            "tls.trusted-certificates", "tls.reload-interval", "tls.provider", "tls.handshake-timeout",
            "campaigns.throughput-percent", "campaigns.max-audience-rows", "campaigns.max-upload-size",
            "quality.window", "quality.yellow-rate", "quality.red-rate", "quality.min-complaints",
            "shutdown.grace-period", "data.dir", "backup.dir", "keys.dir", "storage", "platform.key-sha256", "demo.enabled",
            "kafka.bootstrap-servers", "kafka.topic-prefix", "kafka.partitions", "kafka.replication-factor",
            "kafka.min-insync-replicas", "kafka.session-timeout", "kafka.request-timeout", "kafka.peer-host",
            "kafka.peer-port", "kafka.peer-advertised-host", "kafka.delivery-retention");

    /** Passed to every Kafka client as they are: {@code kafka.client.security.protocol=SSL} and the like. */
    private static final String KAFKA_CLIENT_PREFIX = "kafka.client.";
    /** The node's own files on Kafka: its campaigns and the refusals it remembers. */
    static final String KAFKA_LOCAL_DIRECTORY = "kafka-node";

    private static final String BUSINESS_PREFIX = "business.";

    /**
     * What was loaded: the checked configuration and, when a demo business was made, its keys.
     *
     * @param demoPlatformKeyInUse false when a configured platform credential took the demo one's place
     */
    public record Loaded(GatewayConfig config, DemoCredentials demo, boolean demoPlatformKeyInUse) {}

    private ConfigLoader() {}

    /**
     * Loads the configuration.
     *
     * @param file the configuration file, or null for the embedded defaults
     * @param environment the process environment (System.getenv() in production)
     */
    public static Loaded load(Path file, Map<String, String> environment) {
        Map<String, String> raw = new HashMap<>();
        if (file != null) {
            raw.putAll(readFile(file));
        }
        for (String key : allKeys(raw.keySet())) {
            String override = environment.get(envName(key));
            if (override != null) {
                raw.put(key, override);
            }
        }
        ConfigValues values = new ConfigValues(raw);
        GatewayConfig.Builder builder = GatewayConfig.builder();
        readFixed(values, builder);
        readBusinesses(values, builder);

        readPlatformKeys(values, builder);
        DemoCredentials demo = null;
        boolean demoPlatformKeyInUse = false;
        boolean demoEnabled = values.bool("demo.enabled", true);
        Set<String> unread = values.unread();
        if (!unread.isEmpty()) {
            throw new ConfigException(unread.iterator().next(), "is not a known key (see docs/configuration.md)");
        }
        if (!builder.hasBusinesses() && demoEnabled) {
            // A fresh checkout with no configuration: make a local demo business so that the
            // README's tour works without editing a file, and no fixed secret ships in the code.
            try {
                demo = DemoCredentials.loadOrCreate(builder.dataDir());
            } catch (UncheckedIOException e) {
                throw new ConfigException("data.dir", e.getMessage() + " (" + e.getCause().getMessage() + ")");
            }
            builder.business(demo.business());
            if (!builder.hasPlatformCredential()) {
                builder.platformCredential(Credential.ofSecret(demo.platformKey()));
                demoPlatformKeyInUse = true;
            }
        }
        return new Loaded(builder.build(), demo, demoPlatformKeyInUse);
    }

    /** The environment variable that overrides a key. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Set<String> allKeys(Set<String> fileKeys) {
        Set<String> keys = new TreeSet<>(FIXED_KEYS);
        keys.addAll(fileKeys);
        return keys;
    }

    private static Map<String, String> readFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("--config", "cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            values.put(key, properties.getProperty(key));
        }
        return values;
    }

    private static void readFixed(ConfigValues v, GatewayConfig.Builder b) {
        b.http(v.string("http.host", GatewayConfig.DEFAULT_HOST),
                v.integer("http.port", GatewayConfig.DEFAULT_HTTP_PORT, 0, 65_535));
        b.tcp(v.string("tcp.host", GatewayConfig.DEFAULT_HOST),
                v.integer("tcp.port", GatewayConfig.DEFAULT_TCP_PORT, 0, 65_535));
        b.maxBodySize(v.size("http.max-body-size", GatewayConfig.DEFAULT_MAX_BODY_SIZE, 1024, 64 << 20));
        b.maxHeaderSize(v.size("http.max-header-size", GatewayConfig.DEFAULT_MAX_HEADER_SIZE, 1024, 1 << 20));
        b.maxInitialLineLength(v.size("http.max-initial-line-length",
                GatewayConfig.DEFAULT_MAX_INITIAL_LINE_LENGTH, 256, 1 << 20));
        b.httpMaxInFlight(v.integer("http.max-in-flight", GatewayConfig.DEFAULT_HTTP_MAX_IN_FLIGHT, 1, 65_536));
        b.maxFrameSize(v.size("tcp.max-frame-size", GatewayConfig.DEFAULT_MAX_FRAME_SIZE, 1024, 64 << 20));
        b.tcpMaxInFlight(v.integer("tcp.max-in-flight", GatewayConfig.DEFAULT_TCP_MAX_IN_FLIGHT, 1, 65_536));
        b.tcpMaxUnauthenticatedFrameSize(v.size("tcp.max-unauthenticated-frame-size",
                GatewayConfig.DEFAULT_TCP_MAX_UNAUTHENTICATED_FRAME_SIZE, 64, 64 << 20));
        b.tcpUnauthenticatedMemory(v.size("tcp.unauthenticated-memory", GatewayConfig.DEFAULT_TCP_UNAUTHENTICATED_MEMORY,
                1024, 1 << 30));
        b.tcpAuthenticationTimeout(v.duration("tcp.authentication-timeout",
                GatewayConfig.DEFAULT_TCP_AUTHENTICATION_TIMEOUT));
        b.idleTimeout(v.duration("idle-timeout", GatewayConfig.DEFAULT_IDLE_TIMEOUT));
        b.writeTimeout(v.duration("write-timeout", GatewayConfig.DEFAULT_WRITE_TIMEOUT));
        b.authFailures(v.integer("auth.max-failures", GatewayConfig.DEFAULT_AUTH_MAX_FAILURES, 1, 1_000_000),
                v.duration("auth.failure-window", GatewayConfig.DEFAULT_AUTH_FAILURE_WINDOW),
                v.longValue("auth.tracked-addresses", GatewayConfig.DEFAULT_AUTH_TRACKED_ADDRESSES, 1));
        b.httpMaxConnections(v.integer("http.max-connections", GatewayConfig.DEFAULT_MAX_CONNECTIONS, 1, 1_000_000),
                v.integer("http.max-connections-per-address", GatewayConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, 1,
                        1_000_000));
        b.tcpMaxConnections(v.integer("tcp.max-connections", GatewayConfig.DEFAULT_MAX_CONNECTIONS, 1, 1_000_000),
                v.integer("tcp.max-connections-per-address", GatewayConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, 1,
                        1_000_000));
        b.admission(new AdmissionPolicy(
                v.integer("admission.max-batch-size", AdmissionPolicy.DEFAULT_MAX_BATCH_SIZE, 1, 1_000),
                v.integer("admission.max-text-length", AdmissionPolicy.DEFAULT_MAX_TEXT_LENGTH, 1, 65_536),
                AdmissionPolicy.DEFAULT_MAX_CLIENT_MESSAGE_ID_LENGTH,
                AdmissionPolicy.DEFAULT_MAX_TTL,
                v.integer("admission.max-pending-appends", AdmissionPolicy.DEFAULT_MAX_PENDING_APPENDS, 1,
                        10_000_000),
                v.duration("admission.overload-retry-after", AdmissionPolicy.DEFAULT_OVERLOAD_RETRY_AFTER),
                v.duration("admission.max-append-wait", AdmissionPolicy.DEFAULT_MAX_APPEND_WAIT)));
        b.admissionWorkers(v.integer("admission.workers", GatewayConfig.DEFAULT_ADMISSION_WORKERS, 1, 1024));
        b.admissionQueueCapacity(v.integer("admission.queue-capacity",
                GatewayConfig.DEFAULT_ADMISSION_QUEUE_CAPACITY, 1, 1_000_000));
        b.admissionMaxWait(v.duration("admission.max-wait", AdmissionQueue.DEFAULT_MAX_WAIT));
        b.consentCacheEntries(v.longValue("consent.cache.max-entries", GatewayConfig.DEFAULT_CONSENT_CACHE_ENTRIES, 1));
        b.idempotency(v.duration("idempotency.window", IdempotencyWindow.DEFAULT_WINDOW),
                v.longValue("idempotency.max-entries",
                        IdempotencyWindow.DEFAULT_MAXIMUM_ENTRIES, 1));
        b.antiSpam(new AntiSpamPolicy(
                v.integer("limits.marketing-per-recipient", AntiSpamPolicy.DEFAULT_MARKETING_PER_RECIPIENT, 1, 10_000),
                v.integer("limits.marketing-per-recipient-per-business",
                        AntiSpamPolicy.DEFAULT_MARKETING_PER_RECIPIENT_PER_BUSINESS, 1, 10_000),
                v.duration("limits.window", AntiSpamPolicy.DEFAULT_WINDOW),
                v.longValue("limits.tracked-recipients", AntiSpamPolicy.DEFAULT_TRACKED_RECIPIENTS, 1)));
        b.campaigns(new org.optline.core.campaign.CampaignPolicy(
                v.integer("campaigns.throughput-percent",
                        (int) Math.round(org.optline.core.campaign.CampaignPolicy.DEFAULT_THROUGHPUT_SHARE * 100), 1, 100)
                        / 100.0,
                v.longValue("campaigns.max-audience-rows",
                        org.optline.core.campaign.CampaignPolicy.DEFAULT_MAX_AUDIENCE_ROWS, 1),
                org.optline.core.campaign.CampaignPolicy.DEFAULT_MAX_STEP));
        b.campaignMaxUploadSize(v.size("campaigns.max-upload-size", GatewayConfig.DEFAULT_CAMPAIGN_MAX_UPLOAD_SIZE,
                1024, Integer.MAX_VALUE));
        b.quality(readQualityPolicy(v));
        b.shutdownGracePeriod(v.duration("shutdown.grace-period", GatewayConfig.DEFAULT_SHUTDOWN_GRACE_PERIOD));
        b.consentRequests(
                v.duration("consent.request-window", ConsentRequests.DEFAULT_DECISION_WINDOW),
                v.duration("consent.request-cool-down", ConsentRequests.DEFAULT_COOL_DOWN));
        b.delivery(readDeliveryPolicy(v));
        b.webhooks(readWebhookPolicy(v));
        b.deliveryTick(v.duration("delivery.tick", GatewayConfig.DEFAULT_DELIVERY_TICK));
        b.push(v.integer("push.window", GatewayConfig.DEFAULT_PUSH_WINDOW, 1, 1_000),
                v.duration("push.ping-interval", GatewayConfig.DEFAULT_PUSH_PING_INTERVAL));
        b.dataDir(Path.of(v.string("data.dir", GatewayConfig.DEFAULT_DATA_DIR.toString())));
        String backupDir = v.string("backup.dir", "");
        if (!backupDir.isEmpty()) {
            b.backupDir(Path.of(backupDir));
        }
        String keysDir = v.string("keys.dir", "");
        if (!keysDir.isEmpty()) {
            b.keysDir(Path.of(keysDir));
        }
        b.storage(parseEnum(GatewayConfig.Storage.class, "storage", v.string("storage", "rocksdb")));
        readKafka(v, b);
        String certificate = v.string("tls.certificate", "");
        String privateKey = v.string("tls.private-key", "");
        String trusted = v.string("tls.trusted-certificates", "");
        b.tls(new TlsConfig(v.bool("http.tls", false), v.bool("tcp.tls", false),
                certificate.isEmpty() ? null : Path.of(certificate),
                privateKey.isEmpty() ? null : Path.of(privateKey),
                parseEnum(TlsConfig.ClientAuth.class, "tls.client-auth", v.string("tls.client-auth", "none")),
                trusted.isEmpty() ? null : Path.of(trusted),
                v.duration("tls.reload-interval", TlsConfig.DEFAULT_RELOAD_INTERVAL),
                parseEnum(TlsConfig.Provider.class, "tls.provider", v.string("tls.provider", "auto")),
                v.duration("tls.handshake-timeout", TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT)));
    }

    private static void readKafka(ConfigValues v, GatewayConfig.Builder b) {
        String servers = v.string("kafka.bootstrap-servers", "");
        java.util.Map<String, String> client = new java.util.TreeMap<>();
        for (String key : v.keysStartingWith(KAFKA_CLIENT_PREFIX)) {
            client.put(key.substring(KAFKA_CLIENT_PREFIX.length()), v.string(key, ""));
        }
        String prefix = v.string("kafka.topic-prefix", KafkaSettings.DEFAULT_TOPIC_PREFIX);
        int partitions = v.integer("kafka.partitions", KafkaSettings.DEFAULT_PARTITIONS, 1, 4_095);
        int replication = v.integer("kafka.replication-factor", KafkaSettings.DEFAULT_REPLICATION_FACTOR, 1, 32);
        int minInsync = v.integer("kafka.min-insync-replicas", KafkaSettings.DEFAULT_MIN_INSYNC_REPLICAS, 1, 32);
        java.time.Duration session = v.duration("kafka.session-timeout", KafkaSettings.DEFAULT_SESSION_TIMEOUT);
        java.time.Duration request = v.duration("kafka.request-timeout", KafkaSettings.DEFAULT_REQUEST_TIMEOUT);
        String peerHost = v.string("kafka.peer-host", "127.0.0.1");
        int peerPort = v.integer("kafka.peer-port", 0, 0, 65_535);
        String advertised = v.string("kafka.peer-advertised-host", "");
        java.time.Duration retention = v.duration("kafka.delivery-retention", KafkaSettings.DEFAULT_DELIVERY_RETENTION);
        if (servers.isEmpty()) {
            return;
        }
        try {
            b.kafka(new KafkaSettings(servers, client, prefix, partitions, (short) replication, minInsync, session,
                    request, peerHost, peerPort, advertised.isEmpty() ? null : advertised,
                    b.dataDir().resolve(KAFKA_LOCAL_DIRECTORY), retention));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("kafka", e.getMessage());
        }
    }

    private static final String PLATFORM_KEY_PREFIX = "platform.key.";

    /**
     * {@code platform.key-sha256} (one or several hashes, every scope: the configuration of earlier
     * versions) and {@code platform.key.<label>.sha256} with {@code platform.key.<label>.scopes}.
     */
    private static void readPlatformKeys(ConfigValues v, GatewayConfig.Builder b) {
        String unscoped = v.string("platform.key-sha256", "");
        if (!unscoped.isEmpty()) {
            b.platformKey(PlatformKey.unscoped(hashes(v, "platform.key-sha256", unscoped)));
        }
        Set<String> labels = new TreeSet<>();
        for (String key : v.keysStartingWith(PLATFORM_KEY_PREFIX)) {
            String rest = key.substring(PLATFORM_KEY_PREFIX.length());
            int dot = rest.indexOf('.');
            labels.add(dot < 0 ? rest : rest.substring(0, dot));
        }
        for (String label : labels) {
            String prefix = PLATFORM_KEY_PREFIX + label + ".";
            if (!PlatformKey.isValidLabel(label)) {
                throw new ConfigException(prefix + "*", "a platform key label must match [a-z0-9-]{1,32}");
            }
            List<Credential> credentials = hashes(v, prefix + "sha256", v.string(prefix + "sha256", ""));
            String scopeList = v.string(prefix + "scopes", "");
            if (scopeList.isEmpty()) {
                // Least privilege is a decision: a scoped key states its scopes, even when it is all of them.
                throw new ConfigException(prefix + "scopes", "required: consents, inbox, erasure, operations or all");
            }
            Set<PlatformScope> scopes = EnumSet.noneOf(PlatformScope.class);
            for (String scope : scopeList.split(",")) {
                if (scope.isBlank()) {
                    continue;
                }
                if (scope.trim().equalsIgnoreCase("all")) {
                    scopes.addAll(PlatformScope.all());
                } else {
                    try {
                        scopes.add(PlatformScope.parse(scope));
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(prefix + "scopes", e.getMessage());
                    }
                }
            }
            b.platformKey(new PlatformKey(label, credentials, scopes));
        }
    }

    /** A comma-separated list of hex SHA-256 hashes, at least one. */
    private static List<Credential> hashes(ConfigValues v, String key, String list) {
        List<Credential> credentials = new ArrayList<>();
        for (String hash : list.split(",")) {
            if (!hash.isBlank()) {
                try {
                    credentials.add(Credential.ofSha256Hex(hash));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(key, e.getMessage());
                }
            }
        }
        if (credentials.isEmpty()) {
            throw new ConfigException(key, "at least one hex SHA-256 hash is required");
        }
        return credentials;
    }

    /** {@code business.<id>.listeners}, {@code .source-addresses}, {@code .client-certificate-sha256|subject}. */
    private static KeyRestrictions readRestrictions(ConfigValues v, String prefix) {
        Set<String> listeners = new TreeSet<>();
        for (String listener : v.string(prefix + "listeners", "").split(",")) {
            String name = listener.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!name.equals("http") && !name.equals("tcp")) {
                throw new ConfigException(prefix + "listeners", "expected http, tcp or both, was '" + name + "'");
            }
            listeners.add(name);
        }
        List<AddressRange> sources = new ArrayList<>();
        for (String range : v.string(prefix + "source-addresses", "").split(",")) {
            if (!range.isBlank()) {
                try {
                    sources.add(AddressRange.parse(range));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(prefix + "source-addresses", e.getMessage());
                }
            }
        }
        Set<String> fingerprints = new TreeSet<>();
        for (String fingerprint : v.string(prefix + "client-certificate-sha256", "").split(",")) {
            if (!fingerprint.isBlank()) {
                String hex = KeyRestrictions.fingerprint(fingerprint);
                if (!hex.matches("[0-9a-f]{64}")) {
                    throw new ConfigException(prefix + "client-certificate-sha256",
                            "expected the certificate's SHA-256 fingerprint, 64 hex digits (colons allowed)");
                }
                fingerprints.add(hex);
            }
        }
        String subject = v.string(prefix + "client-certificate-subject", "");
        try {
            return new KeyRestrictions(listeners, sources, fingerprints, subject.isEmpty() ? null : subject);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(prefix + "client-certificate-subject",
                    "expected a distinguished name such as CN=acme-bank,O=Acme");
        }
    }

    private static DeliveryPolicy readDeliveryPolicy(ConfigValues v) {
        Map<Category, Duration> ttl = new EnumMap<>(Category.class);
        Map<Category, Duration> maxTtl = new EnumMap<>(Category.class);
        for (Category category : Category.values()) {
            String name = category.name().toLowerCase(Locale.ROOT);
            ttl.put(category, v.duration("delivery.ttl." + name, DeliveryPolicy.DEFAULTS.defaultTtl().get(category)));
            maxTtl.put(category, v.duration("delivery.max-ttl." + name, DeliveryPolicy.DEFAULTS.maxTtl().get(category)));
        }
        Duration retention = v.duration("delivery.status-retention", DeliveryPolicy.DEFAULT_STATUS_RETENTION);
        Duration lease = v.duration("inbox.lease", DeliveryPolicy.DEFAULT_LEASE);
        Duration maxLease = v.duration("inbox.max-lease", DeliveryPolicy.MAX_LEASE);
        Duration maxWait = v.duration("inbox.max-wait", DeliveryPolicy.MAX_WAIT);
        try {
            return new DeliveryPolicy(ttl, maxTtl, retention, lease, maxLease, maxWait);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("delivery.*", e.getMessage());
        }
    }

    private static QualityPolicy readQualityPolicy(ConfigValues v) {
        java.time.Duration window = v.duration("quality.window", QualityPolicy.DEFAULT_WINDOW);
        if (window.compareTo(java.time.Duration.ofHours(1)) < 0) {
            throw new ConfigException("quality.window", "must be at least 1h, was " + window);
        }
        double yellow = v.fraction("quality.yellow-rate", QualityPolicy.DEFAULT_YELLOW_RATE, 0.0001, 1);
        double red = v.fraction("quality.red-rate", QualityPolicy.DEFAULT_RED_RATE, 0.0001, 1);
        if (yellow > red) {
            throw new ConfigException("quality.yellow-rate", "must not be above quality.red-rate (" + red + ")");
        }
        int minComplaints = v.integer("quality.min-complaints", QualityPolicy.DEFAULT_MIN_COMPLAINTS, 1, 1_000_000);
        return new QualityPolicy(window, yellow, red, minComplaints);
    }

    private static WebhookPolicy readWebhookPolicy(ConfigValues v) {
        try {
            return new WebhookPolicy(
                    v.integer("webhook.max-batch", WebhookPolicy.DEFAULT_MAX_BATCH, 1, 1_000),
                    v.duration("webhook.timeout", WebhookPolicy.DEFAULT_TIMEOUT),
                    v.integer("webhook.max-attempts", WebhookPolicy.DEFAULT_MAX_ATTEMPTS, 1, 1_000),
                    v.duration("webhook.backoff-base", WebhookPolicy.DEFAULT_BACKOFF_BASE),
                    v.duration("webhook.backoff-max", WebhookPolicy.DEFAULT_BACKOFF_MAX),
                    v.duration("webhook.secret-overlap", WebhookPolicy.DEFAULT_SECRET_OVERLAP),
                    v.duration("webhook.dead-letter-retention", WebhookPolicy.DEFAULT_DEAD_LETTER_RETENTION));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("webhook.*", e.getMessage());
        }
    }

    private static void readBusinesses(ConfigValues v, GatewayConfig.Builder b) {
        Set<String> ids = new TreeSet<>();
        for (String key : v.keysStartingWith(BUSINESS_PREFIX)) {
            String rest = key.substring(BUSINESS_PREFIX.length());
            int dot = rest.indexOf('.');
            ids.add(dot < 0 ? rest : rest.substring(0, dot));
        }
        for (String id : ids) {
            String prefix = BUSINESS_PREFIX + id + ".";
            if (!Business.isValidId(id)) {
                throw new ConfigException(prefix + "*", "business id must match [a-z0-9-]{3,64}");
            }
            List<Credential> keys = new ArrayList<>();
            String hashes = v.string(prefix + "key-sha256", "");
            for (String hash : hashes.split(",")) {
                if (!hash.isBlank()) {
                    try {
                        keys.add(Credential.ofSha256Hex(hash));
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(prefix + "key-sha256", e.getMessage());
                    }
                }
            }
            if (keys.isEmpty()) {
                throw new ConfigException(prefix + "key-sha256", "every business needs at least one API key hash");
            }
            int throughput = v.integer(prefix + "throughput", 100, 1, 10_000_000);
            Tier tier;
            try {
                tier = Tier.parse(v.string(prefix + "tier", "1000"));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(prefix + "tier", e.getMessage());
            }
            Quality quality = parseEnum(Quality.class, prefix + "quality", v.string(prefix + "quality", "GREEN"));
            b.business(new Business(id, keys, throughput, tier, quality, readTemplates(v, prefix + "template."),
                    readRestrictions(v, prefix)));
        }
    }

    private static Map<String, Template> readTemplates(ConfigValues v, String prefix) {
        Set<String> names = new TreeSet<>();
        for (String key : v.keysStartingWith(prefix)) {
            String rest = key.substring(prefix.length());
            int dot = rest.lastIndexOf('.');
            names.add(dot < 0 ? rest : rest.substring(0, dot));
        }
        Map<String, Template> templates = new LinkedHashMap<>();
        for (String name : names) {
            String key = prefix + name;
            Category category = parseEnum(Category.class, key + ".category", v.string(key + ".category", ""));
            String text = v.string(key + ".text", "");
            if (text.isEmpty()) {
                throw new ConfigException(key + ".text", "a template needs a text");
            }
            try {
                templates.put(name, new Template(name, category, text));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ".text", e.getMessage());
            }
        }
        return templates;
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String key, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, "expected one of " + Arrays.toString(type.getEnumConstants())
                    + ", was '" + value + "'");
        }
    }
}
