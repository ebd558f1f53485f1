package org.optline.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import org.optline.core.quality.QualityService;
import org.optline.server.wire.StandingWire;

/**
 * Where a business stands: the business reads its own tier, usage, quality and the events that
 * changed them; the operator (platform credential) reads any business's and lifts a pause.
 */
final class StandingEndpoints {
    /** Events per page at most, and by default. */
    static final int MAX_EVENTS = 1_000;

    private final QualityService quality;

    StandingEndpoints(QualityService quality) {
        this.quality = quality;
    }

    /** {@code GET /v1/business}: the calling business's tier and usage, quality, and pause. */
    CompletableFuture<Reply> own(HttpCall call) {
        return quality.standing(call.business().id())
                .thenApply(found -> Reply.ok(found.orElseThrow(), StandingWire::standing));
    }

    /** {@code GET /v1/business/events?after=N&max=M}: the calling business's events after sequence N, oldest first. */
    CompletableFuture<Reply> events(HttpCall call) throws HttpError {
        long after = number(call, "after", 0, Long.MAX_VALUE, 0);
        int max = (int) number(call, "max", 1, MAX_EVENTS, MAX_EVENTS);
        return quality.events(call.business().id(), after, max).thenApply(events -> Reply.ok(events,
                StandingWire::events));
    }

    /** {@code GET /v1/operations/businesses/{businessId}}: any business's standing, for the operator. */
    CompletableFuture<Reply> business(HttpCall call) throws HttpError {
        return quality.standing(call.decodedParameter("businessId")).thenApply(found -> found
                .map(view -> Reply.ok(view, StandingWire::standing))
                .orElseGet(() -> HttpError.unknownBusiness().reply()));
    }

    /**
     * {@code POST /v1/operations/businesses/{businessId}/lift-pause}: ends the business's marketing
     * pause (a held one included) and starts its pauses over; answers the standing. Lifting a
     * business that is not paused changes nothing and answers the same.
     */
    CompletableFuture<Reply> lift(HttpCall call) throws HttpError {
        return quality.lift(call.decodedParameter("businessId")).thenApply(lifted -> {
            if (lifted instanceof QualityService.Lifted.Done done) {
                return Reply.ok(done.standing(), StandingWire::standing);
            }
            if (lifted instanceof QualityService.Lifted.NotPaused notPaused) {
                return Reply.ok(notPaused.standing(), StandingWire::standing);
            }
            return HttpError.unknownBusiness().reply();
        });
    }

    private static long number(HttpCall call, String name, long min, long max, long absent) throws HttpError {
        String value = call.query(name).orElse(null);
        if (value == null) {
            return absent;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw new HttpError(HttpResponseStatus.BAD_REQUEST, "INVALID_BODY",
                name + " must be a whole number from " + min + " to " + max);
    }
}
