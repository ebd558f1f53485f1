package org.optline.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.optline.storage.kafka.KafkaSettings;
import org.optline.core.admission.AdmissionPolicy;
import org.optline.core.admission.AdmissionQueue;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.PlatformKey;
import org.optline.core.campaign.CampaignPolicy;
import org.optline.core.consent.ConsentRequests;
import org.optline.core.delivery.DeliveryPolicy;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.limit.AntiSpamPolicy;
import org.optline.core.quality.QualityPolicy;
import org.optline.core.webhook.WebhookPolicy;

/**
 * The whole configuration of a gateway node, immutable and checked. Made by {@link Builder};
 * every default is a named constant with the reason for its value. docs/configuration.md
 * lists the file keys that set each field.
 */
public final class GatewayConfig {
    /** Loopback only: a fresh node is not reachable from the network until someone decides so. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final int DEFAULT_TCP_PORT = 9090;
    /** A batch of 1 000 full-length (1 600-character) messages is about 1.8 MB in JSON; 4 MiB holds it. */
    public static final int DEFAULT_MAX_BODY_SIZE = 4 * 1024 * 1024;
    /** Browsers send 1–2 KiB of headers; 8 KiB is Netty's and most servers' default. */
    public static final int DEFAULT_MAX_HEADER_SIZE = 8 * 1024;
    /** The longest request line: our paths are short. */
    public static final int DEFAULT_MAX_INITIAL_LINE_LENGTH = 4 * 1024;
    /** HTTP requests answered in order per connection; past this many unanswered, reading pauses. */
    public static final int DEFAULT_HTTP_MAX_IN_FLIGHT = 32;
    /** The same bound as an HTTP body: a full batch of full-length messages fits. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 4 * 1024 * 1024;
    /** Requests in flight per TCP connection before reading pauses: enough to hide a group commit. */
    public static final int DEFAULT_TCP_MAX_IN_FLIGHT = 256;
    /**
     * Before authentication only an Authenticate (a key of 47 characters and a few bytes) or a
     * Ping makes sense: 1 KiB holds either with room to spare.
     */
    public static final int DEFAULT_TCP_MAX_UNAUTHENTICATED_FRAME_SIZE = 1024;
    /**
     * What all unauthenticated TCP connections together may hold of incomplete frames: thousands
     * of anonymous connections with a read buffer each (a few KiB), a small part of the heap.
     */
    public static final int DEFAULT_TCP_UNAUTHENTICATED_MEMORY = 16 * 1024 * 1024;
    /** A client authenticates in its first frame, right after connecting; 10 s allows a slow network. */
    public static final Duration DEFAULT_TCP_AUTHENTICATION_TIMEOUT = Duration.ofSeconds(10);
    /** A connection that says nothing for this long is closed; clients ping to stay connected. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /**
     * A client whose answers have not moved for this long has stopped reading: a slow but
     * reading client moves its window within seconds; 30 s also rides out a long GC pause.
     */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Connections one listener holds: far more than a node's clients need (a sender keeps a few
     * pipelined connections), and with both listeners still well under a `ulimit -n` of 65 536.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /**
     * Connections one client address holds on one listener: a sender behind one NAT address with
     * hundreds of connections fits; one address cannot take the whole listener.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1_000;
    /** A person mistyping a key, or a deployment with an old key, fails a few times; a guesser far more. */
    public static final int DEFAULT_AUTH_MAX_FAILURES = 10;
    /** An address blocked this long after its last failure: ten guesses a minute, a fixed client back soon. */
    public static final Duration DEFAULT_AUTH_FAILURE_WINDOW = Duration.ofMinutes(1);
    /** About 100 bytes an address: 100 000 failing addresses in 10 MB. */
    public static final long DEFAULT_AUTH_TRACKED_ADDRESSES = 100_000;
    /** Admission is CPU work plus short lookups: one thread per core. */
    public static final int DEFAULT_ADMISSION_WORKERS = Runtime.getRuntime().availableProcessors();
    /** Submissions waiting for an admission thread; past it, OVERLOADED at once. */
    public static final int DEFAULT_ADMISSION_QUEUE_CAPACITY = 8_192;
    /** About 100 bytes an entry: a million recipient-business pairs in 100 MB of heap. */
    public static final long DEFAULT_CONSENT_CACHE_ENTRIES = 1_000_000;
    /** Long enough for an orderly drain of in-flight work, short enough for a rolling restart. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE_PERIOD = Duration.ofSeconds(10);
    /** Expiries, retries and waiting readers are looked at this often; a second is finer than any TTL or back-off. */
    public static final Duration DEFAULT_DELIVERY_TICK = Duration.ofSeconds(1);
    /** Unacknowledged pushed messages per subscription: a screenful, and bounded server work per slow app. */
    public static final int DEFAULT_PUSH_WINDOW = 100;
    /** Under the 60 s idle timeouts of proxies and mobile networks; a phone's radio is woken twice a minute at most. */
    public static final Duration DEFAULT_PUSH_PING_INTERVAL = Duration.ofSeconds(30);
    /**
     * An audience of 1 000 000 rows with a few parameters is about 60 MB of CSV; a gigabyte leaves
     * room for ten times that, and is still disk, never heap (uploads are spooled).
     */
    public static final int DEFAULT_CAMPAIGN_MAX_UPLOAD_SIZE = 1024 * 1024 * 1024;
    /** Relative to the working directory, so the README's command keeps its data beside the checkout. */
    public static final Path DEFAULT_DATA_DIR = Path.of("optline-data");
    /**
     * Under the data directory, so that a backup is on the store's file system and made of hard
     * links (fast, and no copy of the data); copy it elsewhere to survive the disk (scripts/backup.sh).
     */
    public static final String DEFAULT_BACKUP_DIR_NAME = "backups";
    /**
     * Beside the data directory, never in it: a copy of the data directory (or of its backups)
     * must not carry the secret that opens the recipients' numbers in it.
     */
    public static final String DEFAULT_KEYS_DIR_SUFFIX = "-keys";

    private final String httpHost;
    private final int httpPort;
    private final String tcpHost;
    private final int tcpPort;
    private final int maxBodySize;
    private final int maxHeaderSize;
    private final int maxInitialLineLength;
    private final int httpMaxInFlight;
    private final int maxFrameSize;
    private final int tcpMaxInFlight;
    private final int tcpMaxUnauthenticatedFrameSize;
    private final int tcpUnauthenticatedMemory;
    private final Duration tcpAuthenticationTimeout;
    private final Duration idleTimeout;
    private final Duration writeTimeout;
    private final int authMaxFailures;
    private final Duration authFailureWindow;
    private final long authTrackedAddresses;
    private final int httpMaxConnections;
    private final int httpMaxConnectionsPerAddress;
    private final int tcpMaxConnections;
    private final int tcpMaxConnectionsPerAddress;
    private final AdmissionPolicy admission;
    private final int admissionWorkers;
    private final int admissionQueueCapacity;
    private final Duration admissionMaxWait;
    private final long consentCacheEntries;
    private final Duration idempotencyWindow;
    private final long idempotencyEntries;
    private final AntiSpamPolicy antiSpam;
    private final QualityPolicy quality;
    private final Duration shutdownGracePeriod;
    private final Duration consentRequestWindow;
    private final Duration consentRequestCoolDown;
    private final DeliveryPolicy delivery;
    private final WebhookPolicy webhooks;
    private final Duration deliveryTick;
    private final int pushWindow;
    private final Duration pushPingInterval;
    private final CampaignPolicy campaigns;
    private final int campaignMaxUploadSize;
    private final Path dataDir;
    private final Path backupDir;
    private final Path keysDir;
    private final Storage storage;
    private final KafkaSettings kafka;
    private final List<Business> businesses;
    private final List<PlatformKey> platformKeys;
    private final TlsConfig tls;

    private GatewayConfig(Builder b) {
        this.httpHost = b.httpHost;
        this.httpPort = b.httpPort;
        this.tcpHost = b.tcpHost;
        this.tcpPort = b.tcpPort;
        this.maxBodySize = b.maxBodySize;
        this.maxHeaderSize = b.maxHeaderSize;
        this.maxInitialLineLength = b.maxInitialLineLength;
        this.httpMaxInFlight = b.httpMaxInFlight;
        this.maxFrameSize = b.maxFrameSize;
        this.tcpMaxInFlight = b.tcpMaxInFlight;
        this.tcpMaxUnauthenticatedFrameSize = b.tcpMaxUnauthenticatedFrameSize;
        this.tcpUnauthenticatedMemory = b.tcpUnauthenticatedMemory;
        this.tcpAuthenticationTimeout = b.tcpAuthenticationTimeout;
        this.idleTimeout = b.idleTimeout;
        this.writeTimeout = b.writeTimeout;
        this.authMaxFailures = b.authMaxFailures;
        this.authFailureWindow = b.authFailureWindow;
        this.authTrackedAddresses = b.authTrackedAddresses;
        this.httpMaxConnections = b.httpMaxConnections;
        this.httpMaxConnectionsPerAddress = b.httpMaxConnectionsPerAddress;
        this.tcpMaxConnections = b.tcpMaxConnections;
        this.tcpMaxConnectionsPerAddress = b.tcpMaxConnectionsPerAddress;
        this.admission = b.admission;
        this.admissionWorkers = b.admissionWorkers;
        this.admissionQueueCapacity = b.admissionQueueCapacity;
        this.admissionMaxWait = b.admissionMaxWait;
        this.consentCacheEntries = b.consentCacheEntries;
        this.idempotencyWindow = b.idempotencyWindow;
        this.idempotencyEntries = b.idempotencyEntries;
        this.antiSpam = b.antiSpam;
        this.quality = b.quality;
        this.shutdownGracePeriod = b.shutdownGracePeriod;
        this.consentRequestWindow = b.consentRequestWindow;
        this.consentRequestCoolDown = b.consentRequestCoolDown;
        this.delivery = b.delivery;
        this.webhooks = b.webhooks;
        this.deliveryTick = b.deliveryTick;
        this.pushWindow = b.pushWindow;
        this.pushPingInterval = b.pushPingInterval;
        this.campaigns = b.campaigns;
        this.campaignMaxUploadSize = b.campaignMaxUploadSize;
        this.dataDir = b.dataDir;
        this.backupDir = b.backupDir != null ? b.backupDir : b.dataDir.resolve(DEFAULT_BACKUP_DIR_NAME);
        this.keysDir = b.keysDir != null ? b.keysDir : defaultKeysDir(b.dataDir);
        this.storage = b.storage;
        this.kafka = b.kafka;
        this.businesses = List.copyOf(b.businesses);
        this.platformKeys = List.copyOf(b.platformKeys);
        this.tls = b.tls;
    }

    /** Where consents, queues and idempotency records live. */
    public enum Storage {
        /** Durable, in {@code <data dir>/store}: ACCEPTED only after fsync. The default. */
        ROCKSDB,
        /** In the heap: lost at exit; for tests and demos. */
        MEMORY,
        /** In Apache Kafka, shared by every node that names the same cluster: ACCEPTED once Kafka has it (SPEC section 6). */
        KAFKA
    }

    public static Builder builder() {
        return new Builder();
    }

    public String httpHost() { return httpHost; }
    public int httpPort() { return httpPort; }
    public String tcpHost() { return tcpHost; }
    public int tcpPort() { return tcpPort; }
    public int maxBodySize() { return maxBodySize; }
    public int maxHeaderSize() { return maxHeaderSize; }
    public int maxInitialLineLength() { return maxInitialLineLength; }
    public int httpMaxInFlight() { return httpMaxInFlight; }
    public int maxFrameSize() { return maxFrameSize; }
    public int tcpMaxInFlight() { return tcpMaxInFlight; }
    public int tcpMaxUnauthenticatedFrameSize() { return tcpMaxUnauthenticatedFrameSize; }
    public int tcpUnauthenticatedMemory() { return tcpUnauthenticatedMemory; }
    public Duration tcpAuthenticationTimeout() { return tcpAuthenticationTimeout; }
    public Duration idleTimeout() { return idleTimeout; }
    public Duration writeTimeout() { return writeTimeout; }
    public int authMaxFailures() { return authMaxFailures; }
    public Duration authFailureWindow() { return authFailureWindow; }
    public long authTrackedAddresses() { return authTrackedAddresses; }
    public int httpMaxConnections() { return httpMaxConnections; }
    public int httpMaxConnectionsPerAddress() { return httpMaxConnectionsPerAddress; }
    public int tcpMaxConnections() { return tcpMaxConnections; }
    public int tcpMaxConnectionsPerAddress() { return tcpMaxConnectionsPerAddress; }
    public AdmissionPolicy admission() { return admission; }
    public int admissionWorkers() { return admissionWorkers; }
    public int admissionQueueCapacity() { return admissionQueueCapacity; }
    /** How long the oldest submission may wait for an admission thread before new ones are OVERLOADED. */
    public Duration admissionMaxWait() { return admissionMaxWait; }
    public long consentCacheEntries() { return consentCacheEntries; }
    public Duration idempotencyWindow() { return idempotencyWindow; }
    public long idempotencyEntries() { return idempotencyEntries; }
    public AntiSpamPolicy antiSpam() { return antiSpam; }
    /** How recipients' feedback rates a business, and what RED does. */
    public QualityPolicy quality() { return quality; }
    public Duration shutdownGracePeriod() { return shutdownGracePeriod; }
    public Duration consentRequestWindow() { return consentRequestWindow; }
    public Duration consentRequestCoolDown() { return consentRequestCoolDown; }
    public DeliveryPolicy delivery() { return delivery; }
    public WebhookPolicy webhooks() { return webhooks; }
    public Duration deliveryTick() { return deliveryTick; }
    public int pushWindow() { return pushWindow; }
    public Duration pushPingInterval() { return pushPingInterval; }
    public CampaignPolicy campaigns() { return campaigns; }
    public int campaignMaxUploadSize() { return campaignMaxUploadSize; }
    public Path dataDir() { return dataDir; }
    /** Where online backups go, each in a directory of its own. */
    public Path backupDir() { return backupDir; }
    /** Where the recipients' secret and data keys are: outside the data directory. */
    public Path keysDir() { return keysDir; }

    /** {@code <data dir>-keys}, beside the data directory: {@code optline-data-keys} by default. */
    public static Path defaultKeysDir(Path dataDir) {
        Path absolute = dataDir.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + DEFAULT_KEYS_DIR_SUFFIX);
    }
    public Storage storage() { return storage; }
    /** How the node reaches Kafka and its peers; null unless {@link #storage()} is {@link Storage#KAFKA}. */
    public KafkaSettings kafka() { return kafka; }
    public List<Business> businesses() { return businesses; }
    public TlsConfig tls() { return tls; }
    /** The platform's keys, each with its scopes. */
    public List<PlatformKey> platformKeys() { return platformKeys; }
    /** The first platform key's first hash: the one platform credential of earlier configurations. */
    public Credential platformCredential() { return platformKeys.get(0).credentials().get(0); }

    /** Collects the configuration; {@link #build()} checks it as a whole. */
    public static final class Builder {
        private String httpHost = DEFAULT_HOST;
        private int httpPort = DEFAULT_HTTP_PORT;
        private String tcpHost = DEFAULT_HOST;
        private int tcpPort = DEFAULT_TCP_PORT;
        private int maxBodySize = DEFAULT_MAX_BODY_SIZE;
        private int maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;
        private int maxInitialLineLength = DEFAULT_MAX_INITIAL_LINE_LENGTH;
        private int httpMaxInFlight = DEFAULT_HTTP_MAX_IN_FLIGHT;
        private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
        private int tcpMaxInFlight = DEFAULT_TCP_MAX_IN_FLIGHT;
        private int tcpMaxUnauthenticatedFrameSize = DEFAULT_TCP_MAX_UNAUTHENTICATED_FRAME_SIZE;
        private int tcpUnauthenticatedMemory = DEFAULT_TCP_UNAUTHENTICATED_MEMORY;
        private Duration tcpAuthenticationTimeout = DEFAULT_TCP_AUTHENTICATION_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
        private int authMaxFailures = DEFAULT_AUTH_MAX_FAILURES;
        private Duration authFailureWindow = DEFAULT_AUTH_FAILURE_WINDOW;
        private long authTrackedAddresses = DEFAULT_AUTH_TRACKED_ADDRESSES;
        private int httpMaxConnections = DEFAULT_MAX_CONNECTIONS;
        private int httpMaxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private int tcpMaxConnections = DEFAULT_MAX_CONNECTIONS;
        private int tcpMaxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private AdmissionPolicy admission = AdmissionPolicy.DEFAULTS;
        private int admissionWorkers = DEFAULT_ADMISSION_WORKERS;
        private int admissionQueueCapacity = DEFAULT_ADMISSION_QUEUE_CAPACITY;
        private Duration admissionMaxWait = AdmissionQueue.DEFAULT_MAX_WAIT;
        private long consentCacheEntries = DEFAULT_CONSENT_CACHE_ENTRIES;
        private Duration idempotencyWindow = IdempotencyWindow.DEFAULT_WINDOW;
        private long idempotencyEntries = IdempotencyWindow.DEFAULT_MAXIMUM_ENTRIES;
        private AntiSpamPolicy antiSpam = AntiSpamPolicy.DEFAULTS;
        private QualityPolicy quality = QualityPolicy.DEFAULTS;
        private Duration shutdownGracePeriod = DEFAULT_SHUTDOWN_GRACE_PERIOD;
        private Duration consentRequestWindow = ConsentRequests.DEFAULT_DECISION_WINDOW;
        private Duration consentRequestCoolDown = ConsentRequests.DEFAULT_COOL_DOWN;
        private DeliveryPolicy delivery = DeliveryPolicy.DEFAULTS;
        private WebhookPolicy webhooks = WebhookPolicy.DEFAULTS;
        private Duration deliveryTick = DEFAULT_DELIVERY_TICK;
        private int pushWindow = DEFAULT_PUSH_WINDOW;
        private Duration pushPingInterval = DEFAULT_PUSH_PING_INTERVAL;
        private CampaignPolicy campaigns = CampaignPolicy.DEFAULTS;
        private int campaignMaxUploadSize = DEFAULT_CAMPAIGN_MAX_UPLOAD_SIZE;
        private Path dataDir = DEFAULT_DATA_DIR;
        private Path backupDir;
        private Path keysDir;
        private Storage storage = Storage.ROCKSDB;
        private KafkaSettings kafka;
        private final List<Business> businesses = new ArrayList<>();
        private final List<PlatformKey> platformKeys = new ArrayList<>();
        private TlsConfig tls = TlsConfig.OFF;

        private Builder() {}

        public Builder http(String host, int port) { this.httpHost = host; this.httpPort = port; return this; }
        public Builder tcp(String host, int port) { this.tcpHost = host; this.tcpPort = port; return this; }
        public Builder maxBodySize(int bytes) { this.maxBodySize = bytes; return this; }
        public Builder maxHeaderSize(int bytes) { this.maxHeaderSize = bytes; return this; }
        public Builder maxInitialLineLength(int bytes) { this.maxInitialLineLength = bytes; return this; }
        public Builder httpMaxInFlight(int requests) { this.httpMaxInFlight = requests; return this; }
        public Builder maxFrameSize(int bytes) { this.maxFrameSize = bytes; return this; }
        public Builder tcpMaxInFlight(int requests) { this.tcpMaxInFlight = requests; return this; }
        public Builder tcpMaxUnauthenticatedFrameSize(int bytes) { this.tcpMaxUnauthenticatedFrameSize = bytes; return this; }
        public Builder tcpUnauthenticatedMemory(int bytes) { this.tcpUnauthenticatedMemory = bytes; return this; }
        public Builder tcpAuthenticationTimeout(Duration timeout) { this.tcpAuthenticationTimeout = timeout; return this; }
        public Builder idleTimeout(Duration timeout) { this.idleTimeout = timeout; return this; }
        public Builder writeTimeout(Duration timeout) { this.writeTimeout = timeout; return this; }
        public Builder authFailures(int maxFailures, Duration window, long trackedAddresses) {
            this.authMaxFailures = maxFailures;
            this.authFailureWindow = window;
            this.authTrackedAddresses = trackedAddresses;
            return this;
        }
        public Builder httpMaxConnections(int total, int perAddress) {
            this.httpMaxConnections = total;
            this.httpMaxConnectionsPerAddress = perAddress;
            return this;
        }
        public Builder tcpMaxConnections(int total, int perAddress) {
            this.tcpMaxConnections = total;
            this.tcpMaxConnectionsPerAddress = perAddress;
            return this;
        }
        public Builder admission(AdmissionPolicy policy) { this.admission = policy; return this; }
        public Builder admissionWorkers(int threads) { this.admissionWorkers = threads; return this; }
        public Builder admissionQueueCapacity(int submissions) { this.admissionQueueCapacity = submissions; return this; }
        public Builder admissionMaxWait(Duration wait) { this.admissionMaxWait = wait; return this; }
        public Builder consentCacheEntries(long entries) { this.consentCacheEntries = entries; return this; }
        public Builder idempotency(Duration window, long entries) {
            this.idempotencyWindow = window;
            this.idempotencyEntries = entries;
            return this;
        }
        public Builder antiSpam(AntiSpamPolicy policy) { this.antiSpam = policy; return this; }
        public Builder quality(QualityPolicy policy) { this.quality = policy; return this; }
        public Builder shutdownGracePeriod(Duration period) { this.shutdownGracePeriod = period; return this; }
        public Builder consentRequests(Duration window, Duration coolDown) {
            this.consentRequestWindow = window;
            this.consentRequestCoolDown = coolDown;
            return this;
        }
        public Builder delivery(DeliveryPolicy policy) { this.delivery = policy; return this; }
        public Builder webhooks(WebhookPolicy policy) { this.webhooks = policy; return this; }
        public Builder deliveryTick(Duration tick) { this.deliveryTick = tick; return this; }
        public Builder push(int window, Duration pingInterval) {
            this.pushWindow = window;
            this.pushPingInterval = pingInterval;
            return this;
        }
        public Builder campaigns(CampaignPolicy policy) { this.campaigns = policy; return this; }
        public Builder campaignMaxUploadSize(int bytes) { this.campaignMaxUploadSize = bytes; return this; }
        public Builder dataDir(Path dir) { this.dataDir = dir; return this; }
        /** Where online backups go; {@code <data dir>/backups} unless set. */
        public Builder backupDir(Path dir) { this.backupDir = dir; return this; }
        /** Where the recipients' secret and data keys are; {@code <data dir>-keys} unless set. */
        public Builder keysDir(Path dir) { this.keysDir = dir; return this; }
        public Builder storage(Storage kind) { this.storage = kind; return this; }
        /** The Kafka cluster and the peers, for {@link Storage#KAFKA}. */
        public Builder kafka(KafkaSettings settings) { this.kafka = settings; return this; }
        public Builder business(Business business) { this.businesses.add(business); return this; }
        /** A platform key of every scope (the only kind earlier versions had). */
        public Builder platformCredential(Credential credential) {
            return platformKey(PlatformKey.unscoped(List.of(credential)));
        }
        public Builder platformKey(PlatformKey key) { this.platformKeys.add(key); return this; }
        public Builder tls(TlsConfig tls) { this.tls = tls; return this; }

        public Path dataDir() { return dataDir; }
        public boolean hasBusinesses() { return !businesses.isEmpty(); }
        public boolean hasPlatformCredential() { return !platformKeys.isEmpty(); }

        /** Checks the configuration as a whole; the exception names the key at fault. */
        public GatewayConfig build() {
            requirePort("http.port", httpPort);
            requirePort("tcp.port", tcpPort);
            if (httpPort != 0 && httpPort == tcpPort && Objects.equals(httpHost, tcpHost)) {
                throw new ConfigException("tcp.port", "must differ from http.port");
            }
            requirePositive("http.max-body-size", maxBodySize);
            requirePositive("http.max-header-size", maxHeaderSize);
            requirePositive("http.max-initial-line-length", maxInitialLineLength);
            requirePositive("http.max-in-flight", httpMaxInFlight);
            requirePositive("tcp.max-frame-size", maxFrameSize);
            requirePositive("tcp.max-in-flight", tcpMaxInFlight);
            requirePositive("tcp.max-unauthenticated-frame-size", tcpMaxUnauthenticatedFrameSize);
            if (tcpMaxUnauthenticatedFrameSize > maxFrameSize) {
                throw new ConfigException("tcp.max-unauthenticated-frame-size",
                        "must not exceed tcp.max-frame-size (" + maxFrameSize + ")");
            }
            if (tcpUnauthenticatedMemory < tcpMaxUnauthenticatedFrameSize) {
                // Otherwise not even one Authenticate split across two reads could be held.
                throw new ConfigException("tcp.unauthenticated-memory",
                        "must be at least tcp.max-unauthenticated-frame-size (" + tcpMaxUnauthenticatedFrameSize + ")");
            }
            requirePositive("tcp.authentication-timeout", tcpAuthenticationTimeout);
            requirePositive("admission.workers", admissionWorkers);
            requirePositive("admission.queue-capacity", admissionQueueCapacity);
            requirePositive("admission.max-wait", admissionMaxWait);
            if (consentCacheEntries <= 0) {
                throw new ConfigException("consent.cache.max-entries", "must be positive");
            }
            if (idempotencyEntries <= 0) {
                throw new ConfigException("idempotency.max-entries", "must be positive");
            }
            if (admission.maxPendingAppends() < admission.maxBatchSize()) {
                // Otherwise a full batch could never be routed and would be OVERLOADED forever.
                throw new ConfigException("admission.max-pending-appends",
                        "must be at least admission.max-batch-size (" + admission.maxBatchSize() + ")");
            }
            requirePositive("campaigns.max-upload-size", campaignMaxUploadSize);
            requirePositive("idle-timeout", idleTimeout);
            requirePositive("write-timeout", writeTimeout);
            requirePositive("auth.max-failures", authMaxFailures);
            requirePositive("auth.failure-window", authFailureWindow);
            if (authTrackedAddresses <= 0) {
                throw new ConfigException("auth.tracked-addresses", "must be positive");
            }
            requirePositive("http.max-connections", httpMaxConnections);
            requirePositive("http.max-connections-per-address", httpMaxConnectionsPerAddress);
            requirePositive("tcp.max-connections", tcpMaxConnections);
            requirePositive("tcp.max-connections-per-address", tcpMaxConnectionsPerAddress);
            requirePositive("idempotency.window", idempotencyWindow);
            requirePositive("consent.request-window", consentRequestWindow);
            requirePositive("consent.request-cool-down", consentRequestCoolDown);
            requirePositive("delivery.tick", deliveryTick);
            requirePositive("push.ping-interval", pushPingInterval);
            if (pushWindow < 1 || pushWindow > 1_000) {
                throw new ConfigException("push.window", "must be between 1 and 1000, was " + pushWindow);
            }
            Objects.requireNonNull(delivery, "delivery policy");
            Objects.requireNonNull(quality, "quality policy");
            Objects.requireNonNull(webhooks, "webhook policy");
            if (shutdownGracePeriod.isNegative()) {
                throw new ConfigException("shutdown.grace-period", "must not be negative");
            }
            if (businesses.isEmpty()) {
                throw new ConfigException("business.<id>.key-sha256", "at least one business is required");
            }
            if (platformKeys.isEmpty()) {
                throw new ConfigException("platform.key-sha256",
                        "the platform credential (which alone may change consents) is required");
            }
            Set<String> labels = new HashSet<>();
            for (PlatformKey key : platformKeys) {
                if (!labels.add(key.label())) {
                    throw new ConfigException("platform.key." + key.label(), "is configured twice");
                }
            }
            Set<String> ids = new HashSet<>();
            for (Business business : businesses) {
                if (!ids.add(business.id())) {
                    throw new ConfigException("business." + business.id(), "is configured twice");
                }
            }
            checkTls();
            Objects.requireNonNull(dataDir, "data dir");
            if (storage == Storage.KAFKA && kafka == null) {
                throw new ConfigException("kafka.bootstrap-servers", "storage=kafka needs the Kafka cluster's servers");
            }
            return new GatewayConfig(this);
        }

        private void checkTls() {
            if (tls.enabled()) {
                if (tls.certificate() == null) {
                    throw new ConfigException("tls.certificate", "TLS is on: the PEM file of the certificate is required");
                }
                if (tls.privateKey() == null) {
                    throw new ConfigException("tls.private-key", "TLS is on: the PEM file of the private key is required");
                }
                requirePositive("tls.reload-interval", tls.reloadInterval());
                requirePositive("tls.handshake-timeout", tls.handshakeTimeout());
            }
            if (tls.clientAuth() != TlsConfig.ClientAuth.NONE && tls.trustedCertificates() == null) {
                throw new ConfigException("tls.trusted-certificates",
                        "client certificates are asked for: the PEM file of the authorities that issue them is required");
            }
            for (Business business : businesses) {
                if (business.keyRestrictions().needsCertificate() && (tls.clientAuth() == TlsConfig.ClientAuth.NONE
                        || !(business.keyRestrictions().listeners().isEmpty() ? tls.http() && tls.tcp()
                        : business.keyRestrictions().listeners().stream()
                                .allMatch(l -> l.equals("http") ? tls.http() : tls.tcp())))) {
                    // A binding no client could ever satisfy is a mistake, not a lock.
                    throw new ConfigException("business." + business.id() + ".client-certificate-sha256",
                            "a business bound to a client certificate needs TLS with tls.client-auth=optional or"
                                    + " require on each listener its keys are used on (business." + business.id()
                                    + ".listeners)");
                }
            }
        }

        private static void requirePort(String key, int port) {
            if (port < 0 || port > 65_535) {
                throw new ConfigException(key, "must be between 0 (any free port) and 65535, was " + port);
            }
        }

        private static void requirePositive(String key, int value) {
            if (value <= 0) {
                throw new ConfigException(key, "must be positive, was " + value);
            }
        }

        private static void requirePositive(String key, Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new ConfigException(key, "must be positive, was " + value);
            }
        }
    }
}
