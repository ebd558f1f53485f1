package org.optline.storage.kafka;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The secret every node of a deployment shares, kept in the compacted meta topic: the key of the
 * recipients' keyed hashes, of the erasure ids and of the peers' request signatures. The first
 * node to start writes one; when two start at once and both write, the one earlier in the topic
 * wins on every node (each under its own key, so compaction keeps both and the order stays).
 */
final class ClusterSecret implements TableReader.Table {
    private static final String PREFIX = "secret/";
    private volatile byte[] secret;

    @Override
    public void apply(ConsumerRecord<byte[], byte[]> record) {
        String key = new String(record.key(), StandardCharsets.UTF_8);
        if (secret == null && key.startsWith(PREFIX) && record.value() != null) {
            secret = record.value().clone();
        }
    }

    /** Null until a secret has been read. */
    byte[] get() {
        return secret == null ? null : secret.clone();
    }

    static byte[] newKey() {
        return (PREFIX + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] newSecret() {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        return fresh;
    }
}
