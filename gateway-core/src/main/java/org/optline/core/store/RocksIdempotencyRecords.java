package org.optline.core.store;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import org.optline.core.idempotency.IdempotencyRecords;
import org.optline.core.message.Outcome;

/**
 * Idempotency records on disk, under {@code business ‖ 0 ‖ client_message_id}. Records older
 * than the window are ignored when read; ACCEPTED ones are written by
 * {@link RocksDeliveryQueues#append} together with their message.
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
    public Optional<Outcome> find(String businessId, String clientMessageId) {
        byte[] value = storage.get(storage.idempotency, Keys.idempotency(businessId, clientMessageId));
        if (value == null || Codec.outcomeTime(value).plus(window).isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(Codec.outcome(value));
    }

    @Override
    public void recordRefusal(String businessId, String clientMessageId, Outcome refusal) {
        storage.putUnsynced(storage.idempotency, Keys.idempotency(businessId, clientMessageId),
                Codec.outcome(refusal, clock.instant()));
    }
}
