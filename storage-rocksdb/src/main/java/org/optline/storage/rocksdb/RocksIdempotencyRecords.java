package org.optline.storage.rocksdb;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.idempotency.IdempotencyRecord;
import org.optline.core.idempotency.IdempotencyRecords;
import org.optline.core.message.Outcome;

/**
 * Idempotency records on disk, under {@code business ‖ 0 ‖ client_message_id}. Records older
 * than the window are ignored when read; ACCEPTED ones are written by
 * {@link RocksDeliveryQueues#append}, as the delivery log hands them over, together with their message.
 */
public final class RocksIdempotencyRecords implements IdempotencyRecords {
    private final RocksStorage storage;
    private final InstantSource clock;
    private final Duration window;

    public RocksIdempotencyRecords(RocksStorage storage, InstantSource clock, Duration window) {
        this.storage = storage;
        this.clock = clock;
        this.window = window;
    }

    @Override
    public CompletableFuture<Optional<Outcome>> find(String businessId, String clientMessageId) {
        return RocksStorage.read(() -> {
            byte[] value = storage.get(storage.idempotency, Keys.idempotency(businessId, clientMessageId));
            if (value == null || Codec.outcomeTime(value).plus(window).isBefore(clock.instant())) {
                return Optional.empty();
            }
            return Optional.of(Codec.outcome(value));
        });
    }

    @Override
    public void recordRefusal(IdempotencyRecord refusal) {
        storage.putUnsynced(storage.idempotency, Keys.idempotency(refusal.businessId(), refusal.clientMessageId()),
                Codec.outcome(refusal.outcome(), refusal.decidedAt()));
    }
}
