package org.optline.benchmarks;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.recipient.RecipientKeyring;
import org.optline.core.recipient.RecipientSecret;
import org.optline.core.recipient.RecipientTokens;
import org.optline.core.recipient.SealedNumbers;

/**
 * What keeping recipients at rest adds to each stored message: the token of its recipient (an
 * HMAC, from a bounded cache for the recipients that come back), and the number sealed with
 * AES-GCM under the recipient's data key (kept in memory here: the store's keyring serves the
 * keys of recent recipients from its own cache, and a miss is one point read of a small RocksDB).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RecipientSealingBenchmark {

    /** Recipients cycled through, with tokens cached (the default cache holds them all) or not. */
    @State(Scope.Thread)
    public static class Sealing {
        @Param("100000")
        public int recipients;

        RecipientTokens cachedTokens;
        RecipientTokens uncachedTokens;
        SealedNumbers numbers;
        SealedNumbers uncachedNumbers;
        PhoneNumber[] numbersInUse;
        byte[][] sealed;
        int next;

        @Setup(Level.Trial)
        public void makeKeys() {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            RecipientSecret recipientSecret = RecipientSecret.of(secret);
            cachedTokens = new RecipientTokens(recipientSecret);
            uncachedTokens = new RecipientTokens(recipientSecret, 0);
            HeapKeyring keyring = new HeapKeyring();
            numbers = new SealedNumbers(cachedTokens, keyring);
            uncachedNumbers = new SealedNumbers(cachedTokens, keyring, 1);
            List<String> e164 = Recipients.numbers(recipients);
            numbersInUse = new PhoneNumber[recipients];
            sealed = new byte[recipients][];
            for (int i = 0; i < recipients; i++) {
                numbersInUse[i] = PhoneNumber.parse(e164.get(i)).orElseThrow();
                sealed[i] = numbers.seal(numbersInUse[i]);
            }
        }

        int next() {
            int i = next;
            next = i + 1 == recipients ? 0 : i + 1;
            return i;
        }
    }

    /** Data keys in a map, as the keyring's cache holds those of recent recipients. */
    static final class HeapKeyring implements RecipientKeyring {
        private final ConcurrentHashMap<ByteBuffer, byte[]> keys = new ConcurrentHashMap<>();
        private final SecureRandom random = new SecureRandom();

        @Override
        public byte[] dataKey(byte[] token) {
            return keys.computeIfAbsent(ByteBuffer.wrap(token.clone()), t -> {
                byte[] key = new byte[32];
                random.nextBytes(key);
                return key;
            });
        }

        @Override
        public byte[] existingDataKey(byte[] token) {
            return keys.get(ByteBuffer.wrap(token));
        }

        @Override
        public void destroy(byte[] token) {
            keys.remove(ByteBuffer.wrap(token));
        }
    }

    /** The token of a recipient who came back: a cache hit. */
    @Benchmark
    public byte[] tokenCached(Sealing s) {
        return s.cachedTokens.of(s.numbersInUse[s.next()]);
    }

    /** The token computed: one HMAC-SHA256 of the number. */
    @Benchmark
    public byte[] tokenComputed(Sealing s) {
        return s.uncachedTokens.of(s.numbersInUse[s.next()]);
    }

    /** The number sealed for a stored message, of a recipient who came back: a cache hit. */
    @Benchmark
    public byte[] seal(Sealing s) {
        return s.numbers.seal(s.numbersInUse[s.next()]);
    }

    /** The number sealed afresh (a recipient not seen lately): token, data key, AES-GCM with a new nonce. */
    @Benchmark
    public byte[] encrypt(Sealing s) {
        return s.numbers.encrypt(s.numbersInUse[s.next()]);
    }

    /** A stored number opened, as a message is handed out: a cache hit. */
    @Benchmark
    public PhoneNumber open(Sealing s) {
        return s.numbers.open(s.sealed[s.next()]);
    }

    /** A stored number decrypted, with nothing cached (the data key from the keyring's cache). */
    @Benchmark
    public PhoneNumber openUncached(Sealing s) {
        return s.uncachedNumbers.open(s.sealed[s.next()]);
    }
}
