package org.optline.benchmarks;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What TLS costs the gateway, without a network in between: a client and a server engine of the
 * gateway's kind (its protocols, an ECDSA P-256 certificate as scripts/self-signed-cert.sh makes)
 * talk through memory. {@link #handshake} is a full TLS 1.3 handshake, the price of each new
 * connection; {@link #request} is one request and its answer of {@code bytes} each way, encrypted
 * and decrypted on both sides (the server's share is half). Both providers the gateway offers:
 * the JDK's and BoringSSL.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TlsBenchmark {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** The two providers' contexts on one self-signed certificate, made once per JVM. */
    @State(Scope.Benchmark)
    public static class Contexts {
        @Param({"JDK", "OPENSSL"})
        public String provider;
        SslContext server;
        SslContext client;

        @Setup(Level.Trial)
        public void make() throws Exception {
            SslProvider chosen = SslProvider.valueOf(provider);
            if (chosen == SslProvider.OPENSSL && !OpenSsl.isAvailable()) {
                throw new IllegalStateException("BoringSSL does not load here", OpenSsl.unavailabilityCause());
            }
            KeyStore store = selfSigned();
            PrivateKey key = (PrivateKey) store.getKey("bench", "bench-pass".toCharArray());
            X509Certificate certificate = (X509Certificate) store.getCertificate("bench");
            server = SslContextBuilder.forServer(key, certificate).sslProvider(chosen).protocols(PROTOCOLS).build();
            client = SslContextBuilder.forClient().sslProvider(chosen).protocols(PROTOCOLS)
                    .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        }

        @TearDown(Level.Trial)
        public void release() {
            ReferenceCountUtil.release(server);
            ReferenceCountUtil.release(client);
        }
    }

    /** An established session and the buffers to carry one request and its answer. */
    @State(Scope.Thread)
    public static class Session {
        @Param({"100", "8192", "65536"})
        public int bytes;
        SSLEngine clientEngine;
        SSLEngine serverEngine;
        Buffers buffers;
        ByteBuffer payload;

        @Setup(Level.Trial)
        public void establish(Contexts contexts) throws SSLException {
            clientEngine = contexts.client.newEngine(ByteBufAllocator.DEFAULT);
            serverEngine = contexts.server.newEngine(ByteBufAllocator.DEFAULT);
            boolean direct = contexts.provider.equals("OPENSSL");
            buffers = new Buffers(clientEngine, bytes, direct);
            handshake(clientEngine, serverEngine, buffers);
            payload = direct ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes);
            for (int i = 0; i < bytes; i++) {
                payload.put((byte) ('a' + i % 26));
            }
            payload.flip();
        }

        @TearDown(Level.Trial)
        public void close() {
            ReferenceCountUtil.release(clientEngine);
            ReferenceCountUtil.release(serverEngine);
        }
    }

    /** The two directions' wire buffers and both sides' plaintext buffers. */
    static final class Buffers {
        final ByteBuffer clientToServer;
        final ByteBuffer serverToClient;
        final ByteBuffer clientPlain;
        final ByteBuffer serverPlain;

        /** Direct buffers for BoringSSL, heap ones for the JDK: what Netty's SslHandler gives each engine. */
        Buffers(SSLEngine engine, int bytes, boolean direct) {
            int packets = engine.getSession().getPacketBufferSize() * (2 + bytes / 16_384);
            int plain = engine.getSession().getApplicationBufferSize() + bytes;
            clientToServer = allocate(packets, direct);
            serverToClient = allocate(packets, direct);
            clientPlain = allocate(plain, direct);
            serverPlain = allocate(plain, direct);
        }

        private static ByteBuffer allocate(int bytes, boolean direct) {
            return direct ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes);
        }
    }

    @Benchmark
    public boolean handshake(Contexts contexts) throws SSLException {
        SSLEngine client = contexts.client.newEngine(ByteBufAllocator.DEFAULT);
        SSLEngine server = contexts.server.newEngine(ByteBufAllocator.DEFAULT);
        try {
            handshake(client, server, new Buffers(client, 0, contexts.provider.equals("OPENSSL")));
            return client.getSession().isValid();
        } finally {
            ReferenceCountUtil.release(client);
            ReferenceCountUtil.release(server);
        }
    }

    @Benchmark
    public int request(Session session) throws SSLException {
        Buffers b = session.buffers;
        send(session.clientEngine, session.payload.duplicate(), b.clientToServer);
        int received = receive(session.serverEngine, b.clientToServer, b.serverPlain, session.bytes);
        send(session.serverEngine, session.payload.duplicate(), b.serverToClient);
        return received + receive(session.clientEngine, b.serverToClient, b.clientPlain, session.bytes);
    }

    private static void send(SSLEngine engine, ByteBuffer plain, ByteBuffer wire) throws SSLException {
        while (plain.hasRemaining()) {
            check(engine.wrap(plain, wire));
        }
    }

    /** Unwraps until {@code bytes} of plaintext came out (a TLS 1.3 ticket may come first). */
    private static int receive(SSLEngine engine, ByteBuffer wire, ByteBuffer plain, int bytes) throws SSLException {
        wire.flip();
        plain.clear();
        while (plain.position() < bytes) {
            check(engine.unwrap(wire, plain));
        }
        wire.compact();
        return plain.position();
    }

    private static void check(SSLEngineResult result) {
        if (result.getStatus() != SSLEngineResult.Status.OK) {
            throw new IllegalStateException("TLS engine: " + result);
        }
    }

    /** Drives both engines until neither is handshaking, each reading what the other wrote. */
    static void handshake(SSLEngine client, SSLEngine server, Buffers b) throws SSLException {
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 100; round++) {
            boolean clientDone = turn(client, b.clientToServer, b.serverToClient, b.clientPlain);
            boolean serverDone = turn(server, b.serverToClient, b.clientToServer, b.serverPlain);
            if (clientDone && serverDone) {
                return;
            }
        }
        throw new IllegalStateException("the handshake did not finish");
    }

    /** One engine's turn: wraps, unwraps and runs tasks until it waits for the peer; true when done. */
    private static boolean turn(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer plain) throws SSLException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> engine.wrap(ByteBuffer.allocate(0), out);
                case NEED_UNWRAP -> {
                    in.flip();
                    SSLEngineResult result = engine.unwrap(in, plain);
                    in.compact();
                    plain.clear();
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        return false;
                    }
                }
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                default -> {
                    return true;
                }
            }
        }
    }

    /** A self-signed ECDSA P-256 certificate made with the JDK's keytool, as the script makes one without openssl. */
    static KeyStore selfSigned() throws Exception {
        Path dir = Files.createTempDirectory("optline-tls-bench");
        Path store = dir.resolve("bench.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "bench", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "bench-pass", "-keypass", "bench-pass").redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (keytool.waitFor() != 0) {
            throw new IOException("keytool failed");
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "bench-pass".toCharArray());
        } finally {
            Files.deleteIfExists(store);
            Files.delete(dir);
        }
        return keys;
    }
}
