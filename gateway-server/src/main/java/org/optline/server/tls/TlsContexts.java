package org.optline.server.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.optline.server.config.ConfigException;
import org.optline.server.config.TlsConfig;
import org.optline.server.guard.GuardMetrics;
import org.optline.server.guard.Listener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of the listeners: the current server context, made from the PEM files of
 * {@code tls.certificate} and {@code tls.private-key} (and {@code tls.trusted-certificates} for
 * client certificates), and made again when they change. Every {@code tls.reload-interval} a
 * thread of its own reads the files; when their content changed and they load and belong
 * together, new connections get the new certificate (connections already open keep theirs);
 * when they do not, one ERROR line says why and the previous certificate stays in use. Only
 * TLS 1.3 and 1.2, with forward-secret AEAD cipher suites.
 */
public final class TlsContexts implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);
    /** The handler's name in both pipelines: always the first. */
    public static final String TLS = "tls";
    public static final String TLS_EVENTS = "tls-events";
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** TLS 1.3's suites, then TLS 1.2's with ephemeral keys and authenticated encryption only. */
    private static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private final TlsConfig config;
    private final GuardMetrics metrics;
    private final AtomicReference<Loaded> current = new AtomicReference<>();
    private final ScheduledExecutorService reloader;
    private Counter reloads;
    private Counter reloadFailures;
    /** The content that last failed to load, so that one bad file is reported once, not every interval. */
    private byte[] lastFailedDigest;

    /** A context with the content it was made from and the certificate it serves. */
    private record Loaded(SslContext context, byte[] digest, X509Certificate certificate) {}

    private TlsContexts(TlsConfig config, GuardMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        if (!config.enabled()) {
            this.reloader = null;
            return;
        }
        try {
            current.set(load(read()));
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(e instanceof IOException ? "tls.certificate" : "tls.private-key",
                    "cannot use the TLS files: " + e.getMessage());
        }
        this.reloader = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("optline-tls-reload", true));
        long every = config.reloadInterval().toMillis();
        reloader.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
        Loaded loaded = current.get();
        log.info("TLS on {}: {}, {}, certificate {} valid until {}, client certificates {}", listeners(),
                providerName(), String.join(" and ", PROTOCOLS),
                loaded.certificate().getSubjectX500Principal().getName(), loaded.certificate().getNotAfter().toInstant(),
                switch (config.clientAuth()) {
                    case NONE -> "not asked for";
                    case OPTIONAL -> "optional";
                    case REQUIRE -> "required";
                });
    }

    /** Loads the files now (a bad one fails the start, naming the key) and watches them from then on. */
    public static TlsContexts of(TlsConfig config, GuardMetrics metrics) {
        return new TlsContexts(config, metrics);
    }

    /** Registers the certificate's expiry and the reload counts. */
    public void bindTo(MeterRegistry registry) {
        if (!config.enabled()) {
            return;
        }
        Gauge.builder("optline.tls.certificate.expiry", this,
                        t -> t.current.get().certificate().getNotAfter().toInstant().getEpochSecond()
                                - Instant.now().getEpochSecond())
                .description("Seconds until the served certificate expires").baseUnit("seconds").register(registry);
        reloads = Counter.builder("optline.tls.reloads").description("Certificate changes taken into use")
                .tag("outcome", "success").register(registry);
        reloadFailures = Counter.builder("optline.tls.reloads").description("Certificate changes taken into use")
                .tag("outcome", "failure").register(registry);
    }

    public boolean on(Listener listener) {
        return listener == Listener.HTTP ? config.http() : config.tcp();
    }

    /**
     * Puts TLS first in a connection's pipeline when the listener has it: the current context's
     * handler, then the handler that counts and quietly closes failed handshakes.
     */
    public void addTo(ChannelPipeline pipeline, Channel channel, Listener listener) {
        if (!on(listener)) {
            return;
        }
        SslHandler handler = current.get().context().newHandler(channel.alloc());
        handler.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
        pipeline.addFirst(TLS_EVENTS, new TlsEvents(listener, metrics));
        pipeline.addFirst(TLS, handler);
    }

    /** Looks at the files; takes a changed, valid pair into use. Runs on the reload thread. */
    void reloadIfChanged() {
        try {
            Content files = read();
            if (Arrays.equals(files.digest(), current.get().digest())
                    || Arrays.equals(files.digest(), lastFailedDigest)) {
                return;
            }
            try {
                Loaded loaded = load(files);
                current.set(loaded);
                lastFailedDigest = null;
                if (reloads != null) {
                    reloads.increment();
                }
                log.info("TLS certificate reloaded: {} valid until {}; new connections use it",
                        loaded.certificate().getSubjectX500Principal().getName(),
                        loaded.certificate().getNotAfter().toInstant());
            } catch (GeneralSecurityException | SSLException e) {
                lastFailedDigest = files.digest();
                if (reloadFailures != null) {
                    reloadFailures.increment();
                }
                log.error("the TLS files changed but cannot be used ({}); new connections keep the previous"
                        + " certificate until they are fixed", e.getMessage());
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // A file being replaced may be missing for a moment: look again at the next interval.
            log.debug("cannot read the TLS files now", e);
        }
    }

    /** The files' content, and a digest of all of it. */
    private record Content(byte[] certificate, byte[] privateKey, byte[] trusted, byte[] digest) {}

    private Content read() throws IOException, GeneralSecurityException {
        byte[] certificate = readFile(config.certificate());
        byte[] privateKey = readFile(config.privateKey());
        byte[] trusted = config.trustedCertificates() == null ? new byte[0] : readFile(config.trustedCertificates());
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (byte[] part : List.of(certificate, privateKey, trusted)) {
            digest.update(Integer.toString(part.length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            digest.update(part);
        }
        return new Content(certificate, privateKey, trusted, digest.digest());
    }

    private static byte[] readFile(Path file) throws IOException {
        return java.nio.file.Files.readAllBytes(file);
    }

    private Loaded load(Content files) throws GeneralSecurityException, SSLException {
        List<X509Certificate> chain = PemFiles.certificates(files.certificate(), "tls.certificate");
        PrivateKey key = PemFiles.privateKey(files.privateKey());
        PemFiles.requireMatch(key, chain.get(0));
        SslContextBuilder builder = SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                .sslProvider(provider())
                .protocols(PROTOCOLS)
                .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .clientAuth(switch (config.clientAuth()) {
                    case NONE -> ClientAuth.NONE;
                    case OPTIONAL -> ClientAuth.OPTIONAL;
                    case REQUIRE -> ClientAuth.REQUIRE;
                });
        if (config.clientAuth() != TlsConfig.ClientAuth.NONE) {
            builder.trustManager(PemFiles.certificates(files.trusted(), "tls.trusted-certificates")
                    .toArray(X509Certificate[]::new));
        }
        return new Loaded(builder.build(), files.digest(), chain.get(0));
    }

    private SslProvider provider() {
        return switch (config.provider()) {
            case JDK -> SslProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new ConfigException("tls.provider", "openssl: BoringSSL does not load on this platform ("
                            + OpenSsl.unavailabilityCause().getMessage() + "); use auto or jdk");
                }
                yield SslProvider.OPENSSL;
            }
            case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        };
    }

    private String providerName() {
        return provider() == SslProvider.OPENSSL ? "BoringSSL" : "the JDK's TLS";
    }

    private String listeners() {
        return config.http() && config.tcp() ? "HTTP and TCP" : config.http() ? "HTTP" : "TCP";
    }

    @Override
    public void close() {
        if (reloader != null) {
            reloader.shutdownNow();
        }
    }
}
